import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { RunRecorder, type RecorderState } from '../../src/worker/runs/runRecorder';
import { memoryRunStore, type RunStore } from '../../src/worker/runs/runStore';
import { historyWithWeights, type StoredRun } from '../../src/worker/runs/storedRun';
import type { SessionEvent } from '../../src/worker/protocol';

const progress = { phase: 'train' as const, phaseIndex: 0, phases: 1, epoch: 1, epochs: 5, step: 1, totalSteps: 5 };

function epoch(runEpoch: number, accuracy = 0.5): SessionEvent {
  const m = { loss: 1 / runEpoch, accuracy, branchAccuracy: [accuracy, accuracy] };
  const record: EpochRecord = {
    epoch: runEpoch,
    runEpoch,
    phase: 'train',
    train: m,
    val: m,
    integration: null,
    evaluation: null,
  };
  return {
    type: 'snapshot',
    snapshot: { kind: 'epoch', record, progress: { ...progress, samplesPerSecond: 1, stepsPerSecond: 1, loss: 1 } },
  };
}

const loaded: SessionEvent = {
  type: 'loaded',
  dataset: {
    name: 'toy-2d',
    modalities: [
      { name: 'A', shape: [2] },
      { name: 'B', shape: [2] },
    ],
  } as never,
  available: [],
  config: DEFAULT_CONFIG,
  plan: [],
};

const checkpoint = (runEpoch: number, byte = runEpoch): SessionEvent => ({
  type: 'checkpoint',
  runEpoch,
  files: { 'model.safetensors': new Uint8Array([byte, byte, byte]) },
});

function recorder(store: RunStore = memoryRunStore()) {
  let state: RecorderState = { runs: [], current: null, error: null };
  const r = new RunRecorder(store, (s) => (state = s));
  return { r, store, state: () => state };
}

const play = (r: RunRecorder, events: SessionEvent[]) => events.forEach((e) => r.handle(e));

describe('RunRecorder', () => {
  it('stores a run after every epoch with the weights of that epoch, and its final status', async () => {
    const { r, store, state } = recorder();
    play(r, [loaded, { type: 'state', state: 'training' }, epoch(1), checkpoint(1), epoch(2), checkpoint(2)]);
    await r.idle();
    let [run] = await store.list();
    expect(run.history.map((h) => h.runEpoch)).toEqual([1, 2]);
    expect(run.weightsEpoch).toBe(2);
    expect(run.status).toBe('training');
    expect(await store.weights(run.id)).toEqual({ 'model.safetensors': new Uint8Array([2, 2, 2]) });
    expect(run.bytes).toBeGreaterThan(JSON.stringify(run.history).length);
    play(r, [{ type: 'state', state: 'done' }]);
    await r.idle();
    [run] = await store.list();
    expect(run.status).toBe('done');
    expect(state().current).toBe(run.id);
  });

  it('a reload reads the stored runs back, and a new run takes the next id', async () => {
    const store = memoryRunStore();
    const first = recorder(store);
    play(first.r, [loaded, epoch(1), checkpoint(1), epoch(2), checkpoint(2)]);
    await first.r.idle();
    // The page is reloaded mid-training: a new recorder over the same store.
    const second = recorder(store);
    await second.r.idle();
    expect(second.state().runs.map((x) => [x.id, x.history.length, x.status])).toEqual([[1, 2, 'training']]);
    expect(second.state().current).toBeNull();
    play(second.r, [loaded, epoch(1), checkpoint(1)]);
    await second.r.idle();
    expect((await store.list()).map((x) => x.id)).toEqual([1, 2]);
  });

  it('new data, a reset or a loaded model starts a new run at the next epoch', async () => {
    const { r, store } = recorder();
    const e = (k: number) => [epoch(k), checkpoint(k)];
    play(r, [loaded, ...e(1), { type: 'fresh' }, ...e(1), ...e(2), loaded, ...e(1)]);
    await r.idle();
    expect((await store.list()).map((x) => x.history.length)).toEqual([1, 2, 1]);
  });

  it('a reset, new settings or new data record the run they leave as stopped at its epoch; a finished one stays done', async () => {
    const { r, store } = recorder();
    const training = { type: 'state', state: 'training' } as const;
    play(r, [loaded, training, epoch(1), epoch(2), { type: 'fresh' }, { type: 'state', state: 'idle' }]);
    play(r, [training, epoch(1), { type: 'state', state: 'paused' }, loaded]);
    play(r, [training, epoch(1), { type: 'state', state: 'done' }, { type: 'fresh' }]);
    play(r, [training, epoch(1), { type: 'state', state: 'diverged' }, loaded]);
    await r.idle();
    expect((await store.list()).map((x) => [x.status, x.history.length])).toEqual([
      ['stopped', 2],
      ['stopped', 1],
      ['done', 1],
      ['diverged', 1],
    ]);
  });

  it('a run resumed by a fresh worker keeps its id and history, drops epochs without weights, and goes on', async () => {
    const store = memoryRunStore();
    const first = recorder(store);
    play(first.r, [loaded, { type: 'state', state: 'training' }, epoch(1), checkpoint(1), epoch(2), checkpoint(2)]);
    // A rename while epoch 3 trains writes its metrics before its weights: the worker then died.
    play(first.r, [epoch(3)]);
    first.r.rename(1, 'interrupted');
    await first.r.idle();
    const [stored] = await store.list();
    expect([stored.history.length, stored.weightsEpoch]).toEqual([3, 2]);
    expect(historyWithWeights(stored).map((h) => h.runEpoch)).toEqual([1, 2]);
    // The new worker installs the run's model and says which run goes on, with the epochs it has weights for.
    const second = recorder(store);
    const history = historyWithWeights(stored);
    play(second.r, [loaded, { type: 'resumed', id: stored.id, history }, { type: 'state', state: 'paused' }]);
    await second.r.idle();
    expect(second.state().current).toBe(stored.id);
    let [run] = await store.list();
    expect([run.status, run.history.map((h) => h.runEpoch)]).toEqual(['paused', [1, 2]]);
    play(second.r, [{ type: 'state', state: 'training' }, epoch(3), checkpoint(3, 9)]);
    await second.r.idle();
    [run] = await store.list();
    expect((await store.list()).map((x) => x.id)).toEqual([stored.id]);
    expect([run.status, run.history.map((h) => h.runEpoch), run.weightsEpoch]).toEqual(['training', [1, 2, 3], 3]);
    expect(await store.weights(run.id)).toEqual({ 'model.safetensors': new Uint8Array([9, 9, 9]) });
  });

  it("writes an epoch's metrics with its weights: a reload between the two stores neither", async () => {
    const store = memoryRunStore();
    const { r, state } = recorder(store);
    play(r, [loaded, { type: 'state', state: 'training' }, epoch(1, 0.5), checkpoint(1), epoch(2, 0.9)]);
    await r.idle();
    // The page lists the epoch at once…
    expect(state().runs[0].history.map((h) => h.runEpoch)).toEqual([1, 2]);
    // …but the store (what a reload reads) has metrics and weights of epoch 1 only.
    const [kept] = await store.list();
    expect([kept.history.map((h) => h.val.accuracy), kept.weightsEpoch]).toEqual([[0.5], 1]);
    expect(await store.weights(kept.id)).toEqual({ 'model.safetensors': new Uint8Array([1, 1, 1]) });
    play(r, [checkpoint(2)]);
    await r.idle();
    const [run] = await store.list();
    expect([run.history.map((h) => h.val.accuracy), run.weightsEpoch]).toEqual([[0.5, 0.9], 2]);
  });

  it('historyWithWeights keeps the epochs up to the stored weights, none before the first checkpoint', () => {
    const records = [1, 2, 3].map((k) => (epoch(k) as { snapshot: { record: EpochRecord } }).snapshot.record);
    const run = { history: records, weightsEpoch: 2 } as StoredRun;
    expect(historyWithWeights(run).map((h) => h.runEpoch)).toEqual([1, 2]);
    expect(historyWithWeights({ ...run, weightsEpoch: 3 })).toHaveLength(3);
    expect(historyWithWeights({ ...run, weightsEpoch: null })).toEqual([]);
  });

  it('ignores a checkpoint that does not match the last epoch of the run', async () => {
    const { r, store } = recorder();
    play(r, [loaded, epoch(1), epoch(2), checkpoint(1)]);
    await r.idle();
    expect(await store.list()).toEqual([]);
    // Paused, the run is stored with its metrics and no weights.
    play(r, [{ type: 'state', state: 'paused' }]);
    await r.idle();
    const [run] = await store.list();
    expect([run.history.length, run.weightsEpoch]).toEqual([2, null]);
    expect(await store.weights(run.id)).toBeNull();
  });

  it('renames and deletes; a deleted live run stores no later epochs', async () => {
    const { r, store, state } = recorder();
    play(r, [loaded, epoch(1), checkpoint(1)]);
    r.rename(1, '  fusion baseline ');
    await r.idle();
    expect((await store.list())[0].name).toBe('fusion baseline');
    r.rename(1, '   ');
    await r.idle();
    expect((await store.list())[0].name).toBe('fusion baseline');
    await r.remove(1);
    play(r, [epoch(2), checkpoint(2)]);
    await r.idle();
    expect(await store.list()).toEqual([]);
    expect(await store.weights(1)).toBeNull();
    // A reset starts a new run, with a new id: ids are never reused.
    play(r, [{ type: 'fresh' }, epoch(1), checkpoint(1)]);
    await r.idle();
    expect((await store.list()).map((x) => x.id)).toEqual([2]);
    expect(state().runs.map((x) => x.id)).toEqual([2]);
  });

  it('reports a full quota with the run and epoch it lost, keeps going, and clears it when a write succeeds', async () => {
    const inner = memoryRunStore();
    let full = true;
    const quota = () => Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    const store: RunStore = {
      ...inner,
      save: async (run: StoredRun, w) => {
        if (full) throw quota();
        return inner.save(run, w);
      },
      nextId: async () => {
        if (full) throw quota();
        return inner.nextId();
      },
    };
    const { r, state } = recorder(store);
    play(r, [loaded, epoch(1), checkpoint(1)]);
    await r.idle();
    expect(state().error).toMatch(/^Browser storage is full: #1 jt · toy-2d · seed 1 at epoch 1 was not saved/);
    expect(state().runs).toHaveLength(1);
    full = false;
    play(r, [epoch(2), checkpoint(2)]);
    await r.idle();
    expect(state().error).toBeNull();
    const [run] = await inner.list();
    expect(run.history).toHaveLength(2);
    expect(run.weightsEpoch).toBe(2);
  });

  it('writes one at a time and coalesces epochs that arrive while a write is in flight', async () => {
    const inner = memoryRunStore();
    const writes: number[] = [];
    let inFlight = 0;
    const store: RunStore = {
      ...inner,
      save: async (run, w) => {
        expect(++inFlight).toBe(1);
        await new Promise((res) => setTimeout(res, 5));
        writes.push(run.history.length);
        inFlight--;
        return inner.save(run, w);
      },
    };
    const { r } = recorder(store);
    play(r, [loaded, ...[1, 2, 3, 4, 5, 6].flatMap((k) => [epoch(k), checkpoint(k)])]);
    await r.idle();
    expect(writes.at(-1)).toBe(6);
    expect(writes.length).toBeLessThan(12);
    const [run] = await inner.list();
    expect(run.weightsEpoch).toBe(6);
    expect(await inner.weights(1)).toEqual({ 'model.safetensors': new Uint8Array([6, 6, 6]) });
  });
});

describe('RunRecorder across tabs', () => {
  it('a refresh brings in runs, names and deletions from other tabs and keeps its own run', async () => {
    const store = memoryRunStore();
    const a = recorder(store);
    const b = recorder(store);
    play(a.r, [loaded, epoch(1), checkpoint(1)]);
    play(b.r, [loaded, epoch(1), checkpoint(1), epoch(2), checkpoint(2)]);
    await Promise.all([a.r.idle(), b.r.idle()]);
    a.r.refresh();
    b.r.refresh();
    await Promise.all([a.r.idle(), b.r.idle()]);
    const view = (s: RecorderState) => s.runs.map((r) => [r.id, r.history.length]);
    expect(view(a.state())).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(view(b.state())).toEqual(view(a.state()));
    // B renames A's run and deletes its own; A sees both, and its own run keeps recording.
    b.r.rename(1, 'renamed in B');
    await b.r.remove(2);
    await b.r.idle();
    a.r.refresh();
    play(a.r, [epoch(2), checkpoint(2)]);
    await a.r.idle();
    expect(a.state().runs.map((r) => [r.id, r.name, r.history.length])).toEqual([[1, 'renamed in B', 2]]);
    expect((await store.list()).map((r) => [r.id, r.name, r.history.length])).toEqual([[1, 'renamed in B', 2]]);
  });

  it('a run of this tab deleted in another stays deleted: its later epochs are not stored', async () => {
    const store = memoryRunStore();
    const a = recorder(store);
    const b = recorder(store);
    play(a.r, [loaded, epoch(1), checkpoint(1)]);
    await a.r.idle();
    b.r.refresh();
    await b.r.remove(1);
    a.r.refresh();
    play(a.r, [epoch(2), checkpoint(2)]);
    await a.r.idle();
    expect(await store.list()).toEqual([]);
    expect(a.state().runs).toEqual([]);
  });
});
