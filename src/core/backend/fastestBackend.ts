import { BACKENDS, type BackendName, type BackendTiming } from './backendNames';

/**
 * Rates within this fraction of the fastest count as a tie, since a half-second measurement on a
 * shared machine is noisy; a tie goes to the earlier backend in BACKENDS order (GPU first), which
 * keeps the page's CPU free and scales better when the user grows the model.
 */
export const TIE_FRACTION = 0.05;

export interface FastestChoice {
  name: BackendName;
  /** Strictly the fastest, or taken from a tie by preference order. */
  tie: boolean;
}

/**
 * The backend auto picks from its measurements: the fastest that can train the model (`canTrain`;
 * the page imports this file, so the question that needs tfjs is asked by the caller).
 */
export function fastestBackend(
  timings: BackendTiming[],
  canTrain: (name: BackendName) => boolean = () => true,
): FastestChoice | null {
  const able = timings.filter((t) => t.stepsPerSecond !== null && t.stepsPerSecond > 0 && canTrain(t.name));
  if (able.length === 0) return null;
  const top = Math.max(...able.map((t) => t.stepsPerSecond!));
  const tied = able.filter((t) => t.stepsPerSecond! >= top * (1 - TIE_FRACTION));
  tied.sort((a, b) => BACKENDS.indexOf(a.name) - BACKENDS.indexOf(b.name));
  const name = tied[0].name;
  return { name, tie: able.find((t) => t.stepsPerSecond === top)!.name !== name };
}

/** Fastest first; the untimed last, in their original order. */
export function sortTimings(timings: BackendTiming[]): BackendTiming[] {
  const rate = (t: BackendTiming) => t.stepsPerSecond ?? -1;
  return [...timings].sort((a, b) => rate(b) - rate(a));
}

export function formatRate(stepsPerSecond: number): string {
  return stepsPerSecond >= 10 ? stepsPerSecond.toFixed(0) : stepsPerSecond.toFixed(1);
}

/** "wasm 140 steps/s, cpu 80; webgl, webgpu not timed (…)": fastest first, the untimed grouped by reason. */
export function describeTimings(timings: BackendTiming[]): string {
  const sorted = sortTimings(timings);
  const timed = sorted
    .filter((t) => t.stepsPerSecond !== null)
    .map((t, i) => `${t.name} ${formatRate(t.stepsPerSecond!)}${i === 0 ? ' steps/s' : ''}`);
  const byReason = new Map<string, string[]>();
  for (const t of sorted.filter((t) => t.stepsPerSecond === null))
    byReason.set(t.skipped ?? '', [...(byReason.get(t.skipped ?? '') ?? []), t.name]);
  const untimed = [...byReason].map(([why, names]) => `${names.join(', ')} not timed${why ? ` (${why})` : ''}`);
  return [timed.join(', '), ...untimed].filter(Boolean).join('; ');
}

/** The chip's sentence for an auto pick. */
export function autoReason(choice: FastestChoice, timings: BackendTiming[]): string {
  const why = choice.tie
    ? `${choice.name} was within ${TIE_FRACTION * 100}% of the fastest on this model and comes first in the preference order`
    : `${choice.name} was fastest on this model`;
  return `auto: ${why} (${describeTimings(timings)})`;
}
