import type { RunStore, WeightFiles } from './runStore';
import type { StoredRun } from './storedRun';

const DB = 'crmt-lab';
const RUNS = 'runs';
const WEIGHTS = 'weights';
const META = 'meta';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Resolves when the transaction commits; a full quota aborts it with a QuotaExceededError. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('the storage transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('the storage transaction was aborted'));
  });
}

/** Runs in the browser's IndexedDB: records in one store, each run's latest weights in another. */
export async function indexedDbRunStore(): Promise<RunStore> {
  const open = indexedDB.open(DB, 2);
  open.onupgradeneeded = (e) => {
    if (e.oldVersion < 1) {
      open.result.createObjectStore(RUNS, { keyPath: 'id' });
      open.result.createObjectStore(WEIGHTS);
    }
    if (e.oldVersion < 2) open.result.createObjectStore(META);
  };
  const db = await request(open);
  return {
    list: async () => {
      const runs = await request(db.transaction(RUNS).objectStore(RUNS).getAll());
      return (runs as StoredRun[]).sort((a, b) => a.id - b.id);
    },
    save: async (run, weights) => {
      // Relaxed: the commit is done once the browser has the data, not once the disk has flushed it,
      // so saving keeps up with fast epochs; a crashed tab still keeps it.
      const tx = db.transaction(weights ? [RUNS, WEIGHTS] : [RUNS], 'readwrite', { durability: 'relaxed' });
      const done = committed(tx);
      try {
        tx.objectStore(RUNS).put(run);
        if (weights) tx.objectStore(WEIGHTS).put(weights, run.id);
      } catch (e) {
        // Half a save is worse than none: the record must not land without its weights.
        done.catch(() => {});
        tx.abort();
        throw e;
      }
      return done;
    },
    weights: async (id) =>
      ((await request(db.transaction(WEIGHTS).objectStore(WEIGHTS).get(id))) as WeightFiles | undefined) ?? null,
    // Read and bumped in one transaction: IndexedDB runs them one after another across tabs.
    nextId: async () => {
      const tx = db.transaction([RUNS, META], 'readwrite');
      const done = committed(tx);
      const stored = (await request(tx.objectStore(META).get('lastId'))) as number | undefined;
      const newest = (await request(tx.objectStore(RUNS).openKeyCursor(null, 'prev')))?.key as number | undefined;
      const id = Math.max(stored ?? 0, newest ?? 0) + 1;
      tx.objectStore(META).put(id, 'lastId');
      await done;
      return id;
    },
    remove: async (id) => {
      const tx = db.transaction([RUNS, WEIGHTS], 'readwrite');
      const done = committed(tx);
      tx.objectStore(RUNS).delete(id);
      tx.objectStore(WEIGHTS).delete(id);
      return done;
    },
  };
}
