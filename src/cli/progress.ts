import type { EvaluationProgress } from '../core/experiment/runExperiment';
import { PHASE_LABEL, type Snapshot } from '../core/train/snapshot';

/** 75 s → "1 min 15 s"; under a minute, seconds with one decimal below 10. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/** Time left at the rate so far: `done` of `total` units took `elapsed` seconds. */
export function secondsLeft(done: number, total: number, elapsed: number): number {
  return done > 0 ? (elapsed * (total - done)) / done : Infinity;
}

/**
 * Progress of a long CLI run on stderr, with time left: training (from the trainer's snapshots:
 * steps done of the run's total) and the evaluation after it (certification and every attack,
 * in units of about one pass over the test split). A line at most every `interval` ms, and always
 * at a phase's last epoch and at the evaluation's last step.
 */
export class ProgressReporter {
  private last = -Infinity;
  /** The run starts when its reporter is made, just before it. */
  private readonly trainStart: number;
  private evalStart: number | null = null;

  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
    private readonly now: () => number = () => performance.now(),
    private readonly interval = 2000,
  ) {
    this.trainStart = now();
  }

  private due(force: boolean): boolean {
    const t = this.now();
    if (!force && t - this.last < this.interval) return false;
    this.last = t;
    return true;
  }

  snapshot(s: Snapshot): void {
    const t = this.now();
    if (s.kind === 'lipschitz') return this.write(`[${this.label}] Lipschitz estimation done (${s.lipschitz.kind})`);
    if (s.kind !== 'epoch' && s.kind !== 'progress') return;
    const p = s.progress;
    const lastEpoch = s.kind === 'epoch' && s.record.epoch === p.epochs;
    if (!this.due(lastEpoch)) return;
    const elapsed = (t - this.trainStart) / 1000;
    const parts = [
      `${PHASE_LABEL[p.phase]} epoch ${s.kind === 'epoch' ? s.record.epoch : p.epoch + 1}/${p.epochs}`,
      `loss ${p.loss.toFixed(4)}`,
      ...(s.kind === 'epoch' ? [`val acc ${(100 * s.record.val.accuracy).toFixed(1)}%`] : []),
      `${formatSeconds(elapsed)}, ~${formatSeconds(secondsLeft(p.step, p.totalSteps, elapsed))} left`,
    ];
    this.write(`[${this.label}] ${parts.join(' · ')}`);
  }

  evaluation(p: EvaluationProgress): void {
    const t = this.now();
    this.evalStart ??= t;
    if (p.done === 0 || !this.due(p.done >= p.total)) return;
    const elapsed = (t - this.evalStart) / 1000;
    this.write(
      `[${this.label}] evaluating: ${p.what} done (${Math.round((100 * p.done) / p.total)}%) · ` +
        `${formatSeconds(elapsed)}, ~${formatSeconds(secondsLeft(p.done, p.total, elapsed))} left`,
    );
  }
}
