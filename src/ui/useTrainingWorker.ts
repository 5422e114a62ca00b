import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendChoice, BackendInfo } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { AttackView } from '../core/robust/attackView';
import type { BoundaryView } from '../core/robust/boundaryView';
import type { PhasePlan } from '../core/train/phasePlan';
import type { EpochRecord, Progress } from '../core/train/snapshot';
import type { DatasetSummary, RunState, WorkerCommand, WorkerEvent } from '../worker/protocol';
import type { WeightFiles } from '../worker/runs/runStore';
import type { StoredRun, StoredRunsView } from '../worker/runs/storedRun';

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
    kind: 'progress' | 'upload-error' | 'selection-error' | 'model-error';
    text: string;
    fraction?: number;
  } | null;
  plan: PhasePlan[];
  /** The last attack evaluation the worker answered with. */
  attack: AttackView | null;
  /** Robust accuracy of the attack switched on, one point per epoch it was evaluated at (reset when the attack changes). */
  attackTrace: { epoch: number; accuracy: number; clean: number }[];
  boundaries: BoundaryView | null;
  /** The last model export the worker answered with, to be downloaded once. */
  exported: { name: string; files: Record<string, Uint8Array>; serial: number } | null;
  /** Counts the models this view has seen (each load, reset or import is a new one). */
  modelSerial: number;
  /** The runs the worker stores, as it last reported them. */
  stored: StoredRunsView;
  /** The stored run on display after opening it, until training starts anew. */
  opened: number | null;
  /** A stored run's files the worker handed over, to be bundled once. */
  runFiles: { run: StoredRun; weights: WeightFiles | null; serial: number } | null;
  progress: Progress | null;
  history: EpochRecord[];
  /** Mean loss per progress snapshot, for the live loss curve between epochs. */
  lossTrace: { step: number; loss: number }[];
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
  attack: null,
  attackTrace: [],
  boundaries: null,
  exported: null,
  modelSerial: 0,
  stored: { runs: [], current: null, error: null, volatile: null, storage: { usage: null, quota: null } },
  opened: null,
  runFiles: null,
  progress: null,
  history: [],
  lossTrace: [],
  message: null,
};

/** Owns the training worker; a new backend choice starts a fresh worker. */
export function useTrainingWorker(backend: BackendChoice, config: ExperimentConfig) {
  // The view belongs to one worker: a different backend means a fresh worker and an empty view.
  const [owned, setOwned] = useState<{ backend: BackendChoice; view: TrainingView }>({ backend, view: EMPTY });
  const view = owned.backend === backend ? owned.view : EMPTY;
  const worker = useRef<Worker | null>(null);
  const configRef = useRef(config);
  // The last upload, replayed into a fresh worker when the backend changes, so it is not lost.
  const lastUpload = useRef<WorkerCommand | null>(null);
  useEffect(() => {
    configRef.current = config;
  }, [config]);

  useEffect(() => {
    const w = new Worker(new URL('../worker/trainingWorker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    const update = (f: (v: TrainingView) => TrainingView) =>
      setOwned((o) => ({ backend, view: f(o.backend === backend ? o.view : EMPTY) }));
    w.onmessage = (ev: MessageEvent<WorkerEvent>) => {
      // A fresh worker (new backend) must start from what is loaded now, not what was first asked for.
      if (ev.data.type === 'loaded') configRef.current = ev.data.config;
      update((v) => reduce(v, ev.data));
    };
    w.onerror = (ev) => update((v) => ({ ...v, state: 'failed', message: `Training worker failed: ${ev.message}` }));
    const init: WorkerCommand = { type: 'init', backend, config: configRef.current };
    w.postMessage(init);
    if (lastUpload.current && configRef.current.data.kind === 'upload') w.postMessage(lastUpload.current);
    return () => w.terminate();
  }, [backend]);

  const send = useCallback((cmd: WorkerCommand) => {
    if (cmd.type === 'upload') lastUpload.current = cmd;
    worker.current?.postMessage(cmd);
  }, []);

  return { view, send };
}

/** What a new run (new data, a reset, a new start) clears: everything computed from the old weights. */
const FRESH_RUN = {
  attack: null,
  attackTrace: [],
  boundaries: null,
  progress: null,
  history: [],
  lossTrace: [],
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
    case 'attackView':
      return { ...v, attack: e.view, attackTrace: traceAttack(v, e.view) };
    case 'boundaryView':
      return { ...v, boundaries: e.view };
    case 'exported':
      return { ...v, exported: { name: e.name, files: e.files, serial: (v.exported?.serial ?? 0) + 1 } };
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
    case 'runFiles':
      return { ...v, runFiles: { run: e.run, weights: e.weights, serial: (v.runFiles?.serial ?? 0) + 1 } };
    case 'state':
      return { ...v, state: e.state };
    case 'error':
      return { ...v, message: e.message };
    case 'snapshot': {
      const s = e.snapshot;
      const lossTrace = Number.isFinite(s.progress.loss)
        ? [...v.lossTrace, { step: s.progress.step, loss: s.progress.loss }]
        : v.lossTrace;
      return {
        ...v,
        progress: s.progress,
        lossTrace,
        // Training on from an opened run starts a new run: its curves start afresh.
        history: s.kind === 'epoch' ? [...(v.opened === null ? v.history : []), s.record] : v.history,
        opened: s.kind === 'epoch' ? null : v.opened,
        message: s.kind === 'diverged' ? s.message : v.message,
      };
    }
  }
}

/** One point per epoch for the same attack; a different attack starts a new trace. */
function traceAttack(v: TrainingView, next: AttackView): TrainingView['attackTrace'] {
  const same = v.attack && JSON.stringify(v.attack.request) === JSON.stringify(next.request);
  const point = { epoch: v.history.at(-1)?.runEpoch ?? 0, accuracy: next.accuracy, clean: next.clean };
  const trace = same ? v.attackTrace.filter((p) => p.epoch !== point.epoch) : [];
  return [...trace, point];
}
