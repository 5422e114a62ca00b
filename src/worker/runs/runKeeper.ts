import type { SessionEvent, WorkerEvent } from '../protocol';
import { indexedDbRunStore } from './indexedDbRunStore';
import { RunRecorder, type RecorderState } from './runRecorder';
import { memoryRunStore, type RunStore, type WeightFiles } from './runStore';
import { summariseRun, type StoredRun, type StorageUse } from './storedRun';

async function openStore(): Promise<{ store: RunStore; volatile: string | null }> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('this browser offers no IndexedDB');
    return { store: await indexedDbRunStore(), volatile: null };
  } catch (e) {
    const why = (e as { message?: string } | null)?.message ?? String(e);
    return { store: memoryRunStore(), volatile: `Runs are kept for this page only: ${why}.` };
  }
}

async function estimate(): Promise<StorageUse> {
  try {
    const e = await navigator.storage?.estimate();
    return { usage: e?.usage ?? null, quota: e?.quota ?? null };
  } catch {
    return { usage: null, quota: null };
  }
}

/** How often, at most, the run list goes to the page while epochs stream in. */
const REPORT_MS = 150;
/** How often, at most, a tab re-reads the store after other tabs wrote to it. */
const REFRESH_MS = 1000;

/** Tabs of the lab tell each other that the stored runs changed, so every run list stays current. */
const CHANNEL = 'crmt-lab-runs';

/** Calls `f` once per `ms` at most, and once more after the last call. */
function throttle(f: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let again = false;
  const run = () => {
    timer = null;
    if (again) {
      again = false;
      f();
      timer = setTimeout(run, ms);
    }
  };
  return () => {
    again = true;
    if (!timer) run();
  };
}

/** The store, announcing every write and delete to the other tabs. */
function announcing(store: RunStore, announce: () => void): RunStore {
  return {
    ...store,
    save: async (run, weights) => {
      await store.save(run, weights);
      announce();
    },
    remove: async (id) => {
      await store.remove(id);
      announce();
    },
  };
}

/**
 * Keeps runs next to the tensors: the worker stores each epoch and its weights as soon as it has
 * them, so a busy page cannot delay the save. The page gets summaries, never the weights.
 */
export class RunKeeper {
  private readonly recorder: Promise<RunRecorder>;
  private state: RecorderState | null = null;
  private volatile: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly post: (e: WorkerEvent) => void) {
    this.recorder = openStore().then(({ store, volatile }) => {
      this.volatile = volatile;
      const channel = typeof BroadcastChannel === 'undefined' || volatile ? null : new BroadcastChannel(CHANNEL);
      const announce = channel ? throttle(() => channel.postMessage('changed'), REFRESH_MS) : () => {};
      const recorder = new RunRecorder(announcing(store, announce), (s) => {
        this.state = s;
        this.report();
      });
      if (channel) channel.onmessage = throttle(() => recorder.refresh(), REFRESH_MS);
      return recorder;
    });
  }

  record(e: SessionEvent): void {
    void this.recorder.then((r) => r.handle(e));
  }

  async rename(id: number, name: string): Promise<void> {
    (await this.recorder).rename(id, name);
  }

  async remove(id: number): Promise<void> {
    await (await this.recorder).remove(id);
  }

  async read(id: number): Promise<{ run: StoredRun; weights: WeightFiles | null } | null> {
    return (await this.recorder).read(id);
  }

  /** Resolves once every event so far has been applied and written. */
  async idle(): Promise<void> {
    await (await this.recorder).idle();
  }

  private report(): void {
    if (this.timer) return;
    this.timer = setTimeout(async () => {
      this.timer = null;
      const s = this.state;
      if (!s) return;
      this.post({
        type: 'runs',
        view: {
          runs: s.runs.map(summariseRun),
          current: s.current,
          error: s.error,
          volatile: this.volatile,
          storage: await estimate(),
        },
      });
    }, REPORT_MS);
  }
}
