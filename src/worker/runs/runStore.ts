import type { StoredRun } from './storedRun';

export type WeightFiles = Record<string, Uint8Array>;

/** Where runs live between page loads. One `save` is one transaction: record and weights land together or not at all. */
export interface RunStore {
  list(): Promise<StoredRun[]>;
  save(run: StoredRun, weights?: WeightFiles): Promise<void>;
  weights(id: number): Promise<WeightFiles | null>;
  remove(id: number): Promise<void>;
  /** A new run id, never handed out before by this store (ids of deleted runs are not reused). */
  nextId(): Promise<number>;
}

/** Runs kept for this page only: the fallback when the browser offers no IndexedDB, and the unit tests' store. */
export function memoryRunStore(): RunStore {
  const runs = new Map<number, StoredRun>();
  const files = new Map<number, WeightFiles>();
  let last = 0;
  return {
    list: async () => [...runs.values()].map((r) => structuredClone(r)),
    save: async (run, weights) => {
      runs.set(run.id, structuredClone(run));
      if (weights) files.set(run.id, weights);
    },
    weights: async (id) => files.get(id) ?? null,
    remove: async (id) => {
      runs.delete(id);
      files.delete(id);
    },
    nextId: async () => (last = Math.max(last, ...runs.keys()) + 1),
  };
}
