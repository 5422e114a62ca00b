import type { BackendChoice } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { WorkerCommand, WorkerEvent, WorkerMessage } from '../worker/protocol';
import { WorkerClient } from './workerClient';

export type RestoreCommand = Extract<WorkerCommand, { type: 'restore' }>;

/** One training worker, from its start to its end. */
export interface LiveWorker {
  client: WorkerClient;
  /**
   * Ends the worker on purpose (another backend, a restart): it is asked to pause and finish
   * writing its runs first, for at most `graceMs`; nothing it says afterwards reaches the page.
   */
  retire(graceMs: number): Promise<void>;
}

interface Options {
  backend: BackendChoice;
  config: ExperimentConfig;
  /** The page was opened with ?faults: the worker honours injected faults (browser tests). */
  faults: boolean;
  restore: RestoreCommand | null;
  onEvent(e: WorkerEvent): void;
  /**
   * The worker cannot be trusted any more: it reported a fault, an error escaped it, or it is gone
   * (closed itself or crashed, which no event reports: its life lock says so). Called once.
   */
  onFailure(message: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startWorker(o: Options): LiveWorker {
  const w = new Worker(new URL('../worker/trainingWorker.ts', import.meta.url), { type: 'module' });
  const client = new WorkerClient(w);
  let ended = false;
  const fail = (message: string) => {
    if (ended) return;
    ended = true;
    w.terminate();
    client.close();
    o.onFailure(message);
  };
  const lock = `crmt-lab-worker-${crypto.randomUUID()}`;
  w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
    const e = ev.data;
    if (client.receive(e) || ended) return;
    if (e.type === 'alive')
      // Granted only once the worker no longer holds it: it has gone.
      void navigator.locks?.request(lock, () =>
        fail('The training worker stopped without a word (it closed or crashed)'),
      );
    else if (e.type === 'fault') fail(e.message);
    else o.onEvent(e);
  };
  w.onerror = (ev) => {
    ev.preventDefault();
    fail(`The training worker failed: ${ev.message || 'it could not start'}`);
  };
  client.send({ type: 'init', backend: o.backend, config: o.config, lock, faults: o.faults });
  if (o.restore) client.send(o.restore);
  return {
    client,
    retire: async (graceMs) => {
      if (ended) return;
      ended = true;
      if (graceMs > 0) await Promise.race([client.call({ type: 'retire' }).catch(() => undefined), sleep(graceMs)]);
      w.terminate();
      client.close();
    },
  };
}
