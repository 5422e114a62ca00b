import type { ExperimentConfig } from '../core/config';
import { builtinDataset, defaultModalities } from '../core/data/builtin/builtin';
import type { Dataset } from '../core/data/dataset';
import { DataError } from '../core/data/dataError';
import { selectModalities } from '../core/data/modalities';
import { standardised } from '../core/data/prepare';
import { applyStandardisation } from '../core/data/standardise';
import type { MultiModalModel } from '../core/model/model';
import type { Standardisation } from '../core/data/standardise';
import { exportModel, importModel, modelDataMismatch, standardisationOf } from '../core/io/exportModel';
import { modelFiles } from '../core/io/modelFiles';
import type { MediaDecoders } from '../core/data/formats/mediaPairs';
import { summarise } from '../core/data/summary';
import { parseUpload, type UploadFile } from '../core/data/formats/upload';
import { uploadParsers } from '../core/data/formats/uploadParsers';
import { browserDecoders } from './browserDecoders';
import { attackView, ViewStopped } from '../core/robust/attackView';
import { boundaryView } from '../core/robust/boundaryView';
import { Trainer } from '../core/train/trainer';
import type { Snapshot } from '../core/train/snapshot';
import { Superseded } from './answer';
import { attackCostView } from './attackCostView';
import type { Answers, ModelToRestore, Query, ResultOf, RunState, SessionEvent } from './protocol';
import { failure } from './failure';
import type { RunKeeper } from './runs/runKeeper';
import { checkpointFiles, resumeTrainer, type Resume } from './runs/resumeRun';
import { yieldToEventLoop } from './yieldToEventLoop';
import { ChunkSize } from './chunkSize';
import { epochAttack, type WatchedAttack } from './epochAttack';
import { evaluateModel } from './evaluateModel';
import { ModelLock } from './modelLock';
import { pointAfterChunk, type PausePoint } from './pausePoint';
import { SnapshotPoster } from './snapshotPoster';

/** The longest the page waits to hear "paused" after Pause, whatever the chunk in flight. */
const PAUSE_CONFIRM_MS = 30;

/**
 * One experiment in the worker: its source dataset (generated or uploaded), the modalities in
 * use, the trainer, the start/pause/step/reset state machine, and the answers to the page's
 * queries about them. A failed upload, selection, settings change or model load changes nothing;
 * a stored run can go on under its own id in a fresh worker (`restore`).
 */
export class TrainingSession implements Answers {
  private config: ExperimentConfig | null = null;
  private source: Dataset | null = null;
  /** The last accepted upload, kept while a built-in dataset is shown so the user can switch back. */
  private uploaded: Dataset | null = null;
  private data: Dataset | null = null;
  private stats: Standardisation | null = null;
  private trainer: Trainer | null = null;
  private state: RunState = 'idle';
  /** Bumped by every start, pause and stop: a loop runs only while it holds the latest. */
  private generation = 0;
  /** The generation a pause was asked at, so the loop it stopped says "paused" (and a newer start does not). */
  private pausedAt = -1;
  private loop: Promise<void> = Promise.resolve();
  private readonly lock = new ModelLock();
  private readonly chunkSize = new ChunkSize();
  /** Where the chunk in flight will end. */
  private inFlight: PausePoint | null = null;
  private watched: WatchedAttack | null = null;
  private readonly snapshots: SnapshotPoster;

  constructor(
    private readonly post: (e: SessionEvent) => void,
    private readonly runs: Pick<RunKeeper, 'read' | 'rename' | 'remove' | 'idle'>,
    /** After a model was loaded from files: the backend may have to change for it (WASM cannot train a CNN). */
    private readonly modelImported: () => Promise<void>,
    private readonly decoders: MediaDecoders = browserDecoders,
    /** Wraps the synchronous start of each training chunk (the fault injection counts its kernels). */
    private readonly training: <T>(start: () => T) => T = (start) => start(),
  ) {
    this.snapshots = new SnapshotPoster(post);
  }

  /** A new config: regenerates a built-in dataset, or goes back to the last upload. */
  load(config: ExperimentConfig): void {
    if (config.data.kind === 'upload' && this.uploaded) return this.install(this.uploaded, config);
    const data = config.data.kind === 'upload' ? { ...config.data, kind: 'toy2d' as const } : config.data;
    this.install(builtinDataset(data), { ...config, data });
  }

  async upload(files: UploadFile[], name: string): Promise<void> {
    if (!this.config) throw new Error('No experiment is loaded.');
    try {
      const source = await parseUpload(files, {
        name,
        seed: this.config.train.seed,
        ...uploadParsers(this.decoders),
        onProgress: (fraction, message) => this.post({ type: 'dataProgress', fraction, message }),
      });
      const config: ExperimentConfig = {
        ...this.config,
        data: { ...this.config.data, kind: 'upload', uploadName: source.name },
        modalities: [],
      };
      this.install(source, config);
      this.uploaded = source;
    } catch (e) {
      // Nothing was installed: the dataset on display stays, whatever went wrong (a decode that could not allocate too).
      this.post({ type: 'dataError', message: failure(e), during: 'upload' });
    }
  }

  selectModalities(names: string[]): void {
    if (!this.config || !this.source) throw new Error('No experiment is loaded.');
    try {
      this.install(this.source, { ...this.config, modalities: names });
    } catch (e) {
      this.post({ type: 'dataError', message: failure(e), during: 'selection' });
    }
  }

  /** Back to the model a worker that stopped had on display; if that fails, fresh weights stay, and the page is told. */
  async restore(model: ModelToRestore): Promise<void> {
    try {
      await this.restoreModel(model);
    } catch (e) {
      this.post({
        type: 'error',
        message: `The model on display could not be restored (${failure(e)}); fresh weights are shown.`,
      });
    }
  }

  /** Training goes on from where a restored run stopped (and never starts a fresh run). */
  resumeTraining(): Promise<void> {
    return this.state === 'paused' ? this.train() : Promise.resolve();
  }

  private async restoreModel(model: ModelToRestore): Promise<void> {
    if (model.kind === 'import') return this.importModel({ type: 'importModel', files: model.files });
    const stored = await this.runs.read(model.id);
    if (!stored?.weights || stored.run.weightsEpoch === null)
      throw new DataError(`run #${model.id} has no stored weights`);
    // A diverged run has nothing to go on with: it is shown, as Open shows it.
    if (!model.continues || stored.run.status === 'diverged') return this.openRun({ type: 'openRun', id: model.id });
    const epoch = stored.run.weightsEpoch;
    this.installModel(stored.weights, { config: stored.run.config, resumeAfter: epoch });
    // Epochs whose weights did not reach the store before the worker stopped are trained again.
    this.post({ type: 'resumed', id: model.id, history: stored.run.history.filter((h) => h.runEpoch <= epoch) });
    this.setState(this.trainer!.isFinished ? 'done' : 'paused');
    await this.modelImported();
  }

  /**
   * Everything that can fail happens before the current run is touched. `imported`: start from
   * an exported model and its own standardisation instead of fresh weights and this data's statistics.
   */
  private install(
    source: Dataset,
    config: ExperimentConfig,
    imported?: { model: MultiModalModel; stats: Standardisation; resume?: Resume },
  ): void {
    const names = config.modalities.length ? config.modalities : defaultModalities(source);
    const selected = selectModalities(source, names);
    const { data, stats } = imported
      ? { data: applyStandardisation(selected, imported.stats), stats: imported.stats }
      : standardised(selected);
    const trainer = new Trainer(data, config, imported?.model);
    if (imported?.resume)
      try {
        resumeTrainer(trainer, imported.resume);
      } catch (e) {
        trainer.dispose();
        throw e;
      }
    this.stopAndDispose();
    this.source = source;
    this.config = { ...config, modalities: names };
    this.data = data;
    this.stats = stats;
    this.trainer = trainer;
    this.inFlight = null;
    this.post({
      type: 'loaded',
      dataset: summarise(selected),
      available: source.modalities.map((m) => ({ name: m.name, shape: m.shape })),
      config: this.config,
      plan: trainer.plan,
    });
    this.setState('idle');
  }

  attack({ request }: Query<'attack'>, withdrawn = () => false): Promise<ResultOf<'attack'>> {
    return this.viewOfModel((trainer, names) =>
      attackView(
        trainer.model,
        trainer.splits.val.x,
        trainer.splits.val.y,
        names,
        request,
        this.config!.attack,
        withdrawn,
      ),
    );
  }

  attackCost(_: Query<'attackCost'>, withdrawn = () => false): Promise<ResultOf<'attackCost'>> {
    return this.viewOfModel((trainer, names) =>
      attackCostView(trainer, names, this.config!.attack, this.config!.train.seed, this.stats, withdrawn),
    );
  }

  boundaries({ request }: Query<'boundaries'>): Promise<ResultOf<'boundaries'>> {
    return this.viewOfModel((trainer, names) =>
      boundaryView(trainer.model, trainer.splits.val.x, trainer.splits.val.y, names, request, this.config!.attack),
    );
  }

  /** A view computed from the current model; superseded if the model changed (reset, load) meanwhile. */
  private async viewOfModel<T>(compute: (trainer: Trainer, modalities: string[]) => Promise<T>): Promise<T> {
    const trainer = this.trainer;
    if (!trainer || !this.data) throw new Error('No model is loaded.');
    const names = this.modalityNames();
    try {
      // Not under the model lock: a view must not hold up Step or Pause (a slow backend draws the
      // boundaries for seconds). While a run trains, a view may span two chunks; it is redrawn after the next.
      const view = await compute(trainer, names);
      if (trainer === this.trainer) return view;
    } catch (e) {
      // A model disposed under the computation fails it, and a view stopped because the page
      // withdrew it has no one to answer: neither is the page's problem.
      if (trainer === this.trainer && !(e instanceof ViewStopped)) throw e;
    }
    throw new Superseded();
  }

  /** An exported model (its ZIP or loose files), to evaluate, attack or train further. */
  async importModel({ files }: Query<'importModel'>): Promise<void> {
    this.installModel(modelFiles(files));
    await this.modelImported();
    const trainer = this.trainer;
    if (!trainer) return;
    const record = await this.lock.run(() => evaluateModel(trainer));
    if (trainer === this.trainer)
      this.post({ type: 'evaluated', source: files.map((f) => f.path.split('/').pop()).join(', '), record });
  }

  async openRun({ id }: Query<'openRun'>): Promise<void> {
    const stored = await this.runs.read(id);
    if (!stored?.weights) throw new DataError(`run #${id} has no stored weights`);
    this.installModel(stored.weights, { config: stored.run.config });
    this.post({ type: 'opened', id, history: stored.run.history });
    await this.modelImported();
  }

  async renameRun({ id, name }: Query<'renameRun'>): Promise<void> {
    await this.runs.rename(id, name);
  }

  async deleteRun({ id }: Query<'deleteRun'>): Promise<void> {
    await this.runs.remove(id);
  }

  async runFiles({ id }: Query<'runFiles'>): Promise<ResultOf<'runFiles'>> {
    const stored = await this.runs.read(id);
    if (!stored) throw new DataError(`run #${id} is no longer stored`);
    return stored;
  }

  /**
   * Installs an exported model (config.json + either weights format). With `run`, that stored
   * run's experiment and data are loaded: a run reopened after a reload.
   */
  private installModel(
    files: Record<string, Uint8Array>,
    run?: { config: ExperimentConfig; resumeAfter?: number },
  ): void {
    if (!this.config || !this.data || !this.source) throw new Error('No experiment is loaded.');
    const target = run ? this.sourceFor(run.config) : { source: this.source, config: this.config };
    const { model, config, experiment } = importModel(files);
    const names = target.config.modalities.length ? target.config.modalities : defaultModalities(target.source);
    const problem = modelDataMismatch(config, selectModalities(target.source, names));
    if (problem) {
      model.dispose();
      throw new DataError(problem);
    }
    this.install(
      target.source,
      // A stored run is shown as it ran; a loaded model with its own experiment on the data on display.
      run
        ? target.config
        : { ...target.config, model: experiment.model, train: experiment.train, attack: experiment.attack },
      {
        model,
        stats: standardisationOf(config),
        resume: run?.resumeAfter === undefined ? undefined : { runEpoch: run.resumeAfter, files },
      },
    );
  }

  /** The dataset an experiment config names: regenerated if built in, the kept upload if it is that one. */
  private sourceFor(config: ExperimentConfig): { source: Dataset; config: ExperimentConfig } {
    if (config.data.kind !== 'upload') return { source: builtinDataset(config.data), config };
    if (this.uploaded && this.uploaded.name === config.data.uploadName) return { source: this.uploaded, config };
    throw new DataError(
      `this run was trained on the uploaded dataset "${config.data.uploadName ?? '?'}", which is not loaded now; upload it again, then open the run`,
    );
  }

  async export(): Promise<ResultOf<'export'>> {
    const out = await this.lock.run(() => this.exportFiles());
    if (!out) throw new Error('No model is loaded.');
    return out;
  }

  private async exportFiles(): Promise<ResultOf<'export'> | null> {
    if (!this.trainer || !this.data || !this.stats || !this.config) return null;
    const d = this.data;
    const files = await exportModel(this.trainer.model, {
      dataset: d.name,
      modalities: d.modalities,
      classes: d.classNames,
      experiment: this.config,
      standardisation: this.stats,
    });
    return { name: `${d.name}-${this.config.train.method}-seed${this.config.train.seed}`, files };
  }

  /** After every epoch: the weights go to the run store (in this worker), next to the run's metrics. */
  private async checkpoint(snapshot: Snapshot): Promise<void> {
    if (snapshot.kind !== 'epoch') return;
    const trainer = this.trainer;
    const out = await this.exportFiles();
    if (out && trainer === this.trainer)
      this.post({
        type: 'checkpoint',
        runEpoch: snapshot.record.runEpoch,
        files: await checkpointFiles(trainer!, out.files),
      });
  }

  /** The attack the page has switched on: recorded after every epoch while it stays on (null: none). */
  watchAttack(attack: WatchedAttack | null): void {
    this.watched = attack;
  }

  /** Before the worker is ended: training pauses (the run can go on elsewhere) and every run is written. */
  async retire(): Promise<void> {
    this.pause();
    await this.loop;
    await this.runs.idle();
  }

  train(): Promise<void> {
    if (this.state === 'training') return this.loop;
    const generation = ++this.generation;
    this.setState('training');
    return this.enqueue(() => this.trainLoop(generation));
  }

  /**
   * Stops every loop at its next check; no optimiser step starts after this. The loop confirms
   * once its chunk is over (so its last snapshot comes first), but a chunk that ends an epoch on a
   * big model, or waits for a query, must not keep the page waiting for the word.
   */
  pause(): void {
    if (this.state !== 'training') return;
    const generation = (this.pausedAt = ++this.generation);
    setTimeout(() => {
      // Still in a chunk: say where the run will stand when it ends (its snapshot follows, the same).
      if (this.generation === generation && this.state === 'training' && this.inFlight)
        this.setState('paused', this.inFlight);
    }, PAUSE_CONFIRM_MS);
  }

  step(): Promise<void> {
    if (this.state === 'training') return this.loop;
    return this.enqueue(async () => {
      if (this.state === 'training') return;
      if (!this.trainer || this.trainer.isFinished) this.rebuild();
      const trainer = this.trainer!;
      const snapshot = await this.lock.run(() => this.chunk(trainer, 1, null));
      if (!snapshot || trainer !== this.trainer) return;
      this.setState(snapshot.kind === 'diverged' ? 'diverged' : trainer.isFinished ? 'done' : 'paused');
    });
  }

  reset(): void {
    this.stop();
    this.rebuild();
    this.setState('idle');
  }

  /** One loop at a time: a Resume right after Pause waits for the paused loop to let go. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.loop.then(work);
    this.loop = run.catch(() => undefined);
    return run;
  }

  private async trainLoop(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    if (!this.trainer || this.trainer.isFinished) this.rebuild();
    const trainer = this.trainer!;
    while (generation === this.generation && !trainer.isFinished) {
      const snapshot = await this.lock.run(() =>
        this.chunk(trainer, this.chunkSize.next(this.config!.train.progressEvery), generation),
      );
      if (!snapshot) break;
      if (snapshot.kind === 'diverged') return this.setState('diverged');
      await yieldToEventLoop();
    }
    if (trainer !== this.trainer) return;
    this.snapshots.flush();
    if (trainer.isFinished) this.setState('done');
    else if (this.pausedAt === this.generation) this.setState('paused');
  }

  /**
   * A chunk of training under the model lock, its snapshot (with the watched attack after an
   * epoch) posted and its weights kept; null when the run was paused or replaced meanwhile.
   */
  private async chunk(trainer: Trainer, steps: number, generation: number | null): Promise<Snapshot | null> {
    const stale = () => trainer !== this.trainer || (generation !== null && generation !== this.generation);
    if (stale()) return null;
    const t0 = performance.now();
    try {
      const before = trainer.position;
      this.inFlight = pointAfterChunk(before, trainer.plan, steps);
      let snapshot = await this.training(() => trainer.advance(steps));
      if (snapshot.kind === 'progress')
        this.chunkSize.observe(snapshot.progress.step - before.step, performance.now() - t0);
      const watched = this.watched;
      if (snapshot.kind === 'epoch' && watched && snapshot.record.phase !== 'teachers' && trainer.splits.val.n > 0) {
        const { x, y } = trainer.splits.val;
        const attack = await epochAttack(trainer.model, x, y, this.modalityNames(), watched, this.config!.attack);
        snapshot = { ...snapshot, record: { ...snapshot.record, attack } };
      }
      if (trainer !== this.trainer) return null;
      this.inFlight = null;
      this.snapshots.send(snapshot, generation === null);
      await this.checkpoint(snapshot);
      return snapshot;
    } catch (e) {
      // A reset or a new model disposed the tensors under the chunk: that run is over, not failed.
      if (trainer !== this.trainer) return null;
      throw e;
    }
  }

  private modalityNames(): string[] {
    return this.data?.modalities.map((m) => m.name) ?? [];
  }

  private rebuild(): void {
    if (!this.config || !this.data) throw new Error('No experiment is loaded.');
    this.trainer?.dispose();
    this.trainer = new Trainer(this.data, this.config);
    this.inFlight = null;
    this.snapshots.drop();
    this.post({ type: 'fresh' });
  }

  /** Every running loop stops at its next check, and the trainer goes. */
  private stop(): void {
    this.generation++;
    this.snapshots.drop();
  }

  private stopAndDispose(): void {
    this.stop();
    this.trainer?.dispose();
    this.trainer = null;
  }

  private setState(state: RunState, at?: PausePoint): void {
    this.state = state;
    this.post(at ? { type: 'state', state, at } : { type: 'state', state });
  }
}
