import type { ExperimentConfig } from '../../core/config';
import type { EpochRecord } from '../../core/train/snapshot';

/** A finished training run, kept for comparison: plain data, taken from the snapshots. */
export interface RunRecord {
  id: number;
  label: string;
  method: string;
  dataset: string;
  seed: number;
  modalities: string[];
  history: EpochRecord[];
}

export function runRecord(
  id: number,
  config: ExperimentConfig,
  dataset: string,
  modalities: string[],
  history: EpochRecord[],
): RunRecord {
  return {
    id,
    label: `#${id} ${config.train.method} · ${dataset} · seed ${config.train.seed}`,
    method: config.train.method,
    dataset,
    seed: config.train.seed,
    modalities,
    history,
  };
}
