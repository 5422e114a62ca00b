import type { BackendChoice } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { UploadFile } from '../core/data/formats/upload';
import type { InjectedFault } from '../worker/faultInjection';
import type { WorkerCommand } from '../worker/protocol';
import { EMPTY, reduce, type TrainingView } from './trainingView';
import type { Call } from './workerClient';
import { startWorker, type LiveWorker, type RestoreCommand } from './workerLife';

/** Automatic restarts allowed within RESTART_WINDOW_MS; a worker that keeps failing is left stopped. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
/** How long a worker being replaced may take to pause and write its runs. */
const RETIRE_MS = 3000;

type Upload = Extract<WorkerCommand, { type: 'upload' }>;
type WatchAttack = Extract<WorkerCommand, { type: 'watchAttack' }>;

/**
 * Keeps a training worker running for the page. A new backend choice replaces it; a worker that
 * fails (a fault it reports, an error that escapes it, or its death) is replaced too. Either way
 * the new worker gets back what the page had: the upload (read again), the model on display (the
 * run being trained goes on under its own id from its last stored epoch; an opened run or an
 * imported model comes back as it was) and the settings, while the view keeps showing them.
 */
export class WorkerSupervisor {
  private view: TrainingView = EMPTY;
  private host: LiveWorker | null = null;
  private backend: BackendChoice | null = null;
  /** The config a new worker starts from: what is installed now, not what was first asked for. */
  private config: ExperimentConfig;
  // The last upload the worker accepted (read again by a new worker), and the one it is reading now.
  private lastUpload: Upload | null = null;
  private pendingUpload: Upload | null = null;
  // The files of the model imported last, with the model serial it got: restored while it is on display.
  private lastImport: { files: UploadFile[]; serial: number } | null = null;
  /** The attack the page has switched on: a new worker records it after every epoch too. */
  private watched: WatchAttack | null = null;
  private restarts: number[] = [];
  private switching = 0;

  constructor(
    config: ExperimentConfig,
    private readonly render: (v: TrainingView) => void,
    /** ?faults: workers honour injected faults (the browser tests). */
    private readonly faults = false,
  ) {
    this.config = config;
  }

  /** Starts the first worker, or replaces the current one by a worker on backend `b` that trains on if it was training. */
  setBackend(b: BackendChoice): void {
    if (b === this.backend) return;
    this.backend = b;
    const old = this.host;
    this.host = null;
    const restore = old ? this.recipe(this.view.state === 'training') : null;
    this.update((v) => ({ ...v, state: 'starting', backend: null }));
    const mine = ++this.switching;
    void (old?.retire(RETIRE_MS) ?? Promise.resolve()).then(() => {
      if (mine === this.switching && this.backend === b) this.launch(b, restore);
    });
  }

  send = (cmd: WorkerCommand): void => {
    if (cmd.type === 'upload') this.pendingUpload = cmd;
    if (cmd.type === 'watchAttack') this.watched = cmd;
    if (cmd.type !== 'pause' && cmd.type !== 'injectFault') this.update((v) => (v.fault ? { ...v, fault: null } : v));
    // A worker that kept failing was left stopped: Reset starts a fresh one.
    if (!this.host && this.view.state === 'failed' && cmd.type === 'reset' && this.backend) {
      this.restarts = [];
      this.update((v) => ({ ...v, state: 'starting' }));
      return this.launch(this.backend, null);
    }
    this.host?.client.send(cmd);
  };

  call: Call = (query, signal) => {
    const client = this.host?.client;
    if (!client) return Promise.reject(new Error('The training worker is not running.'));
    const answer = client.call(query, signal);
    if (query.type === 'importModel')
      void answer.then(
        () => (this.lastImport = { files: query.files, serial: this.view.modelSerial }),
        () => undefined,
      );
    return answer;
  };

  inject(fault: InjectedFault): void {
    this.host?.client.send({ type: 'injectFault', fault });
  }

  dispose(): void {
    this.switching++;
    this.backend = null;
    void this.host?.retire(0);
    this.host = null;
  }

  private update(f: (v: TrainingView) => TrainingView): void {
    const next = f(this.view);
    if (next === this.view) return;
    this.view = next;
    this.render(next);
  }

  /** What a new worker needs to get back to the page's state. */
  private recipe(train: boolean): RestoreCommand {
    const v = this.view;
    const upload = this.config.data.kind === 'upload' ? this.lastUpload : null;
    const imported = this.lastImport?.serial === v.modelSerial ? this.lastImport : null;
    return {
      type: 'restore',
      upload: upload && { files: upload.files, name: upload.name },
      model:
        v.stored.current !== null && v.history.length > 0
          ? { kind: 'run', id: v.stored.current, continues: true }
          : v.opened !== null
            ? { kind: 'run', id: v.opened, continues: false }
            : imported && { kind: 'import', files: imported.files },
      train,
    };
  }

  private launch(b: BackendChoice, restore: RestoreCommand | null): void {
    const worker: LiveWorker = startWorker({
      backend: b,
      config: this.config,
      faults: this.faults,
      restore,
      onEvent: (e) => {
        if (this.host !== worker) return;
        if (e.type === 'loaded') {
          this.config = e.config;
          if (e.config.data.kind === 'upload' && this.pendingUpload) this.lastUpload = this.pendingUpload;
          this.pendingUpload = null;
        }
        if (e.type === 'dataError' && e.during === 'upload') this.pendingUpload = null;
        this.update((v) => reduce(v, e));
      },
      onFailure: (message) => {
        if (this.host === worker) this.restart(b, message);
      },
    });
    this.host = worker;
    if (this.watched) worker.client.send(this.watched);
  }

  private restart(b: BackendChoice, message: string): void {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.host = null;
      return this.update((v) => ({
        ...v,
        state: 'failed',
        fault:
          `${message}. The training worker failed ${MAX_RESTARTS + 1} times within a minute, so it was not ` +
          'started again: Reset starts it afresh, or choose another backend.',
      }));
    }
    this.restarts.push(now);
    const again = this.recipe(false);
    this.update((v) => ({ ...v, state: 'starting', fault: `${message}. ${recovery(again)}` }));
    this.launch(b, again);
  }
}

/** What the page gets back after a restart, in words. */
function recovery(r: RestoreCommand): string {
  const m = r.model;
  const what = !m
    ? 'the settings and data are back'
    : m.kind === 'import'
      ? 'the imported model is back'
      : m.continues
        ? `run #${m.id} goes on from its last stored epoch`
        : `run #${m.id} is open again`;
  return `The training worker was restarted: ${what}.`;
}
