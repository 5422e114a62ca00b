import type { BackendChoice, BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { DatasetSummary } from '../core/data/summary';
import type { AttackRequest, AttackView } from '../core/robust/attackView';
import type { BoundaryRequest, BoundaryView } from '../core/robust/boundaryView';
import type { LocalBoundView } from '../core/robust/localBoundView';
import type { UploadFile } from '../core/data/formats/upload';
import type { PhasePlan } from '../core/train/phasePlan';
import type { EpochRecord, Snapshot } from '../core/train/snapshot';
import type { AttackCostView } from './attackCostView';
import type { WatchedAttack } from './epochAttack';
import type { PausePoint } from './pausePoint';
import type { WeightFiles } from './runs/runStore';
import type { InjectedFault } from './faultInjection';
import type { StoredRun, StoredRunsView } from './runs/storedRun';

/** The stream: commands that drive training and the data; the worker's events report what follows. */
export type WorkerCommand =
  | {
      type: 'init';
      backend: BackendChoice;
      config: ExperimentConfig;
      /** A Web Lock the worker holds for its lifetime: the page learns of its death when the lock is free. */
      lock?: string;
      /** Honour `injectFault` (the browser tests' fault injection); off unless the page was opened with ?faults. */
      faults?: boolean;
    }
  | { type: 'load'; config: ExperimentConfig }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  /** Files of a folder or ZIP the user dropped or picked; parsed here, off the main thread. */
  | { type: 'upload'; files: UploadFile[]; name: string }
  | { type: 'selectModalities'; names: string[] }
  /** The attack switched on in the page: its accuracy is recorded after every epoch (null: none). */
  | { type: 'watchAttack'; attack: WatchedAttack | null }
  /**
   * After a restart (a crash, a fault, another backend): the upload to read again, the model that
   * was on display, and whether it was training.
   */
  | {
      type: 'restore';
      upload: { files: UploadFile[]; name: string } | null;
      model: ModelToRestore | null;
      train: boolean;
    }
  /** Only when init said `faults`: make something fail on purpose (browser tests). */
  | { type: 'injectFault'; fault: InjectedFault };

/**
 * The model on display, as a fresh worker can get it back: a stored run (`continues`: the run that
 * was training, which goes on under its own id; otherwise one opened from the list), or the
 * files of an imported model.
 */
export type ModelToRestore = { kind: 'run'; id: number; continues: boolean } | { kind: 'import'; files: UploadFile[] };

/**
 * One-off queries, asked with `worker.call` and answered once: each kind's fields and the result
 * its promise resolves with. A refused query rejects with the reason, in words.
 */
export interface Queries {
  /** Evaluate the current model under an attack (no training). */
  attack: { fields: { request: AttackRequest }; result: AttackView };
  /**
   * Which modality is cheaper to attack on the validation split: the sound-radius bound beside the
   * measured ε that halves accuracy (a few dozen PGD passes; withdrawn when the model changes).
   */
  attackCost: { fields: object; result: AttackCostView };
  /** Decision regions, the margin plane and the attack slice around one validation sample. */
  boundaries: { fields: { request: BoundaryRequest }; result: BoundaryView };
  /**
   * The local (CROWN) bound of the current weights on a random sample of the validation split (the
   * experiment's attack.localBound samples, null all, drawn with its seed: localSample), a sample at
   * a time so training and Pause go on.
   */
  localBound: { fields: object; result: LocalBoundView };
  /** The current weights in the export formats (config.json, model.safetensors, model.json, weights.bin). */
  export: { fields: object; result: { name: string; files: WeightFiles } };
  /**
   * An exported model, as the user picked it: its ZIP, or its loose files (config.json plus
   * model.safetensors, or model.json and weights.bin). Unzipped in the worker.
   */
  importModel: { fields: { files: UploadFile[] }; result: void };
  /** Show a stored run: its data, its last weights and (as an 'opened' event) its curves. */
  openRun: { fields: { id: number }; result: void };
  renameRun: { fields: { id: number; name: string }; result: void };
  deleteRun: { fields: { id: number }; result: void };
  /** A stored run's record and weights, for its download. */
  runFiles: { fields: { id: number }; result: { run: StoredRun; weights: WeightFiles | null } };
  /** Before the page ends this worker: stop training (paused, so the run can go on) and finish writing the runs. */
  retire: { fields: object; result: void };
}

export type QueryType = keyof Queries;
export type Query<K extends QueryType = QueryType> = { [T in K]: { type: T } & Queries[T]['fields'] }[K];
export type ResultOf<K extends QueryType> = Queries[K]['result'];

/** What answers the queries in the worker: one method per kind, named after it. */
export type Answers = {
  /** `withdrawn`: true once the page no longer wants the answer; a long answer may stop early then. */
  [K in QueryType]: (query: Query<K>, withdrawn?: () => boolean) => Promise<ResultOf<K>>;
};

/**
 * Views of the current model: a newer query of the same kind makes an older one that has not
 * started pointless, so the worker skips it.
 */
export const VIEW_QUERIES: ReadonlySet<QueryType> = new Set(['attack', 'attackCost', 'boundaries', 'localBound']);

/** A query on its way to the worker, or the page withdrawing one (its answer is no longer wanted). */
export type CallMessage = { type: 'call'; id: number; query: Query } | { type: 'cancel'; id: number };

/** The worker's reply to one call; `superseded`: the model changed or a newer query replaced it. */
export type Reply =
  | { type: 'answer'; id: number; result: unknown }
  | { type: 'refused'; id: number; message: string }
  | { type: 'superseded'; id: number };

/** Everything the page posts to the worker. */
export type PageMessage = WorkerCommand | CallMessage;

export type RunState = 'starting' | 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'failed';

export type { DatasetSummary };

/** Events the worker streams to the page: plain, structured-cloneable data only. */
export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | {
      type: 'loaded';
      dataset: DatasetSummary;
      /** Every modality of the source, for choosing which to use. */
      available: { name: string; shape: number[] }[];
      /** The config as installed (modalities resolved). */
      config: ExperimentConfig;
      plan: PhasePlan[];
    }
  | { type: 'dataProgress'; message: string; fraction: number }
  /** A bad upload or selection: the message names the file, row or field; nothing else changed. */
  | { type: 'dataError'; message: string; during: 'upload' | 'selection' }
  /** `at`: paused while a chunk is finishing; where the run will stand when it ends (its snapshot follows). */
  | { type: 'state'; state: RunState; at?: PausePoint }
  /** A fresh run starts from the seeded initial weights: views drop the old run's curves. */
  | { type: 'fresh' }
  /** `seq` counts the snapshots posted and `postedAt` is when (ms since the epoch), so the page can tell how far behind it is. */
  | { type: 'snapshot'; snapshot: Snapshot; seq?: number; postedAt?: number }
  | { type: 'runs'; view: StoredRunsView }
  /** A stored run is on display: its model is loaded (a 'loaded' event came first) and these are its curves. */
  | { type: 'opened'; id: number; history: EpochRecord[] }
  /** A model loaded from files, evaluated as it stands on the data on display (`source`: the files). */
  | { type: 'evaluated'; source: string; record: EpochRecord }
  /** Something the user asked for did not happen (e.g. settings refused); nothing changed. */
  | { type: 'error'; message: string }
  /** A failure that may have left the model or the backend broken: the page restarts the worker and restores. */
  | { type: 'fault'; message: string }
  /** A stored run goes on here after a restart: its model is loaded (a 'loaded' event came first) and these are its curves. */
  | { type: 'resumed'; id: number; history: EpochRecord[] }
  /** The worker holds its life lock (init's `lock`). */
  | { type: 'alive' };

/** Everything the worker posts to the page. */
export type WorkerMessage = WorkerEvent | Reply;

/** What the session emits inside the worker: the page's events, plus each epoch's weights for the run store. */
export type SessionEvent = WorkerEvent | { type: 'checkpoint'; runEpoch: number; files: Record<string, Uint8Array> };
