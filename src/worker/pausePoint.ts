import type { PhasePlan } from '../core/train/phasePlan';
import type { Phase, Progress } from '../core/train/snapshot';

/** Where a run stands when the chunk now running ends: what the page shows once paused. */
export interface PausePoint {
  phase: Phase;
  phaseIndex: number;
  /** Completed epochs of the phase, of `epochs`. */
  epoch: number;
  epochs: number;
  step: number;
}

/**
 * The position a chunk of `steps` steps ends at, told before it ends: its steps run first and at
 * once, and only an epoch's end (its evaluation) takes long after them. Every phase is whole
 * epochs and the Lipschitz estimation takes no step, so the step within the epoch is the step
 * count modulo the epoch's length. Null when the chunk is the Lipschitz estimation (nothing to
 * tell before it ends) or nothing is planned.
 */
export function pointAfterChunk(
  last: Progress | null,
  plan: PhasePlan[],
  stepsPerEpoch: number,
  steps: number,
): PausePoint | null {
  let phaseIndex = last?.phaseIndex ?? 0;
  let done = last?.epoch ?? 0;
  if (last && last.epoch >= last.epochs) {
    phaseIndex++;
    done = 0;
  }
  const phase = plan[phaseIndex];
  if (!phase || phase.phase === 'lipschitz') return null;
  const step = last?.step ?? 0;
  const remaining = stepsPerEpoch - (step % stepsPerEpoch);
  const ran = Math.min(steps, remaining);
  return {
    phase: phase.phase,
    phaseIndex,
    epoch: done + (ran === remaining ? 1 : 0),
    epochs: phase.epochs,
    step: step + ran,
  };
}
