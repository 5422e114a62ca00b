import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig, TrainSettings } from '../config';
import { featureSize, gatherRows, splitIndices, type Dataset, type SplitName } from '../data/dataset';
import { buildModelSpec, headFor } from '../model/buildModelSpec';
import { projectIntegration } from '../model/crmtHead';
import { createModel, type MultiModalModel } from '../model/model';
import { createRng, permutation, type Rng } from '../random';
import { mainPhaseLoss, uniModalLoss, type Batch } from './batchLoss';
import { evaluateEpoch } from '../robust/epochEvaluation';
import { crossEntropy } from '../ops/crossEntropy';
import { HostAdam } from './hostAdam';
import { jtLossAndGradients, jtStepModel, type JtStepModel } from './jtStep';
import { METHODS } from './methods';
import { adamStep, momentumStep, type StepOptimizer } from './optimizers';
import { PhaseSelection } from './phaseSelection';
import { planPhases, type PhasePlan } from './phasePlan';
import type { EpochRecord, LipschitzRecord, Progress, Snapshot, SplitMetrics } from './snapshot';
import { withWeightDecay } from './weightDecay';
import {
  disposeStep2Constants,
  estimateStep2Constants,
  frozenUniModalLogits,
  step2BatchLoss,
  type Step2Constants,
} from './step2';

export interface SplitTensors {
  x: tf.Tensor2D[];
  y: tf.Tensor1D;
  /** y on the host, for steps that compute the loss there (jtStep.ts). */
  labels: Int32Array;
  n: number;
}

export interface TrainerOptions {
  /** Every step through the tape, even where the hand-written jt step applies (tests compare the two). */
  tapeOnly?: boolean;
}

const EVAL_BATCH = 2048;
const NOTHING_TO_TRAIN: PhasePlan = { phase: 'train', epochs: 0 };

/** Trainer.position: where a run stands between two chunks. */
export interface TrainerPosition {
  phaseIndex: number;
  epoch: number;
  step: number;
  stepInEpoch: number;
  epochSteps: number;
}

/**
 * Owns one run's tensors and steps it through the method's phases (spec §7, §8). The data is
 * uploaded once; a batch is a gather on the device; nothing is read back except in snapshots.
 */
export class Trainer {
  readonly model: MultiModalModel;
  /** UMT's uni-modal teachers, trained in the first phase. */
  readonly teacher: MultiModalModel | null = null;
  readonly plan: PhasePlan[];
  readonly splits: Record<'train' | 'val', SplitTensors>;
  private readonly settings: TrainSettings;
  private readonly shuffleRng: Rng;
  private readonly mixRng: Rng;
  private optimizer: StepOptimizer | null = null;
  /** The phase's hand-written step (jtStep.ts) and its optimiser, where it applies. */
  private handStep: { model: JtStepModel; adam: HostAdam } | null = null;
  private selection: PhaseSelection | null = null;
  private readonly modalityNames: string[];
  private step2Constants: Step2Constants | null = null;
  /** Step 2's inputs: the training split's uni-modal logits, fixed while only a moves. */
  private frozenUni: tf.Tensor2D[] | null = null;
  private order: Int32Array = new Int32Array(0);
  private phaseIndex = 0;
  private stepInEpoch = 0;
  private epoch = 0;
  private runEpoch = 0;
  private step = 0;
  private lossSum: tf.Scalar | null = null;
  /** The hand-written step's losses since the last snapshot, summed on the host. */
  private hostLossSum = 0;
  private hostLossSteps = 0;
  private stepsSinceSnapshot = 0;
  private lastSnapshotTime = performance.now();
  private finished = false;
  /** Step 2 epochs a resumed run had done past the Lipschitz estimation, skipped once it is made again. */
  private resumeInStep2 = 0;
  /** The last Lipschitz estimation, when the method has one. */
  lipschitz: LipschitzRecord | null = null;

  /** `model`: start from these weights (an imported model) instead of the seeded initialisation; the trainer owns it. */
  constructor(
    dataset: Dataset,
    config: ExperimentConfig,
    model?: MultiModalModel,
    private readonly options: TrainerOptions = {},
  ) {
    this.settings = config.train;
    this.modalityNames = dataset.modalities.map((m) => m.name);
    const method = METHODS[config.train.method];
    const seed = config.train.seed;
    const head = headFor(method.head, config.train.headRows, method.structure === 'ume');
    this.model = model ?? createModel(buildModelSpec(dataset, config.model, head, seed));
    if (method.structure === 'umt')
      this.teacher = createModel(
        buildModelSpec(dataset, config.model, headFor('joint', 'orthonormal', true), seed + 7),
      );
    this.splits = { train: uploadSplit(dataset, 'train'), val: uploadSplit(dataset, 'val') };
    if (this.splits.train.n === 0) {
      this.dispose();
      throw new Error(`Dataset "${dataset.name}" has no training samples.`);
    }
    this.plan = planPhases(config.train);
    this.finished = this.plan.length === 0;
    this.shuffleRng = createRng(seed + 1);
    this.mixRng = createRng(seed + 2);
  }

  /** The split a phase trains on: step 2 fits a on the validation split when it is set to and has samples. */
  private sourceOf(phase: PhasePlan['phase']): SplitTensors {
    return phase === 'step2' && this.settings.step2.data === 'validation' && this.splits.val.n > 0
      ? this.splits.val
      : this.splits.train;
  }

  private stepsIn(phase: PhasePlan['phase']): number {
    return phase === 'lipschitz' ? 0 : Math.ceil(this.sourceOf(phase).n / this.settings.batchSize);
  }

  /**
   * Continues a stored run from the weights it had after run epoch `runEpoch`: the phases and
   * epochs before it count as done. Adam's moments and the batch order start afresh; a Lipschitz
   * estimation in between is made again from those weights (step 2 freezes everything it reads).
   */
  resumeAfter(runEpoch: number): void {
    let left = runEpoch;
    this.runEpoch = runEpoch;
    this.step = runEpoch * this.stepsPerEpoch;
    for (; this.phaseIndex < this.plan.length; this.phaseIndex++) {
      const p = this.current;
      if (p.phase === 'lipschitz') {
        // Step 2 needs the estimation again, unless it was over too.
        const step2 = this.plan[this.phaseIndex + 1]?.epochs ?? 0;
        if (left < step2) {
          this.resumeInStep2 = left;
          return;
        }
        left -= step2;
        this.phaseIndex++;
        continue;
      }
      if (left < p.epochs) {
        this.epoch = left;
        return;
      }
      left -= p.epochs;
    }
    this.phaseIndex = this.plan.length - 1;
    this.epoch = this.current.epochs;
    this.finished = true;
  }

  /** Optimiser steps in an epoch of the main phase. */
  get stepsPerEpoch(): number {
    return this.stepsIn('train');
  }

  get totalSteps(): number {
    return this.plan.reduce((s, p) => s + p.epochs * this.stepsIn(p.phase), 0);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * Where the run stands between two calls of `advance`: the phase it trains next (a phase that
   * ended, or stopped early, has already handed over), completed epochs of it, the step within the
   * epoch and the epoch's length in steps (step 2 on the validation split has its own).
   */
  get position(): TrainerPosition {
    return {
      phaseIndex: this.phaseIndex,
      epoch: this.epoch,
      step: this.step,
      stepInEpoch: this.stepInEpoch,
      epochSteps: this.stepsIn(this.current.phase),
    };
  }

  private get current(): PhasePlan {
    return this.plan[this.phaseIndex] ?? NOTHING_TO_TRAIN;
  }

  /**
   * Trains up to `maxSteps` steps, stopping early at the end of an epoch or phase, and reports.
   * The Lipschitz estimation is one call on its own.
   */
  async advance(maxSteps: number): Promise<Snapshot> {
    if (this.finished) return { kind: 'done', progress: await this.progress() };
    if (this.current.phase === 'lipschitz') return this.runLipschitzPhase();
    if (!this.optimizer) this.startPhase();
    const steps = this.stepsIn(this.current.phase);
    for (let i = 0; i < maxSteps && this.stepInEpoch < steps; i++) this.trainStep();
    const progress = await this.progress();
    if (!Number.isFinite(progress.loss)) {
      this.finished = true;
      return {
        kind: 'diverged',
        progress,
        message:
          `Training diverged: the loss became ${progress.loss} in phase "${this.current.phase}" at epoch ` +
          `${this.epoch + 1} (step ${this.step}). Lower the learning rate or check the data.`,
      };
    }
    if (this.stepInEpoch < steps) return { kind: 'progress', progress };
    this.epoch++;
    this.runEpoch++;
    this.stepInEpoch = 0;
    const evaluated = this.current.phase === 'teachers' ? this.teacher! : this.model;
    const record: EpochRecord = {
      epoch: this.epoch,
      runEpoch: this.runEpoch,
      phase: this.current.phase,
      train: await evaluateSplit(evaluated, this.splits.train),
      val: await evaluateSplit(evaluated, this.splits.val),
      integration: await readIntegration(this.model),
      evaluation:
        this.settings.liveEvaluation && this.current.phase !== 'teachers' && this.splits.val.n > 0
          ? await evaluateEpoch(this.model, this.splits.val.x, this.splits.val.y, this.splits.train.x)
          : null,
    };
    const { stop, warning } = await this.selection!.observe(record, evaluated, this.splits.val);
    if (warning) record.warnings = [warning];
    const epochProgress = { ...progress, epoch: this.epoch };
    if (stop || this.epoch >= this.current.epochs) {
      const selection = this.selection!.finish(record, this.epoch < this.current.epochs);
      if (selection) record.selection = selection;
      this.nextPhase();
    }
    return { kind: 'epoch', progress: epochProgress, record };
  }

  /** The whole run as an async iterator of snapshots, ending with `done` or `diverged`. */
  async *run(): AsyncGenerator<Snapshot> {
    while (!this.finished) {
      const s = await this.advance(this.settings.progressEvery);
      yield s;
      if (s.kind === 'diverged') return;
    }
    yield { kind: 'done', progress: await this.progress() };
  }

  private async runLipschitzPhase(): Promise<Snapshot> {
    const { constants, record } = await estimateStep2Constants(
      this.model,
      this.splits.train.x,
      this.settings.step2.tauSource,
    );
    this.step2Constants = constants;
    this.lipschitz = record;
    const progress = { ...(await this.progress()), epoch: 1 };
    this.nextPhase();
    if (this.resumeInStep2 > 0) {
      this.epoch = this.resumeInStep2;
      this.resumeInStep2 = 0;
      if (this.epoch >= this.current.epochs) this.nextPhase();
    }
    return { kind: 'lipschitz', progress, lipschitz: record };
  }

  /** How the current phase's steps take their gradients: `hand` (jtStep.ts) or `tape`; null between phases. */
  get gradientPath(): 'hand' | 'tape' | null {
    return this.optimizer ? (this.handStep ? 'hand' : 'tape') : null;
  }

  private nextPhase(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.handStep = null;
    this.selection?.dispose();
    this.selection = null;
    this.frozenUni?.forEach((z) => z.dispose());
    this.frozenUni = null;
    this.epoch = 0;
    this.phaseIndex++;
    if (this.phaseIndex >= this.plan.length) {
      this.finished = true;
      this.phaseIndex = this.plan.length - 1;
      this.epoch = this.current.epochs;
    }
  }

  /** A trainable phase begins: its optimiser, and the selection that watches its epochs. */
  private startPhase(): void {
    const s = this.settings;
    const phase = this.current.phase;
    const variables =
      phase === 'step2'
        ? this.model.head.integration()!
        : [...(phase === 'teachers' ? this.teacher! : this.model).params.values()];
    this.optimizer =
      phase === 'step2'
        ? momentumStep(variables, s.learningRate * s.step2.lrScale, s.step2.momentum)
        : adamStep(variables, s.learningRate);
    const hand = this.options.tapeOnly ? null : jtStepModel(this.model, s, phase, this.optimizer);
    this.handStep = hand ? { model: hand, adam: this.optimizer as HostAdam } : null;
    // Step 2 fit on the validation split cannot also be chosen on it: it keeps its last epoch.
    const fitOnValidation = this.sourceOf(phase) === this.splits.val;
    const selection = fitOnValidation || this.splits.val.n === 0 ? 'last' : s.selection;
    this.selection = new PhaseSelection(phase, { ...s, selection }, variables, this.modalityNames);
  }

  private trainStep(): void {
    const phase = this.current.phase;
    const train = this.sourceOf(phase);
    if (this.stepInEpoch === 0) this.order = permutation(train.n, this.shuffleRng);
    const b = this.settings.batchSize;
    const idx = this.order.subarray(this.stepInEpoch * b, Math.min((this.stepInEpoch + 1) * b, this.order.length));
    if (phase === 'step2' && !this.frozenUni) this.frozenUni = frozenUniModalLogits(this.model, train.x);
    if (this.handStep) this.handTrainStep(this.handStep, train, idx);
    else this.tapeTrainStep(phase, train, idx);
    this.stepsSinceSnapshot++;
    this.stepInEpoch++;
    this.step++;
  }

  /** The hand-written jt step (jtStep.ts): the loss is summed on the host, read with the next snapshot. */
  private handTrainStep(hand: { model: JtStepModel; adam: HostAdam }, train: SplitTensors, idx: Int32Array): void {
    const labels = Int32Array.from(idx, (i) => train.labels[i]);
    const step = tf.tidy(() => {
      const index = tf.tensor1d(idx, 'int32');
      return jtLossAndGradients(
        hand.model,
        train.x.map((x) => tf.gather(x, index)),
        labels,
      );
    });
    this.hostLossSum += hand.adam.apply(step);
    this.hostLossSteps++;
  }

  private tapeTrainStep(phase: PhasePlan['phase'], train: SplitTensors, idx: Int32Array): void {
    const cost = tf.tidy(() => {
      // One small upload and a gather per step: building an epoch's batches at once (one gather and one
      // split) measured slower on WASM, whose Slice is slow (bench/optimisations.md).
      const index = tf.tensor1d(idx, 'int32');
      const inputs = phase === 'step2' ? this.frozenUni! : train.x;
      const batch: Batch = { xs: inputs.map((x) => tf.gather(x, index)), y: tf.gather(train.y, index) };
      const optimizer = this.optimizer!;
      if (phase === 'teachers') return optimizer.minimize(() => uniModalLoss(this.teacher!, batch));
      if (phase === 'step2')
        return optimizer.minimize(() =>
          step2BatchLoss(this.model.head, batch.xs, batch.y, this.step2Constants!, this.settings.step2),
        );
      return optimizer.minimize(
        withWeightDecay(
          mainPhaseLoss(this.model, this.teacher, this.settings, batch, this.mixRng, this.step),
          this.model,
          this.settings.weightDecay,
        ),
      );
    });
    if (phase !== 'teachers') projectIntegration(this.model.head);
    const prev = this.lossSum;
    this.lossSum = prev ? tf.tidy(() => tf.add(prev, cost) as tf.Scalar) : cost;
    if (prev) {
      prev.dispose();
      cost.dispose();
    }
  }

  private async progress(): Promise<Progress> {
    let loss = NaN;
    if (this.lossSum || this.hostLossSteps > 0) {
      let sum = this.hostLossSum;
      if (this.lossSum) {
        sum += (await this.lossSum.data())[0];
        this.lossSum.dispose();
        this.lossSum = null;
      }
      loss = sum / this.stepsSinceSnapshot;
      this.hostLossSum = 0;
      this.hostLossSteps = 0;
    }
    const now = performance.now();
    const seconds = (now - this.lastSnapshotTime) / 1000;
    const steps = this.stepsSinceSnapshot;
    this.lastSnapshotTime = now;
    this.stepsSinceSnapshot = 0;
    return {
      phase: this.current.phase,
      phaseIndex: this.phaseIndex,
      phases: this.plan.length,
      epoch: this.epoch,
      epochs: this.current.epochs,
      step: this.step,
      totalSteps: this.totalSteps,
      samplesPerSecond: seconds > 0 ? (steps * this.settings.batchSize) / seconds : 0,
      stepsPerSecond: seconds > 0 ? steps / seconds : 0,
      loss,
    };
  }

  dispose(): void {
    for (const s of Object.values(this.splits ?? {})) {
      s.x.forEach((x) => x.dispose());
      s.y.dispose();
    }
    this.lossSum?.dispose();
    this.frozenUni?.forEach((z) => z.dispose());
    this.optimizer?.dispose();
    this.selection?.dispose();
    if (this.step2Constants) disposeStep2Constants(this.step2Constants);
    this.model.dispose();
    this.teacher?.dispose();
  }
}

/** Loss, fused and per-branch accuracy on a split, summed on the device and read back once. */
export async function evaluateSplit(model: MultiModalModel, s: SplitTensors): Promise<SplitMetrics> {
  const M = s.x.length;
  if (s.n === 0) return { loss: NaN, accuracy: NaN, branchAccuracy: new Array(M).fill(NaN) };
  let totals = tf.zeros([M + 2]);
  for (let start = 0; start < s.n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, s.n - start);
    const next = tf.tidy(() => {
      const xs = s.x.map((x) => x.slice([start, 0], [size, -1]));
      const y = s.y.slice(start, size);
      const out = model.forward(xs);
      const correct = (logits: tf.Tensor2D) => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
      const lossSum = tf.mul(crossEntropy(out.logits, y), size);
      return tf.add(totals, tf.stack([lossSum, correct(out.logits), ...out.uni.map(correct)]));
    });
    totals.dispose();
    totals = next;
  }
  const t = await totals.data();
  totals.dispose();
  return { loss: t[0] / s.n, accuracy: t[1] / s.n, branchAccuracy: Array.from(t.subarray(2), (c) => c / s.n) };
}

async function readIntegration(model: MultiModalModel): Promise<number[][] | null> {
  const as = model.head.integration();
  return as ? Promise.all(as.map(async (a) => Array.from(await a.data()))) : null;
}

export function uploadSplit(d: Dataset, split: SplitName): SplitTensors {
  const idx = splitIndices(d, split);
  const labels = Int32Array.from(idx, (i) => d.labels[i]);
  return {
    x: d.modalities.map((m, mi) => {
      const f = featureSize(m);
      return tf.tensor2d(gatherRows(d.features[mi], f, idx), [idx.length, f]);
    }),
    y: tf.tensor1d(labels, 'int32'),
    labels,
    n: idx.length,
  };
}
