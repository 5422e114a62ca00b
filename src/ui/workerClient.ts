import type { PageMessage, Query, Reply, ResultOf, WorkerCommand, WorkerMessage } from '../worker/protocol';

/** Asks the worker one query; the promise settles with its answer, or rejects with the reason it was refused. */
export type Call = <Q extends Query>(query: Q, signal?: AbortSignal) => Promise<ResultOf<Q['type']>>;

/**
 * The page's side of the worker: stream commands go out as they are; each call gets an id and
 * a promise. A call whose `signal` aborts is withdrawn (the worker skips it, or drops its
 * answer) and, like a call the worker reports superseded, never settles: whoever asked has moved
 * on, so a stale answer cannot reach them.
 */
export class WorkerClient {
  private lastId = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; done(): void }>();

  constructor(private readonly port: { postMessage(m: PageMessage): void }) {}

  send(cmd: WorkerCommand): void {
    this.port.postMessage(cmd);
  }

  call: Call = (query, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return;
      const id = ++this.lastId;
      const withdraw = () => {
        if (this.forget(id)) this.port.postMessage({ type: 'cancel', id });
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      const done = () => signal?.removeEventListener('abort', withdraw);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, done });
      this.port.postMessage({ type: 'call', id, query });
    });

  /** A message from the worker: settles its call if it is a reply (true), else it is an event for the view. */
  receive(m: WorkerMessage): m is Reply {
    if (m.type !== 'answer' && m.type !== 'refused' && m.type !== 'superseded') return false;
    const call = this.pending.get(m.id);
    this.forget(m.id);
    if (m.type === 'answer') call?.resolve(m.result);
    if (m.type === 'refused') call?.reject(new Error(m.message));
    return true;
  }

  /** Calls waiting for an answer. */
  get waiting(): number {
    return this.pending.size;
  }

  /** The worker is gone: nothing waiting will be answered. */
  close(): void {
    for (const id of [...this.pending.keys()]) this.forget(id);
  }

  private forget(id: number): boolean {
    const call = this.pending.get(id);
    call?.done();
    return this.pending.delete(id);
  }
}
