import type { ExperimentConfig } from '../../core/config';
import type { EpochEvaluation } from '../../core/robust/epochEvaluation';
import type { EpochRecord } from '../../core/train/snapshot';

/**
 * `training` in storage after a reload means the page closed while the run was training;
 * `stopped`: left unfinished for something else (a reset, new settings, new data, another model).
 */
export type RunStatus = 'training' | 'paused' | 'stopped' | 'done' | 'diverged';

/** A run as the browser keeps it: plain data, rewritten whole after every epoch. */
export interface StoredRun {
  id: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  config: ExperimentConfig;
  dataset: string;
  modalities: string[];
  history: EpochRecord[];
  /** The run epoch the stored weights were taken after, or null before the first checkpoint. */
  weightsEpoch: number | null;
  weightBytes: number;
  /** Bytes this run takes in storage (record and weights), as last written. */
  bytes: number;
}

/** What the page needs of a run for its list, table and overlays: everything but the full history. */
export interface RunSummary extends Omit<StoredRun, 'history'> {
  epochs: number;
  valAccuracy: number[];
  last: EpochRecord | null;
  /** The evaluation of the last epoch that had one: the run's certified curves. */
  evaluation: EpochEvaluation | null;
}

/** The epochs whose weights are stored (a run reopened or resumed starts from these): none before the first checkpoint. */
export function historyWithWeights(run: StoredRun): EpochRecord[] {
  const last = run.weightsEpoch;
  return last === null ? [] : run.history.filter((h) => h.runEpoch <= last);
}

export function summariseRun({ history, ...run }: StoredRun): RunSummary {
  return {
    ...run,
    epochs: history.length,
    valAccuracy: history.map((h) => h.val.accuracy),
    last: history.at(-1) ?? null,
    evaluation: history.findLast((h) => h.evaluation)?.evaluation ?? null,
  };
}

export interface StorageUse {
  /** What the browser says this origin uses and may use, when it says. */
  usage: number | null;
  quota: number | null;
}

/** The run list as the worker reports it to the page. */
export interface StoredRunsView {
  runs: RunSummary[];
  /** The run being trained now (it gets every new epoch), or null. */
  current: number | null;
  /** The last failed write, in words; cleared by the next write that succeeds. */
  error: string | null;
  /** Why runs are kept for this page only, when IndexedDB cannot be opened. */
  volatile: string | null;
  storage: StorageUse;
}

export function defaultRunName(config: ExperimentConfig, dataset: string): string {
  return `${config.train.method} · ${dataset} · seed ${config.train.seed}`;
}

export function runLabel(run: { id: number; name: string }): string {
  return `#${run.id} ${run.name}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
