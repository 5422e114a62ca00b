import type { ExperimentConfig } from '../core/config';
import { builtinDataset, defaultModalities } from '../core/data/builtin/builtin';
import type { Dataset } from '../core/data/dataset';
import { DataError } from '../core/data/dataError';
import { selectModalities } from '../core/data/modalities';
import { importModel, modelDataMismatch, standardisationOf } from '../core/io/exportModel';
import { modelFiles } from '../core/io/modelFiles';
import type { MediaDecoders } from '../core/data/formats/mediaPairs';
import { summarise } from '../core/data/summary';
import { parseUpload, type UploadFile } from '../core/data/formats/upload';
import { uploadParsers } from '../core/data/formats/uploadParsers';
import { browserDecoders } from './browserDecoders';
import type { Answers, ModelToRestore, Query, ResultOf, SessionEvent } from './protocol';
import { failure } from './failure';
import type { RunKeeper } from './runs/runKeeper';
import type { WatchedAttack } from './epochAttack';
import { evaluateModel } from './evaluateModel';
import { Experiment, type Imported } from './experiment';
import { ModelLock } from './modelLock';
import { attackCostOf, attackOf, boundariesOf, localBoundOf } from './modelViews';
import { RunLoop } from './runLoop';
import { historyWithWeights } from './runs/storedRun';

/**
 * One experiment in the worker (see Experiment), its run (see RunLoop), and the answers to the
 * page's queries about them. A failed upload, selection, settings change or model load changes
 * nothing; a stored run can go on under its own id in a fresh worker (`restore`).
 */
export class TrainingSession implements Answers {
  private readonly experiment = new Experiment();
  private readonly lock = new ModelLock();
  private readonly run: RunLoop;

  constructor(
    private readonly post: (e: SessionEvent) => void,
    private readonly runs: Pick<RunKeeper, 'read' | 'rename' | 'remove' | 'idle'>,
    /** After a model was loaded from files: the backend may have to change for it (one without a convolution gradient cannot train a CNN). */
    private readonly modelImported: () => Promise<void>,
    private readonly decoders: MediaDecoders = browserDecoders,
    /** Wraps the synchronous start of each training chunk (the fault injection counts its kernels). */
    training: <T>(start: () => T) => T = (start) => start(),
  ) {
    this.run = new RunLoop(post, this.experiment, this.lock, training);
  }

  /** A new config: regenerates a built-in dataset, or goes back to the last upload. */
  load(config: ExperimentConfig): void {
    const uploaded = this.experiment.uploaded;
    if (config.data.kind === 'upload' && uploaded) return this.install(uploaded, config);
    const data = config.data.kind === 'upload' ? { ...config.data, kind: 'toy2d' as const } : config.data;
    this.install(builtinDataset(data), { ...config, data });
  }

  async upload(files: UploadFile[], name: string): Promise<void> {
    const current = this.experiment.config;
    if (!current) throw new Error('No experiment is loaded.');
    try {
      const source = await parseUpload(files, {
        name,
        seed: current.train.seed,
        ...uploadParsers(this.decoders),
        onProgress: (fraction, message) => this.post({ type: 'dataProgress', fraction, message }),
      });
      const config: ExperimentConfig = {
        ...this.experiment.config!,
        data: { ...this.experiment.config!.data, kind: 'upload', uploadName: source.name },
        modalities: [],
      };
      this.install(source, config);
      this.experiment.uploaded = source;
    } catch (e) {
      // Nothing was installed: the dataset on display stays, whatever went wrong (a decode that could not allocate too).
      this.post({ type: 'dataError', message: failure(e), during: 'upload' });
    }
  }

  selectModalities(names: string[]): void {
    const { config, source } = this.experiment;
    if (!config || !source) throw new Error('No experiment is loaded.');
    try {
      this.install(source, { ...config, modalities: names });
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
    return this.run.current === 'paused' ? this.train() : Promise.resolve();
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
    this.post({ type: 'resumed', id: model.id, history: historyWithWeights(stored.run) });
    this.run.setState(this.experiment.trainer!.isFinished ? 'done' : 'paused');
    await this.modelImported();
  }

  /**
   * Everything that can fail happens before the current run is touched. `imported`: start from
   * an exported model and its own standardisation instead of fresh weights and this data's statistics.
   */
  private install(source: Dataset, config: ExperimentConfig, imported?: Imported): void {
    const next = this.experiment.prepare(source, config, imported);
    this.run.stop();
    this.experiment.adopt(next);
    this.post({
      type: 'loaded',
      dataset: summarise(next.selected),
      available: source.modalities.map((m) => ({ name: m.name, shape: m.shape })),
      config: next.config,
      plan: next.trainer.plan,
    });
    this.run.setState('idle');
  }

  attack(query: Query<'attack'>, withdrawn = () => false): Promise<ResultOf<'attack'>> {
    return attackOf(this.experiment, query, withdrawn);
  }

  attackCost(_: Query<'attackCost'>, withdrawn = () => false): Promise<ResultOf<'attackCost'>> {
    return attackCostOf(this.experiment, this.lock, () => this.run.current === 'training', withdrawn);
  }

  boundaries(query: Query<'boundaries'>): Promise<ResultOf<'boundaries'>> {
    return boundariesOf(this.experiment, query);
  }

  localBound(_query: Query<'localBound'>, withdrawn = () => false): Promise<ResultOf<'localBound'>> {
    return localBoundOf(this.experiment, this.lock, () => this.run.current === 'training', withdrawn);
  }

  /** An exported model (its ZIP or loose files), to evaluate, attack or train further. */
  async importModel({ files }: Query<'importModel'>): Promise<void> {
    this.installModel(modelFiles(files));
    await this.modelImported();
    const trainer = this.experiment.trainer;
    if (!trainer) return;
    const record = await this.lock.run(() => evaluateModel(trainer));
    if (trainer === this.experiment.trainer)
      this.post({ type: 'evaluated', source: files.map((f) => f.path.split('/').pop()).join(', '), record });
  }

  async openRun({ id }: Query<'openRun'>): Promise<void> {
    const stored = await this.runs.read(id);
    if (!stored?.weights) throw new DataError(`run #${id} has no stored weights`);
    this.installModel(stored.weights, { config: stored.run.config });
    // The page shows the metrics of the weights it evaluates: epochs stored without theirs are left out.
    this.post({ type: 'opened', id, history: historyWithWeights(stored.run) });
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
    const { config: current, data, source } = this.experiment;
    if (!current || !data || !source) throw new Error('No experiment is loaded.');
    const target = run ? this.experiment.sourceFor(run.config) : { source, config: current };
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

  async export(): Promise<ResultOf<'export'>> {
    const out = await this.lock.run(() => this.experiment.exportFiles());
    if (!out) throw new Error('No model is loaded.');
    return out;
  }

  /** The attack the page has switched on: recorded after every epoch while it stays on (null: none). */
  watchAttack(attack: WatchedAttack | null): void {
    this.run.watchAttack(attack);
  }

  /** Before the worker is ended: training pauses (the run can go on elsewhere) and every run is written. */
  async retire(): Promise<void> {
    this.run.pause();
    await this.run.idle();
    await this.runs.idle();
  }

  train(): Promise<void> {
    return this.run.train();
  }

  pause(): void {
    this.run.pause();
  }

  step(): Promise<void> {
    return this.run.step();
  }

  reset(): void {
    this.run.reset();
  }
}
