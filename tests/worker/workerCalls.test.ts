import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import type { AttackView } from '../../src/core/robust/attackView';
import { Answerer, Superseded } from '../../src/worker/answer';
import type { Answers, PageMessage, Reply, WorkerMessage } from '../../src/worker/protocol';
import type { StoredRun } from '../../src/worker/runs/storedRun';
import { WorkerClient } from '../../src/ui/workerClient';

/** A promise the test settles by hand: the answer of a query that takes as long as the test wants. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const request = (eps: number) => ({ kind: 'pgd-l2' as const, targets: [true, false], eps, sample: 0 });
const attackView = (eps: number) => ({ request: request(eps), clean: 0.9, accuracy: 1 - eps / 10 }) as AttackView;

/** Answers that record which queries started, and finish when the test says so. */
function fakeSession() {
  const started: string[] = [];
  /** Each running attack's way to ask whether the page still wants it. */
  const withdrawn = new Map<string, () => boolean>();
  const gates = new Map<string, ReturnType<typeof deferred<unknown>>>();
  const hold = (name: string) => {
    started.push(name);
    const d = deferred<unknown>();
    gates.set(name, d);
    return d.promise;
  };
  // Every query this test asks; a query added later needs no answer here.
  const answers = {
    attack: async ({ request }, isWithdrawn) => {
      withdrawn.set(`attack ${request.eps}`, isWithdrawn ?? (() => false));
      await hold(`attack ${request.eps}`);
      return attackView(request.eps);
    },
    boundaries: async () => (await hold('boundaries'), null as never),
    export: async () => ({ name: 'toy', files: { 'config.json': new Uint8Array([1, 2, 3]) } }),
    importModel: async ({ files }) => {
      throw new DataError(`${files[0].path} is not a readable ZIP archive (invalid zip data)`);
    },
    openRun: async () => {
      throw new Superseded();
    },
    renameRun: async ({ id, name }) => void (await hold(`rename ${id} ${name}`)),
    deleteRun: async () => {
      throw new Error('the store is locked');
    },
    runFiles: async ({ id }) => ({ run: { id, name: `run ${id}` } as StoredRun, weights: null }),
  } satisfies Partial<Answers>;
  /** Lets a started query finish. */
  const release = (name: string) => gates.get(name)!.resolve(undefined);
  return { answers, started, release, withdrawn };
}

const open: MessageChannel[] = [];
afterEach(() => open.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

/** The page's client and the worker's answerer, talking through a real MessageChannel as page and worker do. */
function wire(ready?: () => Promise<unknown>) {
  const channel = new MessageChannel();
  open.push(channel);
  const session = fakeSession();
  const page = new WorkerClient({ postMessage: (m: PageMessage) => channel.port1.postMessage(m) });
  const events: WorkerMessage[] = [];
  channel.port1.on('message', (m: WorkerMessage) => {
    if (!page.receive(m)) events.push(m);
  });
  const replied: Reply[] = [];
  const answerer = new Answerer(session.answers, (r) => (replied.push(r), channel.port2.postMessage(r)), ready);
  const commands: PageMessage[] = [];
  channel.port2.on('message', (m: PageMessage) => {
    if (!answerer.receive(m)) commands.push(m);
  });
  return { page, answerer, events, commands, replied, ...session };
}

/** Settles to 'pending' while `p` has not settled by the time the worker went quiet. */
const state = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((r) => setTimeout(() => r('pending'), 30)),
  ]);

/** Waits until the worker has started `n` queries. */
async function startedCount(started: string[], n: number) {
  for (let i = 0; i < 200 && started.length < n; i++) await new Promise((r) => setTimeout(r, 2));
  expect(started.length).toBe(n);
}

describe('worker calls', () => {
  it('types each reply after its query', () => {
    const { page } = wire();
    expectTypeOf(page.call({ type: 'attack', request: request(1) })).toEqualTypeOf<Promise<AttackView>>();
    expectTypeOf(page.call({ type: 'renameRun', id: 1, name: 'x' })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(page.call({ type: 'runFiles', id: 1 })).resolves.toHaveProperty('weights');
    // @ts-expect-error a query of an unknown kind does not compile
    void page.call({ type: 'nothing' } as const);
    page.close();
  });

  it('each reply resolves the promise of its own call, and nothing is left pending', async () => {
    const { page, answerer } = wire();
    const [a, b, c] = [
      page.call({ type: 'runFiles', id: 7 }),
      page.call({ type: 'export' }),
      page.call({ type: 'runFiles', id: 9 }),
    ];
    expect(page.waiting).toBe(3);
    expect((await a).run.id).toBe(7);
    expect((await c).run.id).toBe(9);
    expect(await b).toEqual({ name: 'toy', files: { 'config.json': new Uint8Array([1, 2, 3]) } });
    expect(page.waiting).toBe(0);
    expect(answerer.pending).toBe(0);
  });

  it('a refusal rejects with its message, as the user should read it; the next call is answered', async () => {
    const { page, answerer, events } = wire();
    const files = [{ path: 'x.zip', bytes: new TextEncoder().encode('not a zip') }];
    await expect(page.call({ type: 'importModel', files })).rejects.toThrow(
      /^x\.zip is not a readable ZIP archive \(invalid zip data\)$/,
    );
    await expect(page.call({ type: 'deleteRun', id: 1 })).rejects.toThrow('the store is locked');
    expect((await page.call({ type: 'runFiles', id: 2 })).run.id).toBe(2);
    // Replies are not events: the streamed view never saw them.
    expect(events).toEqual([]);
    expect([page.waiting, answerer.pending]).toEqual([0, 0]);
  });

  it('a withdrawn query that has not started is skipped; one that is running has its answer dropped', async () => {
    const { page, answerer, started, release, replied } = wire();
    const first = new AbortController();
    const second = new AbortController();
    const running = page.call({ type: 'attack', request: request(1) }, first.signal);
    const queued = page.call({ type: 'renameRun', id: 1, name: 'never' }, second.signal);
    const last = page.call({ type: 'renameRun', id: 2, name: 'kept' });
    await startedCount(started, 1);
    first.abort();
    second.abort();
    expect(page.waiting).toBe(1);
    // The cancellations reach the worker in order: once the queued one is gone, the running one is marked.
    for (let i = 0; i < 100 && answerer.pending > 2; i++) await new Promise((r) => setTimeout(r, 2));
    expect(answerer.pending).toBe(2);
    release('attack 1');
    await startedCount(started, 2);
    release('rename 2 kept');
    await last;
    // Replies come in order: had the withdrawn calls been answered, they would have settled by now.
    expect(started).toEqual(['attack 1', 'rename 2 kept']);
    // The worker sent nothing for them: a withdrawn answer is not even cloned.
    expect(replied.map((r) => [r.id, r.type])).toEqual([[3, 'answer']]);
    expect(await state(running)).toBe('pending');
    expect(await state(queued)).toBe('pending');
    expect([page.waiting, answerer.pending]).toEqual([0, 0]);
  });

  it('a running answer is told once the page withdraws it, so a long one can stop early', async () => {
    const { page, answerer, started, release, withdrawn } = wire();
    const asking = new AbortController();
    void page.call({ type: 'attack', request: request(2) }, asking.signal);
    await startedCount(started, 1);
    const isWithdrawn = withdrawn.get('attack 2')!;
    expect(isWithdrawn()).toBe(false);
    asking.abort();
    for (let i = 0; i < 100 && !isWithdrawn(); i++) await new Promise((r) => setTimeout(r, 2));
    expect(isWithdrawn()).toBe(true);
    release('attack 2');
    for (let i = 0; i < 100 && answerer.pending > 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(answerer.pending).toBe(0);
  });

  it('asking again for a view skips the older asks still waiting; the one running answers the same question', async () => {
    const { page, answerer, started, release } = wire();
    const asks = [page.call({ type: 'attack', request: request(1) })];
    await startedCount(started, 1);
    // While ε = 1 is computed, the page asks for ε = 2, 3, 4 (and a rename), then 5.
    asks.push(...[2, 3, 4].map((eps) => page.call({ type: 'attack', request: request(eps) })));
    const rename = page.call({ type: 'renameRun', id: 5, name: 'five' });
    const last = page.call({ type: 'attack', request: request(5) });
    await new Promise((r) => setTimeout(r, 10));
    release('attack 1');
    expect((await asks[0]).request.eps).toBe(1);
    await startedCount(started, 2);
    release('rename 5 five');
    await rename;
    await startedCount(started, 3);
    release('attack 5');
    expect((await last).request.eps).toBe(5);
    // ε = 2, 3, 4 never ran and never reach the page: only the newest view was computed.
    expect(started).toEqual(['attack 1', 'rename 5 five', 'attack 5']);
    for (const p of asks.slice(1)) expect(await state(p)).toBe('pending');
    expect([page.waiting, answerer.pending]).toEqual([0, 0]);
  });

  it('an answer superseded in the worker (the model changed) never reaches the caller', async () => {
    const { page, answerer } = wire();
    const opened = page.call({ type: 'openRun', id: 3 });
    expect((await page.call({ type: 'runFiles', id: 3 })).run.id).toBe(3);
    expect(await state(opened)).toBe('pending');
    expect([page.waiting, answerer.pending]).toEqual([0, 0]);
  });

  it('queries wait until the worker is ready; stream commands pass by the answerer', async () => {
    const backend = deferred<void>();
    const { page, started, release, commands } = wire(() => backend.promise);
    const renamed = page.call({ type: 'renameRun', id: 1, name: 'later' });
    page.send({ type: 'train' });
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([]);
    expect(commands).toEqual([{ type: 'train' }]);
    backend.resolve();
    await startedCount(started, 1);
    release('rename 1 later');
    await renamed;
  });

  it('an aborted signal asks nothing; closing the client forgets every call', async () => {
    const { page, started } = wire();
    const gone = new AbortController();
    gone.abort();
    const never = page.call({ type: 'attack', request: request(1) }, gone.signal);
    expect(page.waiting).toBe(0);
    const waiting = page.call({ type: 'attack', request: request(2) });
    await startedCount(started, 1);
    expect(started).toEqual(['attack 2']);
    page.close();
    expect(page.waiting).toBe(0);
    expect(await state(never)).toBe('pending');
    expect(await state(waiting)).toBe('pending');
  });
});
