/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, BackendName } from '../core/backend/backendNames';
import { BackendSelector } from '../core/backend/backendSelector';
import { modelHasConvolutions } from '../core/backend/modelHasConvolutions';
import { builtinTimingModel, standInTimingModel, timingModelHasConvolutions } from '../core/backend/timingModel';
import { Answerer } from './answer';
import { browserDecoders } from './browserDecoders';
import { FaultInjector } from './faultInjection';
import { failure } from './failure';
import type { PageMessage, SessionEvent, WorkerCommand, WorkerEvent, WorkerMessage } from './protocol';
import { browserPrechecks, softwareGpus, webgpuAdapterDescription } from './registerBackends';
import { RunKeeper } from './runs/runKeeper';
import { TrainingSession } from './trainingSession';
import { yieldOnEveryRead } from './yieldOnRead';

yieldOnEveryRead();

type Loaded = Extract<WorkerEvent, { type: 'loaded' }>;

/** The model the session installed last: what the backend has to be able to train. */
let loaded: Loaded | null = null;
const toPage = (m: WorkerMessage) => self.postMessage(m);
const keeper = new RunKeeper(toPage);
// Every event also feeds the run store; the weights of a checkpoint stay here.
const post = (e: SessionEvent) => {
  if (e.type === 'loaded') loaded = e;
  keeper.record(e);
  if (e.type !== 'checkpoint') toPage(e);
};
const faults = new FaultInjector();
/** Set by init: whether `injectFault` is honoured (the page was opened with ?faults). */
let faultsAllowed = false;
const session = new TrainingSession(
  post,
  keeper,
  () => exclusively(() => refit(false)),
  faults.decoders(browserDecoders),
  faults.training,
);
let selector: BackendSelector | null = null;

/**
 * Commands wait while the backend is being chosen or changed: timing switches the active backend
 * back and forth, and a re-selection reinstalls the model.
 */
let gate: Promise<unknown> = Promise.resolve();
function exclusively(task: () => Promise<void>): Promise<void> {
  const run = gate.then(task);
  gate = run.catch(() => undefined);
  return run;
}

/** Auto does not time a GPU that a software rasteriser emulates on this machine's CPU. */
function softwareReasons(): Partial<Record<BackendName, string>> {
  const reasons: Partial<Record<BackendName, string>> = {};
  for (const [name, renderer] of Object.entries(softwareGpus) as [BackendName, string][])
    reasons[name] = `software-emulated GPU (${renderer}), runs on this CPU`;
  return reasons;
}

function describe(info: BackendInfo): BackendInfo {
  let reason = info.reason;
  if (info.name === 'webgpu' && webgpuAdapterDescription) reason += ` — adapter: ${webgpuAdapterDescription}`;
  if (info.name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'))
    reason += ' — this GPU renders in float16, so results differ slightly from other backends';
  return { ...info, reason };
}

/**
 * After the session installed a model: a model that gained or lost convolutions may need another
 * backend (auto times the new kind of model; a backend without a convolution gradient cannot train a CNN). `reinstall`: load the same
 * config again so the model is built on the new backend; otherwise (an imported model) only a
 * backend that cannot train it is replaced, and its tensors move on first use.
 */
async function refit(reinstall: boolean): Promise<void> {
  const current = loaded;
  if (!selector || !current) return;
  const conv = modelHasConvolutions(current.config.model, current.dataset.modalities);
  const change = await selector.fit(conv, () => standInTimingModel(current.dataset, current.config), !reinstall);
  if (!change) return;
  post({ type: 'backend', info: describe(change.info) });
  if (change.switched && reinstall) session.load(current.config);
}

async function handle(cmd: WorkerCommand): Promise<void> {
  switch (cmd.type) {
    case 'init':
      faultsAllowed = cmd.faults === true;
      if (cmd.lock) holdLock(cmd.lock);
      return exclusively(async () => {
        const s = (selector = new BackendSelector(cmd.backend, browserPrechecks, undefined, softwareReasons));
        // Auto times the model about to be loaded; a forced backend is checked against it after loading.
        const model = cmd.backend === 'auto' ? builtinTimingModel(cmd.config) : null;
        const change = await s.fit(model ? timingModelHasConvolutions(model) : false, () => model!);
        post({ type: 'backend', info: describe(change!.info) });
        session.load(cmd.config);
        await refit(true);
      });
    case 'load':
      try {
        session.load(cmd.config);
      } catch (e) {
        // Everything that can fail happens before the current run is touched: nothing changed.
        return post({ type: 'error', message: `Settings not applied: ${failure(e)}. The experiment is unchanged.` });
      }
      return exclusively(() => refit(true));
    case 'train':
      return session.train();
    case 'pause':
      return session.pause();
    case 'step':
      return session.step();
    case 'reset':
      return session.reset();
    case 'upload':
      await session.upload(cmd.files, cmd.name);
      return exclusively(() => refit(true));
    case 'selectModalities':
      session.selectModalities(cmd.names);
      return exclusively(() => refit(true));
    case 'watchAttack':
      return session.watchAttack(cmd.attack);
    case 'restore':
      if (cmd.upload) {
        await session.upload(cmd.upload.files, cmd.upload.name);
        await exclusively(() => refit(true));
      }
      if (cmd.model) await session.restore(cmd.model);
      if (cmd.train) return session.resumeTraining();
      return;
    case 'injectFault':
      if (faultsAllowed) faults.inject(cmd.fault);
      return;
  }
}

/** What a failing command was doing, for the page's message. */
const DOING: Record<WorkerCommand['type'], string> = {
  init: 'Starting the training worker',
  load: 'Applying the settings',
  train: 'Training',
  pause: 'Pausing',
  step: 'The training step',
  reset: 'Reset',
  upload: 'Reading the upload',
  selectModalities: 'Choosing the modalities',
  watchAttack: 'Watching the attack',
  restore: 'Restoring the model on display',
  injectFault: 'Injecting a fault',
};

/**
 * Holds a Web Lock for the worker's whole life and says so: the page waits for the same lock,
 * which it gets only once this worker has gone (closed itself, crashed or was ended).
 */
function holdLock(name: string): void {
  void navigator.locks?.request(name, () => {
    post({ type: 'alive' });
    return new Promise<never>(() => {});
  });
}

// A promise nobody awaited failed: the worker's state is unknown, so the page restarts it.
self.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  post({ type: 'fault', message: `An operation in the training worker failed: ${failure(e.reason)}` });
});

// Queries wait for the backend too, and are answered one at a time.
const answerer = new Answerer(session, toPage, () => gate);

self.onmessage = (ev: MessageEvent<PageMessage>) => {
  if (answerer.receive(ev.data)) return;
  const cmd = ev.data;
  gate
    .then(() => handle(cmd))
    .catch((e: unknown) => {
      // The model or the backend may be broken (a kernel threw, memory ran out): the page restarts this worker.
      post({ type: 'fault', message: `${DOING[cmd.type]} failed (${failure(e)})` });
    });
};
