import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import type { Dataset } from '../../src/core/data/dataset';
import { standardised } from '../../src/core/data/prepare';
import { stratifiedSplit } from '../../src/core/data/splits';
import { createModel, type ModelSpec, type MultiModalModel } from '../../src/core/model/model';
import { crossEntropy } from '../../src/core/ops/crossEntropy';
import { createRng, permutation } from '../../src/core/random';
import { pgdL2 } from '../../src/core/robust/pgd';
import { attackAccuracy, attackedLogits, attackSpec } from '../../src/core/robust/attacks';
import { attackCost } from '../../src/core/robust/attackCost';
import { certifiedAccuracy, certifiedRadius, median } from '../../src/core/robust/certify';
import {
  soundConstants,
  encoderLipschitzBound,
  estimatedConstants,
  type LipschitzConstants,
} from '../../src/core/robust/lipschitz';
import { spectralNormUpperBound } from '../../src/core/robust/spectralNorm';
import { crmtMarginTerm, crmtStep1Loss, mixupCrossEntropy, mixupMarginTerm } from '../../src/core/train/losses';
import type { MethodId } from '../../src/core/train/methods';
import { sampleBeta } from '../../src/core/train/mixup';
import { estimateStep2Constants, step2BatchLoss } from '../../src/core/train/step2';
import { Trainer } from '../../src/core/train/trainer';

/**
 * What the Python engine (python/crmt_lab) must reproduce, computed by the TypeScript engine on
 * small fixed-seed models: tests/fixtures/parity/crmt-parity.json, read by python/tests/test_parity.py.
 * Every tensor is stored as a flat list in the lab's layout, with its shape.
 */

type Json = number | string | boolean | null | Json[] | { [k: string]: Json };
const flat = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const f64 = (a: ArrayLike<number>): number[] => Array.from(a);

function inputs(shapes: number[][], n: number, seed: number): tf.Tensor2D[] {
  const rng = createRng(seed);
  return shapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    return tf.tensor2d(
      Float32Array.from({ length: n * size }, () => 1.5 * rng.normal()),
      [n, size],
    );
  });
}

function params(model: MultiModalModel): Record<string, Json> {
  return Object.fromEntries([...model.params].map(([k, v]) => [k, { shape: v.shape, values: flat(v) }]));
}

function constantsJson(c: LipschitzConstants): Json {
  return { tau: c.tau, pair: c.pair.map(f64) };
}

/** One model: its initial weights, then the perturbed weights every formula is evaluated on. */
async function modelCase(name: string, spec: ModelSpec, n: number): Promise<Json> {
  // Every tensor made here is freed at the end, the model's variables by model.dispose().
  tf.engine().startScope();
  const model = createModel(spec);
  const initial = params(model);
  // Nonzero biases and uneven a, so no formula is checked only at its trivial starting point.
  const rng = createRng(spec.seed + 50);
  for (const [k, v] of model.params)
    if (/bias|head\.a/.test(k))
      v.assign(
        tf.tensor(
          Float32Array.from({ length: v.size }, () => 0.05 + rng.next()),
          v.shape,
        ),
      );
  const xs = inputs(spec.inputShapes, n, spec.seed + 60);
  const labels = Int32Array.from({ length: n }, (_, i) => i % spec.classes);
  const y = tf.tensor1d(labels, 'int32');
  const yb = tf.tensor1d(
    permutation(n, rng).map((i) => labels[i]),
    'int32',
  );
  const lambda = 0.3;
  const out = model.forward(xs);
  const rows = model.head.rowMatrices();
  const step1 = () => {
    const o = model.forward(xs);
    return crmtStep1Loss(o.logits, o.uni, y, 2, 1e-5);
  };
  const { value, grads } = tf.variableGrads(step1, [...model.params.values()]);
  const gradients = Object.fromEntries([...model.params].map(([k, v]) => [k, flat(grads[v.name])]));
  const sound = await soundConstants(model);
  const estimated = await estimatedConstants(model, xs);
  const logits = flat(out.logits);
  const eps = [0.05, 0.2, 0.5];
  const radii = (c: LipschitzConstants) => {
    const r = certifiedRadius(logits, labels, c.pair, spec.classes);
    return {
      joint: f64(r.joint).map((v) => (Number.isFinite(v) ? v : -1)),
      perModality: r.perModality.map((p) => f64(p).map((v) => (Number.isFinite(v) ? v : -1))),
      accuracy: certifiedAccuracy(r.joint, eps),
      median: median(r.joint),
    };
  };
  const step2: Json[] = [];
  if (model.head.integration())
    for (const tauSource of ['estimated', 'sound'] as const)
      for (const classChoice of ['min', 'runner-up'] as const) {
        const { constants } = await estimateStep2Constants(model, xs, tauSource);
        const settings = { ...DEFAULT_CONFIG.train.step2, tauSource, classChoice };
        const as = model.head.integration()!;
        const g = tf.variableGrads(() => step2BatchLoss(model.head, out.uni, y, constants, settings), as);
        step2.push({
          tauSource,
          classChoice,
          loss: g.value.dataSync()[0],
          gradA: as.map((a) => flat(g.grads[a.name])),
        });
      }
  const ce = (x: tf.Tensor2D[]) => crossEntropy(model.forward(x).logits, y);
  const attack = (steps: number, stepSize: number) =>
    pgdL2(ce, xs, { eps: 0.5, steps, stepSize, randomStart: false, targets: [true, false], budget: 'joint' }).map(flat);
  // Evaluation attacks as the CLI runs them: every iterate checked, the first fooling input kept. The
  // labels are the model's own predictions, so every sample starts correct and the attack decides.
  const evaluation: Json[] = [];
  const predicted = tf.argMax(out.logits, 1).cast('int32') as tf.Tensor1D;
  const lab = DEFAULT_CONFIG.attack;
  for (const [label, settings] of [
    ['lab', lab],
    ['paper', { ...lab, preset: 'paper' as const }],
    ['per-modality', { ...lab, budget: 'per-modality' as const, steps: 6, stepFraction: 0.4 }],
  ] as const)
    for (const kind of ['fgm', 'pgd-l2'] as const)
      for (const targets of [
        [true, false],
        [true, true],
      ])
        for (const eps of [0.3, 1.5]) {
          const a = attackSpec(kind, targets, eps, settings);
          evaluation.push({
            settings: label,
            attack: settings as unknown as Json,
            labels: flat(predicted),
            kind,
            targets,
            eps,
            accuracy: await attackAccuracy(model, xs, predicted, a),
            logits: flat(attackedLogits(model, xs, predicted, a)),
          });
        }
  // The ε at which PGD on one modality alone halves accuracy (spec §10), on the same labels (clean
  // accuracy 1, so the target is 0.5): a bisection that takes the attack's every decision.
  const cost: Json[] = [];
  for (const [label, settings] of [
    ['lab', lab],
    ['paper', { ...lab, preset: 'paper' as const }],
  ] as const)
    cost.push({
      settings: label,
      attack: settings as unknown as Json,
      labels: flat(predicted),
      seed: 3,
      result: (await attackCost(model, xs, predicted, ['a', 'b'], 1, settings, 3)) as unknown as Json,
    });
  const result: Json = {
    name,
    spec: spec as unknown as Json,
    initial,
    params: params(model),
    inputs: xs.map(flat),
    labels: f64(labels),
    mixup: { yb: flat(yb), lambda },
    expected: {
      logits,
      uni: out.uni.map(flat),
      contributions: out.contributions.map(flat),
      rowMatrices: rows.map(flat),
      crossEntropy: crossEntropy(out.logits, y).dataSync()[0],
      step1Loss: value.dataSync()[0],
      step1LossNoFloor: crmtStep1Loss(out.logits, out.uni, y, 2, 0).dataSync()[0],
      marginTerm: crmtMarginTerm(out.uni, y, 1e-5).dataSync()[0],
      mixupMarginTerm: mixupMarginTerm(out.uni, y, yb, lambda, 1e-5).dataSync()[0],
      mixupCrossEntropy: mixupCrossEntropy(out.logits, y, yb, lambda).dataSync()[0],
      step1Gradients: gradients,
      encoderLipschitz: await Promise.all(model.encoders.map(encoderLipschitzBound)),
      sound: constantsJson(sound),
      estimated: constantsJson(estimated),
      eps,
      radii: { sound: radii(sound), estimated: radii(estimated) },
      step2,
      fgm: attack(1, 0.5),
      pgd: attack(10, 0.125),
      evaluation,
      attackCost: cost,
    },
  };
  model.dispose();
  tf.engine().endScope();
  return result;
}

/** A small three-class dataset with its split, as a parser would hand it over. */
function tinyDataset(): Dataset {
  const rng = createRng(77);
  const n = 60;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const features = [5, 4].map((d, m) =>
    Float32Array.from(
      { length: n * d },
      (_, j) => 3 + (m + 1) * labels[Math.floor(j / d)] * ((j % d) - 1.5) + rng.normal(),
    ),
  );
  const split = stratifiedSplit(labels, { val: 0.15, test: 0.2 }, createRng(5));
  return {
    name: 'tiny',
    modalities: [
      { name: 'a', shape: [5] },
      { name: 'b', shape: [4] },
    ],
    classNames: ['x', 'y', 'z'],
    features,
    labels,
    split,
  };
}

/** Whole runs of the trainer: batch order, Adam, margin term, mixup and PGD inputs, step 2, model selection. */
async function trainingRuns(): Promise<Json> {
  const raw = tinyDataset();
  const { data, stats } = standardised(raw);
  const runs: Json[] = [];
  const step2 = DEFAULT_CONFIG.train.step2;
  const variants: [MethodId, Partial<ExperimentConfig['train']>][] = [
    ['jt', {}],
    ['crmt-jt', {}],
    [
      'crmt-jt',
      { headRows: 'unit', step2: { ...DEFAULT_CONFIG.train.step2, tauSource: 'sound', classChoice: 'runner-up' } },
    ],
    ['crmt-mix', {}],
    ['crmt-at', { at: { ...DEFAULT_CONFIG.train.at, eps: 0.3, stepSize: 0.1, steps: 3, cleanWeight: 0.5 } }],
    ['ume', {}],
    ['umt', { teacherEpochs: 1 }],
    // The runs above select by the default (val-accuracy) and fit step 2 on the validation split;
    // these keep the last epoch, fit step 2 on the training split, and try the other criteria.
    ['ojt', { selection: 'last', epochs: 3, learningRate: 0.03, seed: 4 }],
    ['crmt-jt', { selection: 'last', step2: { ...step2, data: 'train' } }],
    [
      'crmt-jt',
      { selection: 'val-loss', epochs: 5, patience: 1, learningRate: 0.05, step2: { ...step2, data: 'train' } },
    ],
    ['crmt-mix', { selection: 'val-certified', selectionEps: 0.05, epochs: 4, step2: { ...step2, data: 'train' } }],
    ['umt', { teacherEpochs: 3, selection: 'val-loss', epochs: 3, learningRate: 0.03, seed: 1 }],
  ];
  for (const [method, over] of variants) {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, hidden: [6, 4] },
      train: {
        ...DEFAULT_CONFIG.train,
        method,
        epochs: 2,
        batchSize: 7,
        weightDecay: 1e-3,
        liveEvaluation: false,
        ...over,
      },
    };
    const trainer = new Trainer(data, config);
    const losses: number[] = [];
    const history: Json[] = [];
    for await (const s of trainer.run())
      if (s.kind === 'epoch') {
        losses.push(s.progress.loss);
        history.push(s.record as unknown as Json);
      }
    runs.push({
      train: config.train as unknown as Json,
      model: config.model as unknown as Json,
      epochLosses: losses,
      // Epoch records with the selection (kept epoch) and warnings of each phase.
      history,
      params: params(trainer.model),
    });
    trainer.dispose();
  }
  return {
    dataset: {
      features: raw.features.map(f64),
      labels: f64(raw.labels),
      split: f64(raw.split),
      classNames: raw.classNames,
    },
    standardisation: { mean: stats.mean.map(f64), std: stats.std.map(f64) },
    runs,
  };
}

function rngSamples(): Json {
  const rng = createRng(12345);
  const next = Array.from({ length: 8 }, () => rng.next());
  const normal = Array.from({ length: 400 }, () => rng.normal());
  const beta = [0.4, 1, 2.5].map((alpha) => ({
    alpha,
    values: Array.from({ length: 20 }, (_, i) => sampleBeta(alpha, createRng(i + 1))),
  }));
  const labels = Int32Array.from({ length: 97 }, (_, i) => (i * 7) % 5);
  return {
    seed: 12345,
    next,
    normal,
    permutation: f64(permutation(31, createRng(9))),
    beta,
    split: {
      labels: f64(labels),
      seed: 4,
      val: 0.15,
      test: 0.2,
      split: f64(stratifiedSplit(labels, { val: 0.15, test: 0.2 }, createRng(4))),
    },
    // Classes of 3 to 10 samples, where "at least one in each split, one left for training" decides.
    smallSplits: [
      { val: 0.15, test: 0.2 },
      { val: 0.05, test: 0.2 },
      { val: 0.15, test: 0 },
      { val: 0, test: 0.2 },
    ].map((fractions, i) => {
      const small = Int32Array.from([3, 4, 5, 6, 7, 9, 10].flatMap((n, y) => new Array<number>(n).fill(y)));
      return {
        labels: f64(small),
        seed: 20 + i,
        ...fractions,
        split: f64(stratifiedSplit(small, fractions, createRng(20 + i))),
      };
    }),
  };
}

function spectralSamples(): Json {
  const rng = createRng(31);
  return [
    [1, 6],
    [5, 1],
    [2, 2],
    [7, 3],
    [16, 40],
  ].map(([r, c]) => {
    const values = Array.from({ length: r * c }, () => rng.normal());
    return { rows: r, cols: c, values, upper: spectralNormUpperBound(values, r, c) };
  });
}

export async function buildParityFixture(): Promise<Json> {
  const mlp = (widths: number[]) => ({ kind: 'mlp' as const, widths, activation: 'relu' as const });
  const base = { inputShapes: [[3], [4]], classes: 4, encoders: [mlp([8, 6]), mlp([7, 5])] };
  const cases = [
    await modelCase('crmt-orthonormal', { ...base, head: { kind: 'crmt', rows: 'orthonormal' }, seed: 2 }, 12),
    await modelCase('crmt-unit', { ...base, head: { kind: 'crmt', rows: 'unit' }, seed: 3 }, 12),
    await modelCase('joint', { ...base, head: { kind: 'joint', perModalityBias: false }, seed: 4 }, 12),
    await modelCase(
      'joint-per-modality-bias',
      { ...base, head: { kind: 'joint', perModalityBias: true }, seed: 5 },
      12,
    ),
    await modelCase(
      'crmt-cnn',
      {
        inputShapes: [[6, 6, 2], [4]],
        classes: 4,
        encoders: [
          { kind: 'cnn', filters: [2, 3], outDim: 6, activation: 'tanh' },
          { ...mlp([7, 5]), activation: 'leakyRelu' },
        ],
        head: { kind: 'crmt', rows: 'orthonormal' },
        seed: 6,
      },
      8,
    ),
  ];
  return {
    about:
      'Generated by tests/parity/parityFixture.test.ts from the TypeScript engine; read by python/tests. ' +
      'Tensors are flat lists in the lab layout ([in, out] dense, [kh, kw, in, out] kernels). ' +
      'Regenerate with UPDATE_PARITY_FIXTURE=1 npx vitest run tests/parity.',
    rng: rngSamples(),
    spectral: spectralSamples(),
    cases,
    training: await trainingRuns(),
  };
}
