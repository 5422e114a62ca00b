import type { Snapshot } from '../core/train/snapshot';
import type { Trainer } from '../core/train/trainer';
import { ChunkSize } from './chunkSize';
import { epochAttack, type WatchedAttack } from './epochAttack';
import type { Experiment } from './experiment';
import type { ModelLock } from './modelLock';
import { pointAfterChunk, type PausePoint } from './pausePoint';
import type { RunState, SessionEvent } from './protocol';
import { checkpointFiles } from './runs/resumeRun';
import { SnapshotPoster } from './snapshotPoster';
import { yieldToEventLoop } from './yieldToEventLoop';

/** The longest the page waits to hear "paused" after Pause while a chunk within an epoch finishes. */
const PAUSE_CONFIRM_MS = 30;

/**
 * The start/pause/step/reset state machine of the experiment's run: training in chunks under the
 * model lock, each chunk's snapshot posted (with the watched attack after an epoch) and its
 * weights checkpointed.
 */
export class RunLoop {
  private state: RunState = 'idle';
  /** Bumped by every start, pause and stop: a loop runs only while it holds the latest. */
  private generation = 0;
  /** The generation a pause was asked at, so the loop it stopped says "paused" (and a newer start does not). */
  private pausedAt = -1;
  private loop: Promise<void> = Promise.resolve();
  private readonly chunkSize = new ChunkSize();
  /** Where the chunk in flight will end. */
  private inFlight: PausePoint | null = null;
  /** The chunk in flight stays within an epoch: it ends at its next read-back. */
  private endsSoon = false;
  private watched: WatchedAttack | null = null;
  private readonly snapshots: SnapshotPoster;

  constructor(
    private readonly post: (e: SessionEvent) => void,
    private readonly experiment: Experiment,
    private readonly lock: ModelLock,
    /** Wraps the synchronous start of each training chunk (the fault injection counts its kernels). */
    private readonly training: <T>(start: () => T) => T,
  ) {
    this.snapshots = new SnapshotPoster(post);
  }

  get current(): RunState {
    return this.state;
  }

  /** Settles once no loop runs. */
  idle(): Promise<void> {
    return this.loop;
  }

  /** The attack the page has switched on: recorded after every epoch while it stays on (null: none). */
  watchAttack(attack: WatchedAttack | null): void {
    this.watched = attack;
  }

  train(): Promise<void> {
    if (this.state === 'training') return this.loop;
    const generation = ++this.generation;
    this.setState('training');
    return this.enqueue(() => this.trainLoop(generation));
  }

  /**
   * Stops every loop at its next check; no optimiser step starts after this. A chunk within an
   * epoch ends at its next read-back, so its snapshot may come first (up to PAUSE_CONFIRM_MS);
   * otherwise the loop is in a long tail (an epoch's evaluation and watched attack, the Lipschitz
   * estimation, a checkpoint, a wait for the model lock) and the page hears "paused" at once, with
   * where the run will stand. A timer alone is not enough: the worker runs back-to-back tasks
   * through message-channel yields, which Chromium ran before the due timer (Pause took 330–560 ms
   * to show on the many-class upload, the timer firing only after two more attack slices).
   */
  pause(): void {
    if (this.state !== 'training') return;
    const generation = (this.pausedAt = ++this.generation);
    const confirm = () => {
      // Still in a chunk: say where the run will stand when it ends (its snapshot follows, the same).
      if (this.generation !== generation || this.state !== 'training') return;
      this.snapshots.flush();
      this.setState('paused', this.inFlight ?? undefined);
    };
    if (this.endsSoon) setTimeout(confirm, PAUSE_CONFIRM_MS);
    else confirm();
  }

  step(): Promise<void> {
    if (this.state === 'training') return this.loop;
    return this.enqueue(async () => {
      if (this.state === 'training') return;
      if (!this.experiment.trainer || this.experiment.trainer.isFinished) this.rebuild();
      const trainer = this.experiment.trainer!;
      const snapshot = await this.lock.run(() => this.chunk(trainer, 1, null));
      // A Resume while the step ran: its loop, queued behind this step, tells the state.
      if (!snapshot || trainer !== this.experiment.trainer || this.current === 'training') return;
      this.setState(snapshot.kind === 'diverged' ? 'diverged' : trainer.isFinished ? 'done' : 'paused');
    });
  }

  reset(): void {
    this.stop();
    this.rebuild();
    this.setState('idle');
  }

  /** Every running loop stops at its next check (the experiment is about to change under it). */
  stop(): void {
    this.generation++;
    this.inFlight = null;
    this.endsSoon = false;
    this.snapshots.drop();
  }

  setState(state: RunState, at?: PausePoint): void {
    this.state = state;
    this.post(at ? { type: 'state', state, at } : { type: 'state', state });
  }

  /** One loop at a time: a Resume right after Pause waits for the paused loop to let go. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.loop.then(work);
    this.loop = run.catch(() => undefined);
    return run;
  }

  private async trainLoop(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    if (!this.experiment.trainer || this.experiment.trainer.isFinished) this.rebuild();
    const trainer = this.experiment.trainer!;
    while (generation === this.generation && !trainer.isFinished) {
      const snapshot = await this.lock.run(() =>
        this.chunk(trainer, this.chunkSize.next(this.experiment.config!.train.progressEvery), generation),
      );
      if (!snapshot) break;
      if (snapshot.kind === 'diverged') return this.setState('diverged');
      await yieldToEventLoop();
    }
    if (trainer !== this.experiment.trainer) return;
    this.snapshots.flush();
    if (trainer.isFinished) this.setState('done');
    else if (this.pausedAt === this.generation) this.setState('paused');
  }

  /**
   * A chunk of training under the model lock, its snapshot (with the watched attack after an
   * epoch) posted and its weights kept; null when the run was paused or replaced meanwhile.
   */
  private async chunk(trainer: Trainer, steps: number, generation: number | null): Promise<Snapshot | null> {
    const replaced = () => trainer !== this.experiment.trainer;
    if (replaced() || (generation !== null && generation !== this.generation)) return null;
    const t0 = performance.now();
    try {
      const before = trainer.position;
      this.inFlight = pointAfterChunk(before, trainer.plan, steps);
      this.endsSoon = this.inFlight !== null && this.inFlight.epoch === before.epoch;
      let snapshot = await this.training(() => trainer.advance(steps));
      if (snapshot.kind === 'progress')
        this.chunkSize.observe(snapshot.progress.step - before.step, performance.now() - t0);
      const watched = this.watched;
      if (snapshot.kind === 'epoch' && watched && snapshot.record.phase !== 'teachers' && trainer.splits.val.n > 0) {
        const { x, y } = trainer.splits.val;
        const names = this.experiment.modalityNames();
        const attack = await epochAttack(trainer.model, x, y, names, watched, this.experiment.config!.attack);
        snapshot = { ...snapshot, record: { ...snapshot.record, attack } };
      }
      if (replaced()) return null;
      this.inFlight = null;
      this.endsSoon = false;
      this.snapshots.send(snapshot, generation === null);
      await this.checkpoint(snapshot);
      return snapshot;
    } catch (e) {
      // A reset or a new model disposed the tensors under the chunk: that run is over, not failed.
      if (replaced()) return null;
      throw e;
    }
  }

  /** After every epoch: the weights go to the run store (in this worker), next to the run's metrics. */
  private async checkpoint(snapshot: Snapshot): Promise<void> {
    if (snapshot.kind !== 'epoch') return;
    const trainer = this.experiment.trainer;
    const out = await this.experiment.exportFiles();
    if (out && trainer === this.experiment.trainer)
      this.post({
        type: 'checkpoint',
        runEpoch: snapshot.record.runEpoch,
        files: await checkpointFiles(trainer!, out.files),
      });
  }

  private rebuild(): void {
    this.experiment.rebuild();
    this.inFlight = null;
    this.endsSoon = false;
    this.snapshots.drop();
    this.post({ type: 'fresh' });
  }
}
