import type { BackendChoice, BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { DatasetSummary } from '../core/data/summary';
import type { AttackRequest, AttackView } from '../core/robust/attackView';
import type { BoundaryRequest, BoundaryView } from '../core/robust/boundaryView';
import type { UploadFile } from '../core/data/formats/upload';
import type { PhasePlan } from '../core/train/phasePlan';
import type { EpochRecord, Snapshot } from '../core/train/snapshot';
import type { WeightFiles } from './runs/runStore';
import type { StoredRun, StoredRunsView } from './runs/storedRun';

/** Commands the page sends to the training worker. */
export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; config: ExperimentConfig }
  | { type: 'load'; config: ExperimentConfig }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  /** Files of a folder or ZIP the user dropped or picked; parsed here, off the main thread. */
  | { type: 'upload'; files: UploadFile[]; name: string }
  | { type: 'selectModalities'; names: string[] }
  /** Evaluate the current model under an attack (no training). */
  | { type: 'attack'; request: AttackRequest }
  /** Decision regions, the margin plane and the attack slice around one validation sample. */
  | { type: 'boundaries'; request: BoundaryRequest }
  /** The current weights in the export formats (config.json, model.safetensors, model.json, weights.bin). */
  | { type: 'export' }
  /**
   * An exported model's files (config.json plus model.safetensors, or model.json and weights.bin).
   * With `config`, that experiment's data is loaded first (a stored run opened from the run list).
   */
  | { type: 'importModel'; files: Record<string, Uint8Array> }
  /** Stored runs: show one (its data, last weights and curves), rename, delete, or hand over its files. */
  | { type: 'openRun'; id: number }
  | { type: 'renameRun'; id: number; name: string }
  | { type: 'deleteRun'; id: number }
  | { type: 'runFiles'; id: number };

export type RunState = 'starting' | 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'failed';

export type { DatasetSummary };

/** Events the worker posts back: plain, structured-cloneable data only. */
export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | {
      type: 'loaded';
      dataset: DatasetSummary;
      /** Every modality of the source, for choosing which to use. */
      available: { name: string; shape: number[] }[];
      /** The config as installed (modalities resolved). */
      config: ExperimentConfig;
      stepsPerEpoch: number;
      plan: PhasePlan[];
    }
  | { type: 'dataProgress'; message: string; fraction: number }
  /** A bad upload or selection: the message names the file, row or field; nothing else changed. */
  | { type: 'dataError'; message: string; during: 'upload' | 'selection' | 'model' }
  | { type: 'state'; state: RunState }
  /** A fresh run starts from the seeded initial weights: views drop the old run's curves. */
  | { type: 'fresh' }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'attackView'; view: AttackView }
  | { type: 'boundaryView'; view: BoundaryView }
  | { type: 'exported'; name: string; files: Record<string, Uint8Array> }
  | { type: 'runs'; view: StoredRunsView }
  /** A stored run is on display: its model is loaded (a 'loaded' event came first) and these are its curves. */
  | { type: 'opened'; id: number; history: EpochRecord[] }
  | { type: 'runFiles'; run: StoredRun; weights: WeightFiles | null }
  | { type: 'error'; message: string };

/** What the session emits inside the worker: the page's events, plus each epoch's weights for the run store. */
export type SessionEvent = WorkerEvent | { type: 'checkpoint'; runEpoch: number; files: Record<string, Uint8Array> };
