import type { BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { PhasePlan } from '../core/train/phasePlan';
import type { EpochRecord, Progress } from '../core/train/snapshot';
import type { DatasetSummary, RunState, WorkerEvent } from '../worker/protocol';
import type { StoredRunsView } from '../worker/runs/storedRun';

/** What the page shows of the training worker: built from its events alone (`reduce`). */
export interface TrainingView {
  state: RunState;
  backend: BackendInfo | null;
  dataset: DatasetSummary | null;
  /** Every modality of the loaded source, for choosing which to use. */
  available: { name: string; shape: number[] }[];
  /** The config the worker installed: the source of truth for what is loaded. */
  installed: ExperimentConfig | null;
  /** Upload progress or the last data error; the error keeps everything else as it was. */
  dataNotice: {
    kind: 'progress' | 'upload-error' | 'selection-error';
    text: string;
    fraction?: number;
  } | null;
  plan: PhasePlan[];
  /** Counts the models this view has seen (each load, reset or import is a new one). */
  modelSerial: number;
  /** The runs the worker stores, as it last reported them. */
  stored: StoredRunsView;
  /** The stored run on display after opening it, until training starts anew. */
  opened: number | null;
  progress: Progress | null;
  history: EpochRecord[];
  /** A model loaded from files: where from, and how it does on the data as it stands (until it trains). */
  loadedModel: { source: string; record: EpochRecord } | null;
  /** The last snapshot shown: its number and when the worker posted it (for the lag measure). */
  lastSnapshot: { seq: number; postedAt: number } | null;
  message: string | null;
  /** What failed last and how the page recovered (the worker restarted, the model restored), until the next action. */
  fault: string | null;
}

export const EMPTY: TrainingView = {
  state: 'starting',
  backend: null,
  dataset: null,
  available: [],
  installed: null,
  dataNotice: null,
  plan: [],
  modelSerial: 0,
  stored: { runs: [], current: null, error: null, volatile: null, storage: { usage: null, quota: null } },
  opened: null,
  progress: null,
  history: [],
  loadedModel: null,
  lastSnapshot: null,
  message: null,
  fault: null,
};

/** What a new run (new data, a reset, a new start) clears: everything computed from the old weights. */
const FRESH_RUN = {
  progress: null,
  history: [],
  loadedModel: null,
  message: null,
} satisfies Partial<TrainingView>;

export function reduce(v: TrainingView, e: WorkerEvent): TrainingView {
  switch (e.type) {
    case 'backend':
      return { ...v, backend: e.info };
    case 'loaded':
      return {
        ...v,
        dataset: e.dataset,
        available: e.available,
        installed: e.config,
        dataNotice: null,
        plan: e.plan,
        ...FRESH_RUN,
        opened: null,
        modelSerial: v.modelSerial + 1,
      };
    case 'dataProgress':
      return { ...v, dataNotice: { kind: 'progress', text: e.message, fraction: e.fraction } };
    case 'dataError':
      return { ...v, dataNotice: { kind: `${e.during}-error`, text: e.message } };
    case 'fresh':
      return { ...v, ...FRESH_RUN, opened: null, modelSerial: v.modelSerial + 1 };
    case 'runs':
      return { ...v, stored: e.view };
    case 'opened':
      return { ...v, history: e.history, opened: e.id };
    case 'evaluated':
      return { ...v, loadedModel: { source: e.source, record: e.record } };
    case 'resumed':
      return { ...v, history: e.history, opened: null };
    case 'state':
      // Paused in the middle of a chunk: show where it ends; its snapshot, when it comes, says the same.
      return { ...v, state: e.state, progress: e.at && v.progress ? { ...v.progress, ...e.at } : v.progress };
    case 'error':
      return { ...v, message: e.message };
    case 'alive':
    case 'fault':
      // The worker's life: handled where it is started (workerLife.ts).
      return v;
    case 'snapshot': {
      const s = e.snapshot;
      return {
        ...v,
        progress: s.progress,
        // Training on from an opened run starts a new run: its curves start afresh.
        history: s.kind === 'epoch' ? [...(v.opened === null ? v.history : []), s.record] : v.history,
        opened: s.kind === 'epoch' ? null : v.opened,
        loadedModel: s.kind === 'epoch' ? null : v.loadedModel,
        lastSnapshot:
          e.seq !== undefined && e.postedAt !== undefined ? { seq: e.seq, postedAt: e.postedAt } : v.lastSnapshot,
        message: s.kind === 'diverged' ? s.message : v.message,
      };
    }
  }
}
