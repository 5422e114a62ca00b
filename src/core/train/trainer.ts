import * as tf from '@tensorflow/tfjs';
import { featureSize, gatherRows, splitIndices, type Dataset, type SplitName } from '../data/dataset';
import type { ExperimentConfig, TrainSettings } from '../config';
import { createModel, type MultiModalModel } from '../model/model';
import { createRng, permutation, type Rng } from '../random';
import { crossEntropy } from './crossEntropy';
import type { EpochRecord, Phase, Progress, Snapshot, SplitMetrics } from './snapshot';

interface SplitTensors {
  x: tf.Tensor2D[];
  y: tf.Tensor1D;
  n: number;
}

const EVAL_BATCH = 2048;

/**
 * Owns one run's tensors and steps it forward. The data is uploaded once; a batch is a gather
 * on the device; nothing is read back except in snapshots.
 */
export class Trainer {
  readonly model: MultiModalModel;
  private readonly settings: TrainSettings;
  private readonly splits: Record<'train' | 'val', SplitTensors>;
  private readonly optimizer: tf.Optimizer;
  private readonly shuffleRng: Rng;
  private order: Int32Array = new Int32Array(0);
  private stepInEpoch = 0;
  private epoch = 0;
  private step = 0;
  private lossSum: tf.Scalar | null = null;
  private stepsSinceSnapshot = 0;
  private lastSnapshotTime = performance.now();
  private finished = false;
  readonly phase: Phase = 'train';

  constructor(dataset: Dataset, config: ExperimentConfig) {
    this.settings = config.train;
    this.splits = { train: uploadSplit(dataset, 'train'), val: uploadSplit(dataset, 'val') };
    if (this.splits.train.n === 0) throw new Error(`Dataset "${dataset.name}" has no training samples.`);
    this.model = createModel({
      inputDims: dataset.modalities.map(featureSize),
      classes: dataset.classNames.length,
      encoders: dataset.modalities.map(() => ({
        kind: 'mlp',
        widths: config.model.hidden,
        activation: config.model.activation,
      })),
      head: 'joint',
      seed: config.train.seed,
    });
    this.optimizer = tf.train.adam(config.train.learningRate);
    this.shuffleRng = createRng(config.train.seed + 1);
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.splits.train.n / this.settings.batchSize);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Trains up to `maxSteps` steps, stopping early at the end of an epoch, and reports. */
  async advance(maxSteps: number): Promise<Snapshot> {
    if (this.finished) return { kind: 'done', progress: await this.progress() };
    const epochEnd = this.stepsPerEpoch;
    for (let i = 0; i < maxSteps && this.stepInEpoch < epochEnd; i++) this.trainStep();
    const progress = await this.progress();
    if (!Number.isFinite(progress.loss)) {
      this.finished = true;
      return {
        kind: 'diverged',
        progress,
        message:
          `Training diverged: the loss became ${progress.loss} in phase "${this.phase}" at epoch ` +
          `${this.epoch + 1} (step ${this.step}). Lower the learning rate or check the data.`,
      };
    }
    if (this.stepInEpoch < epochEnd) return { kind: 'progress', progress };
    this.epoch++;
    this.stepInEpoch = 0;
    const record: EpochRecord = {
      epoch: this.epoch,
      phase: this.phase,
      train: await this.evaluate('train'),
      val: await this.evaluate('val'),
    };
    if (this.epoch >= this.settings.epochs) this.finished = true;
    return { kind: 'epoch', progress: { ...progress, epoch: this.epoch }, record };
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

  private trainStep(): void {
    if (this.stepInEpoch === 0) this.order = permutation(this.splits.train.n, this.shuffleRng);
    const b = this.settings.batchSize;
    const idx = this.order.subarray(this.stepInEpoch * b, Math.min((this.stepInEpoch + 1) * b, this.order.length));
    const { train } = this.splits;
    const cost = tf.tidy(() => {
      const index = tf.tensor1d(idx, 'int32');
      const xs = train.x.map((x) => tf.gather(x, index));
      const y = tf.gather(train.y, index);
      return this.optimizer.minimize(() => crossEntropy(this.model.forward(xs).logits, y), true, [
        ...this.model.params.values(),
      ]) as tf.Scalar;
    });
    const prev = this.lossSum;
    this.lossSum = prev ? tf.tidy(() => tf.add(prev, cost) as tf.Scalar) : cost;
    if (prev) {
      prev.dispose();
      cost.dispose();
    }
    this.stepsSinceSnapshot++;
    this.stepInEpoch++;
    this.step++;
  }

  private async progress(): Promise<Progress> {
    let loss = NaN;
    if (this.lossSum) {
      loss = (await this.lossSum.data())[0] / this.stepsSinceSnapshot;
      this.lossSum.dispose();
      this.lossSum = null;
    }
    const now = performance.now();
    const seconds = (now - this.lastSnapshotTime) / 1000;
    const steps = this.stepsSinceSnapshot;
    const samples = steps * this.settings.batchSize;
    this.lastSnapshotTime = now;
    this.stepsSinceSnapshot = 0;
    return {
      phase: this.phase,
      epoch: this.epoch,
      epochs: this.settings.epochs,
      step: this.step,
      totalSteps: this.settings.epochs * this.stepsPerEpoch,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      stepsPerSecond: seconds > 0 ? steps / seconds : 0,
      loss,
    };
  }

  /** Loss, fused and per-branch accuracy on a split, summed on the device and read back once. */
  async evaluate(split: 'train' | 'val'): Promise<SplitMetrics> {
    const s = this.splits[split];
    if (s.n === 0) return { loss: NaN, accuracy: NaN, branchAccuracy: this.model.spec.inputDims.map(() => NaN) };
    const M = s.x.length;
    let totals = tf.zeros([M + 2]);
    for (let start = 0; start < s.n; start += EVAL_BATCH) {
      const size = Math.min(EVAL_BATCH, s.n - start);
      const next = tf.tidy(() => {
        const xs = s.x.map((x) => x.slice([start, 0], [size, -1]));
        const y = s.y.slice(start, size);
        const out = this.model.forward(xs);
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

  dispose(): void {
    for (const s of Object.values(this.splits)) {
      s.x.forEach((x) => x.dispose());
      s.y.dispose();
    }
    this.lossSum?.dispose();
    this.optimizer.dispose();
    this.model.dispose();
  }
}

function uploadSplit(d: Dataset, split: SplitName): SplitTensors {
  const idx = splitIndices(d, split);
  return {
    x: d.modalities.map((m, mi) => {
      const f = featureSize(m);
      return tf.tensor2d(gatherRows(d.features[mi], f, idx), [idx.length, f]);
    }),
    y: tf.tensor1d(
      Int32Array.from(idx, (i) => d.labels[i]),
      'int32',
    ),
    n: idx.length,
  };
}
