import type { ExperimentConfig } from '../../core/config';
import type { SessionEvent } from '../protocol';
import type { RunStore, WeightFiles } from './runStore';
import { defaultRunName, runLabel, type RunStatus, type StoredRun } from './storedRun';
import { upgradeStoredRun } from './storedRunUpgrade';

export interface RecorderState {
  runs: StoredRun[];
  /** The run the worker is training now (it gets every new epoch), or null. */
  current: number | null;
  /** The last failed write, in words; cleared by the next write that succeeds. */
  error: string | null;
}

/**
 * Turns the worker's events into stored runs: a run starts with the first epoch after new data,
 * a reset or a loaded model, and is rewritten whole with the weights of its last epoch at each
 * epoch's checkpoint, so a reload or a crash loses at most the epoch in progress, and what is
 * stored is metrics and weights of the same epoch. Writes go one at a
 * time, and a run with several epochs waiting is written once, with the newest.
 */
export class RunRecorder {
  private runs: StoredRun[] = [];
  private current: number | null = null;
  private localId = 0;
  /** The live run was deleted: its later epochs are not stored, until new data, a reset or a loaded model. */
  private dropped = false;
  private error: string | null = null;
  private context: { config: ExperimentConfig; dataset: string; modalities: string[] } | null = null;
  private events: Promise<void>;
  private pending = new Map<number, WeightFiles | undefined>();
  private writing: Promise<void> | null = null;
  /** Runs this recorder created: its own copy of them is the newest; others' come from the store. */
  private readonly owned = new Set<number>();
  private readonly written = new Set<number>();

  constructor(
    private readonly store: RunStore,
    private readonly onChange: (s: RecorderState) => void,
  ) {
    this.events = store.list().then(
      (runs) => {
        this.runs = runs.map(upgradeStoredRun);
        this.emit();
      },
      (e: unknown) => this.fail(`The stored runs could not be read: ${message(e)}`),
    );
  }

  /** Events are applied in order, after the stored runs have been read (new ids follow theirs). */
  handle(e: SessionEvent): void {
    this.events = this.events.then(() => this.apply(e)).catch((err: unknown) => this.fail(message(err)));
  }

  /**
   * Another tab wrote or deleted runs: take every run this recorder did not create from the
   * store (new ones appear, deleted ones go), keeping its own, which may have writes pending.
   */
  refresh(): void {
    this.events = this.events
      .then(async () => {
        // Our own writes land first, so what the store returns is never older than what we wrote.
        while (this.writing) await this.writing;
        const stored = new Map((await this.store.list()).map((r) => [r.id, upgradeStoredRun(r)]));
        // A run of ours that was written and is gone was deleted in another tab: it stays deleted.
        const deleted = (id: number) => this.written.has(id) && !stored.has(id);
        if (this.current !== null && deleted(this.current)) {
          this.current = null;
          this.dropped = true;
        }
        const own = this.runs
          .filter((r) => this.owned.has(r.id) && !deleted(r.id))
          .map((r) => ({ ...r, name: stored.get(r.id)?.name ?? r.name }));
        const others = [...stored.values()].filter((r) => !this.owned.has(r.id));
        this.runs = [...own, ...others].sort((a, b) => a.id - b.id);
        this.emit();
      })
      .catch((err: unknown) => this.fail(`The stored runs could not be read: ${message(err)}`));
  }

  rename(id: number, name: string): void {
    this.events = this.events.then(() => {
      this.update(id, (r) => ({ ...r, name: name.trim() || r.name }));
      this.schedule(id);
    });
  }

  remove(id: number): Promise<void> {
    this.events = this.events.then(async () => {
      this.runs = this.runs.filter((r) => r.id !== id);
      this.pending.delete(id);
      // The worker goes on training, but its run is gone: later epochs are not stored.
      if (this.current === id) {
        this.current = null;
        this.dropped = true;
      }
      await this.writing;
      try {
        await this.store.remove(id);
      } catch (e) {
        this.error = `Run #${id} could not be deleted from storage: ${message(e)}`;
      }
      this.emit();
    });
    return this.events;
  }

  /** A stored run whole, with its weights; null when there is no such run. */
  async read(id: number): Promise<{ run: StoredRun; weights: WeightFiles | null } | null> {
    await this.events;
    const run = this.find(id);
    return run ? { run, weights: await this.store.weights(id) } : null;
  }

  /** Resolves once every event so far has been applied and written. */
  async idle(): Promise<void> {
    await this.events;
    while (this.writing) await this.writing;
  }

  private async apply(e: SessionEvent): Promise<void> {
    switch (e.type) {
      case 'loaded':
        this.context = {
          config: e.config,
          dataset: e.dataset.name,
          modalities: e.dataset.modalities.map((m) => m.name),
        };
        this.leaveCurrent();
        return;
      case 'fresh':
        this.leaveCurrent();
        return;
      case 'resumed': {
        // A fresh worker goes on with a run an earlier one stored: it is this recorder's to write now.
        const run = this.find(e.id);
        if (!run) return;
        this.current = e.id;
        this.dropped = false;
        this.owned.add(e.id);
        this.written.add(e.id);
        if (run.history.length !== e.history.length) {
          this.update(e.id, (r) => ({ ...r, history: e.history }));
          this.schedule(e.id);
        } else this.emit();
        return;
      }
      case 'snapshot':
        if (e.snapshot.kind === 'epoch') await this.addEpoch(e.snapshot.record);
        return;
      case 'checkpoint':
        if (this.current !== null && this.find(this.current)?.history.at(-1)?.runEpoch === e.runEpoch) {
          const weightBytes = Object.values(e.files).reduce((n, b) => n + b.byteLength, 0);
          this.update(this.current, (r) => ({ ...r, weightsEpoch: e.runEpoch, weightBytes }));
          this.schedule(this.current, e.files);
        }
        return;
      case 'state': {
        const status: RunStatus | null =
          e.state === 'training' || e.state === 'paused' || e.state === 'done' || e.state === 'diverged'
            ? e.state
            : null;
        if (status && this.current !== null && this.find(this.current)?.status !== status) {
          this.update(this.current, (r) => ({ ...r, status }));
          this.schedule(this.current);
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * The run being trained is left (a reset, new settings or data, another model): one that was
   * training or paused is recorded as stopped at its epoch, so the list never says it still trains.
   */
  private leaveCurrent(): void {
    const id = this.current;
    this.current = null;
    this.dropped = false;
    const run = id === null ? undefined : this.find(id);
    if (id === null || !run || (run.status !== 'training' && run.status !== 'paused')) return;
    this.update(id, (r) => ({ ...r, status: 'stopped' }));
    this.schedule(id);
  }

  private async addEpoch(record: StoredRun['history'][number]): Promise<void> {
    if (!this.context || this.dropped) return;
    if (this.current === null) {
      const id = await this.newId();
      this.owned.add(id);
      const now = Date.now();
      const { config, dataset, modalities } = this.context;
      this.runs = [
        ...this.runs,
        {
          id,
          name: defaultRunName(config, dataset),
          createdAt: now,
          updatedAt: now,
          status: 'training',
          config,
          dataset,
          modalities,
          history: [],
          weightsEpoch: null,
          weightBytes: 0,
          bytes: 0,
        },
      ];
      this.current = id;
    }
    this.update(this.current, (r) => ({ ...r, history: [...r.history, record] }));
    // Not written yet: an epoch's metrics reach the store with its weights (the checkpoint that
    // follows), so a reload in between never stores metrics one epoch ahead of the weights.
    this.emit();
  }

  /** From the store, so two tabs training at once never take the same id; locally when the store cannot answer (a full quota). */
  private async newId(): Promise<number> {
    const local = Math.max(this.localId, ...this.runs.map((r) => r.id)) + 1;
    try {
      this.localId = Math.max(local, await this.store.nextId());
    } catch {
      this.localId = local;
    }
    return this.localId;
  }

  private schedule(id: number, weights?: WeightFiles): void {
    this.pending.set(id, weights ?? this.pending.get(id));
    this.emit();
    if (!this.writing) this.writing = this.flush().finally(() => (this.writing = null));
  }

  private async flush(): Promise<void> {
    for (let next = this.pending.keys().next(); !next.done; next = this.pending.keys().next()) {
      const id = next.value;
      const weights = this.pending.get(id);
      this.pending.delete(id);
      const run = this.find(id);
      if (!run) continue;
      const stored = { ...run, updatedAt: Date.now(), bytes: sizeOf(run) };
      try {
        await this.store.save(stored, weights);
        this.written.add(id);
        this.update(id, (r) => ({ ...r, bytes: stored.bytes }));
        this.error = null;
      } catch (e) {
        this.error = saveFailure(run, e);
      }
      this.emit();
    }
  }

  private find(id: number): StoredRun | undefined {
    return this.runs.find((r) => r.id === id);
  }

  private update(id: number, f: (r: StoredRun) => StoredRun): void {
    this.runs = this.runs.map((r) => (r.id === id ? f(r) : r));
  }

  private fail(text: string): void {
    this.error = text;
    this.emit();
  }

  private emit(): void {
    this.onChange({ runs: this.runs, current: this.current, error: this.error });
  }
}

const encoder = new TextEncoder();

function sizeOf(run: StoredRun): number {
  return encoder.encode(JSON.stringify(run)).length + run.weightBytes;
}

function message(e: unknown): string {
  return (e as { message?: string } | null)?.message ?? String(e);
}

function saveFailure(run: StoredRun, e: unknown): string {
  const epoch = run.history.at(-1)?.runEpoch ?? 0;
  const what = `${runLabel(run)} at epoch ${epoch} was not saved`;
  const detail = message(e) ? ` (${message(e)})` : '';
  if ((e as { name?: string } | null)?.name === 'QuotaExceededError')
    return `Browser storage is full: ${what}${detail}. Delete stored runs to make room; training goes on, and the next epoch is saved if there is room.`;
  return `${what}${detail}. Training goes on.`;
}
