import type { ExperimentConfig } from '../../core/config';
import type { Dataset } from '../../core/data/dataset';
import { Trainer } from '../../core/train/trainer';
import type { ParityRow } from './gpuCheckTypes';

/**
 * The training loss of each of the first `steps` steps on the backend tf is set to now, from the
 * seeded start (weights and batch order come from the lab's own seeded generators, so every
 * backend starts from the same numbers). Stops before the epoch ends: the per-epoch evaluation
 * is not a training step and costs seconds on a slow backend.
 */
export async function stepLosses(data: Dataset, config: ExperimentConfig, steps: number): Promise<number[]> {
  const trainer = new Trainer(data, config);
  try {
    const n = Math.min(steps, trainer.stepsPerEpoch - 1);
    const losses: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = await trainer.advance(1);
      if (s.kind === 'diverged') throw new Error(s.message);
      losses.push(s.progress.loss);
    }
    return losses;
  } finally {
    trainer.dispose();
  }
}

/** A backend's losses against the reference's, step by step. */
export function parityRow(
  base: Pick<ParityRow, 'model' | 'method' | 'backend' | 'reference'>,
  losses: number[],
  referenceLosses: number[],
): ParityRow {
  if (losses.length !== referenceLosses.length || losses.length === 0)
    throw new Error(`parity needs the same non-zero number of steps (${losses.length} and ${referenceLosses.length})`);
  const maxAbsDiff = Math.max(...losses.map((l, i) => Math.abs(l - referenceLosses[i])));
  return { ...base, steps: losses.length, status: 'ok', losses, referenceLosses, maxAbsDiff };
}

/** A row for a backend that did not produce losses, with why. */
export function parityGap(
  base: Pick<ParityRow, 'model' | 'method' | 'backend' | 'reference'>,
  status: 'cannot-run' | 'failed',
  reason: string,
): ParityRow {
  return { ...base, steps: 0, status, reason };
}
