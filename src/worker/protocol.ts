import type { BackendChoice, BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { PhasePlan } from '../core/train/phasePlan';
import type { Snapshot } from '../core/train/snapshot';

/** Commands the page sends to the training worker. */
export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; config: ExperimentConfig }
  | { type: 'load'; config: ExperimentConfig }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' };

export type RunState = 'starting' | 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'failed';

export interface DatasetSummary {
  name: string;
  modalities: { name: string; shape: number[] }[];
  classes: string[];
  counts: { train: number; val: number; test: number };
}

/** Events the worker posts back: plain, structured-cloneable data only. */
export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'loaded'; dataset: DatasetSummary; stepsPerEpoch: number; plan: PhasePlan[] }
  | { type: 'state'; state: RunState }
  /** A fresh run starts from the seeded initial weights: views drop the old run's curves. */
  | { type: 'fresh' }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'error'; message: string };
