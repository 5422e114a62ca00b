import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendChoice, BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { PhasePlan } from '../core/train/phasePlan';
import type { EpochRecord, Progress } from '../core/train/snapshot';
import type { DatasetSummary, RunState, WorkerCommand, WorkerEvent, WorkerMessage } from '../worker/protocol';
import type { StoredRunsView } from '../worker/runs/storedRun';
import { WorkerClient, type Call } from './workerClient';

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
}

const EMPTY: TrainingView = {
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
};

/**
 * Owns the training worker; a new backend choice starts a fresh worker. The view holds what the
 * worker streams; `call` asks it one-off queries, whose answers go to the caller alone.
 */
export function useTrainingWorker(backend: BackendChoice, config: ExperimentConfig) {
  // The view belongs to one worker: a different backend means a fresh worker and an empty view.
  const [owned, setOwned] = useState<{ backend: BackendChoice; view: TrainingView }>({ backend, view: EMPTY });
  const view = owned.backend === backend ? owned.view : EMPTY;
  const client = useRef<WorkerClient | null>(null);
  const configRef = useRef(config);
  // The last upload, replayed into a fresh worker when the backend changes, so it is not lost.
  const lastUpload = useRef<WorkerCommand | null>(null);
  useEffect(() => {
    configRef.current = config;
  }, [config]);

  useEffect(() => {
    const w = new Worker(new URL('../worker/trainingWorker.ts', import.meta.url), { type: 'module' });
    const c = (client.current = new WorkerClient(w));
    const update = (f: (v: TrainingView) => TrainingView) =>
      setOwned((o) => ({ backend, view: f(o.backend === backend ? o.view : EMPTY) }));
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const e = ev.data;
      if (c.receive(e)) return;
      // A fresh worker (new backend) must start from what is loaded now, not what was first asked for.
      if (e.type === 'loaded') configRef.current = e.config;
      update((v) => reduce(v, e));
    };
    w.onerror = (ev) => update((v) => ({ ...v, state: 'failed', message: `Training worker failed: ${ev.message}` }));
    c.send({ type: 'init', backend, config: configRef.current });
    if (lastUpload.current && configRef.current.data.kind === 'upload') c.send(lastUpload.current);
    return () => {
      w.terminate();
      c.close();
    };
  }, [backend]);

  const send = useCallback((cmd: WorkerCommand) => {
    if (cmd.type === 'upload') lastUpload.current = cmd;
    client.current?.send(cmd);
  }, []);
  const call: Call = useCallback(
    (query, signal) =>
      client.current?.call(query, signal) ?? Promise.reject(new Error('The training worker is not running.')),
    [],
  );

  return { view, send, call };
}

/** What a new run (new data, a reset, a new start) clears: everything computed from the old weights. */
const FRESH_RUN = {
  progress: null,
  history: [],
  loadedModel: null,
  message: null,
} satisfies Partial<TrainingView>;

function reduce(v: TrainingView, e: WorkerEvent): TrainingView {
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
    case 'state':
      // Paused in the middle of a chunk: show where it ends; its snapshot, when it comes, says the same.
      return { ...v, state: e.state, progress: e.at && v.progress ? { ...v.progress, ...e.at } : v.progress };
    case 'error':
      return { ...v, message: e.message };
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
