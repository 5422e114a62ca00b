import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { DEFAULT_CONFIG, type TrainSettings } from '../../src/core/config';
import { LEAKY_RELU_SLOPE, type Activation } from '../../src/core/model/activationNames';
import { createJointHead } from '../../src/core/model/jointHead';
import { createMlpEncoder } from '../../src/core/model/mlpEncoder';
import { assembleModel, type MultiModalModel } from '../../src/core/model/model';
import { createRng } from '../../src/core/random';
import { mainPhaseLoss } from '../../src/core/train/batchLoss';
import { FusedAdam } from '../../src/core/train/fusedAdam';
import { HostAdam } from '../../src/core/train/hostAdam';
import { jtLossAndGradients, jtStepModel } from '../../src/core/train/jtStep';
import { METHOD_IDS } from '../../src/core/train/methods';
import { withWeightDecay } from '../../src/core/train/weightDecay';

/**
 * A jt model of any number of modalities from the lab's own encoders and head (createModel refuses
 * fewer than two modalities; the hand-written step does not care).
 */
function jtModel(inDims: number[], widths: number[], activation: Activation, k: number, seed: number): MultiModalModel {
  const rng = createRng(seed);
  const encoders = inDims.map((d, m) => createMlpEncoder(`enc${m}`, d, { kind: 'mlp', widths, activation }, rng));
  const head = createJointHead(
    encoders.map((e) => e.outDim),
    k,
    rng,
  );
  const model = assembleModel(
    { inputShapes: inDims.map((d) => [d]), classes: k, encoders: [], head: { kind: 'joint' }, seed },
    encoders,
    head,
  );
  // Biases start at 0; random ones make the test see their gradients flow into every layer.
  const values = createRng(seed + 1);
  for (const [name, v] of model.params)
    if (name.includes('bias'))
      tf.tidy(() =>
        v.assign(
          tf.tensor(
            Float32Array.from({ length: v.size }, () => values.normal()),
            v.shape,
          ),
        ),
      );
  return model;
}

function batch(inDims: number[], n: number, k: number, seed: number) {
  const rng = createRng(seed);
  const xs = inDims.map((d) =>
    tf.tensor2d(
      Float32Array.from({ length: n * d }, () => 2 * rng.normal()),
      [n, d],
    ),
  );
  // Every class at least once when n ≥ k, the rest at random.
  const labels = Int32Array.from({ length: n }, (_, i) => (i < k ? i : Math.floor(rng.next() * k)));
  return { xs, labels };
}

const settings = (weightDecay: number): TrainSettings => ({ ...DEFAULT_CONFIG.train, method: 'jt', weightDecay });

/** max |a − b| / max |b| over one gradient. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  const [x, y] = [a.dataSync(), b.dataSync()];
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** The hand-written step against the trainer's tape loss (mainPhaseLoss with weight decay) on one batch. */
function compareWithTape(
  inDims: number[],
  widths: number[],
  activation: Activation,
  k: number,
  weightDecay: number,
): { loss: [number, number]; errors: Record<string, number> } {
  const model = jtModel(inDims, widths, activation, k, inDims.length * 100 + widths.length * 10 + k);
  const { xs, labels } = batch(inDims, 9, k, 7);
  const s = settings(weightDecay);
  const variables = [...model.params.values()];
  const parts = jtStepModel(model, s, 'train', new HostAdam(variables, 0.01))!;
  expect(parts).not.toBeNull();
  const result = tf.tidy(() => {
    const ours = jtLossAndGradients(parts, xs, labels);
    const y = tf.tensor1d(labels, 'int32');
    const tape = tf.variableGrads(
      withWeightDecay(mainPhaseLoss(model, null, s, { xs, y }, createRng(0), 0), model, weightDecay),
      variables,
    );
    const errors: Record<string, number> = {};
    for (const [name, v] of model.params) {
      expect(ours.grads[v.name], `${name} has a gradient`).toBeDefined();
      expect(ours.grads[v.name].shape).toEqual(v.shape);
      errors[name] = relativeError(ours.grads[v.name], tape.grads[v.name]);
    }
    expect(Object.keys(ours.grads)).toHaveLength(model.params.size);
    return { loss: [ours.value, tape.value.dataSync()[0]] as [number, number], errors };
  });
  tf.dispose(xs);
  model.dispose();
  return result;
}

const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh'] as const;

/** Every activation × 1–3 modalities × 1–3 layers × K = 2 and 10, weight decay on in half of them. */
const CASES = ACTIVATIONS.flatMap((activation) =>
  [1, 2, 3].flatMap((modalities) =>
    [1, 2, 3].flatMap((depth) =>
      [2, 10].map((k) => ({
        activation,
        inDims: [3, 5, 2].slice(0, modalities),
        widths: [6, 12, 4].slice(0, depth).map((w, i, all) => (i === all.length - 1 ? Math.max(w, 3) : w)),
        k,
        weightDecay: (modalities + depth) % 2 === 0 ? 0.01 : 0,
      })),
    ),
  ),
);

beforeAll(async () => {
  await initNodeBackend('wasm'); // registers it; each case picks its backend
  await tf.setBackend('cpu');
});

afterEach(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('jtLossAndGradients', () => {
  // Float32 tolerance: the tape takes log-softmax in float32, this step the softmax in float64 on
  // the host, and the backends sum products in different orders: a few float32 ulps, amplified by
  // at most three layers. 1e-5 of each gradient's largest entry; a wrong term, factor or sign is
  // off by far more than that.
  it.each(CASES)(
    'cpu, $activation, $inDims.length modalities, $widths.length layers, K = $k, λ = $weightDecay: loss and every gradient equal the tape within 1e-5',
    ({ activation, inDims, widths, k, weightDecay }) => {
      const { loss, errors } = compareWithTape(inDims, widths, activation, k, weightDecay);
      expect(Math.abs(loss[0] - loss[1])).toBeLessThan(1e-6 * Math.max(1, Math.abs(loss[1])));
      for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(1e-5);
    },
  );

  it.each(ACTIVATIONS)('wasm (fused kernels, explicit transposes), %s: equal to the tape within 1e-5', async (a) => {
    // As the lab runs: IS_TEST's kernel leak check trips on the tape's custom ops under WASM.
    tf.env().set('IS_TEST', false);
    await tf.setBackend('wasm');
    for (const [inDims, widths, k] of [
      [[3, 5], [6, 4], 10],
      [[2, 4, 3], [5, 7, 3], 2],
    ] as const) {
      const { loss, errors } = compareWithTape([...inDims], [...widths], a, k, 0.01);
      expect(Math.abs(loss[0] - loss[1])).toBeLessThan(1e-6 * Math.max(1, Math.abs(loss[1])));
      for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(1e-5);
    }
  });

  it.each(ACTIVATIONS)(
    '%s: the gradient matches central differences of an independent float64 loss on the weights read back',
    (activation) => {
      const inDims = [3, 2];
      const k = 4;
      const model = jtModel(inDims, [5, 3], activation, k, 3);
      const { xs, labels } = batch(inDims, 6, k, 5);
      const lambda = 0.05;
      const parts = jtStepModel(model, settings(lambda), 'train', new HostAdam([...model.params.values()], 0.01))!;
      const ours = tf.tidy(() => jtLossAndGradients(parts, xs, labels));
      const weights = new Map([...model.params].map(([name, v]) => [name, Float64Array.from(v.dataSync())]));
      const inputs = xs.map((x) => Array.from(x.dataSync()));
      const loss = () => plainLoss(weights, inputs, labels, inDims, 2, activation, k, lambda);
      expect(ours.value).toBeCloseTo(loss(), 5);
      const h = 1e-6;
      for (const [name, v] of model.params) {
        const w = weights.get(name)!;
        const g = ours.grads[v.name].dataSync();
        for (const i of [0, Math.floor(w.length / 2), w.length - 1]) {
          const keep = w[i];
          w[i] = keep + h;
          const up = loss();
          w[i] = keep - h;
          const down = loss();
          w[i] = keep;
          const fd = (up - down) / (2 * h);
          // A wrong sign or factor is off by |fd| or more; float32 forward noise is ~1e-6.
          expect(Math.abs(g[i] - fd), `${name}[${i}]: ${g[i]} vs ${fd}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(fd));
        }
      }
      tf.dispose([...xs, ...Object.values(ours.grads)]);
      model.dispose();
    },
  );
});

/** CE + (λ/2)·Σ‖W‖² in float64 by plain loops: the oracle for the finite differences. */
function plainLoss(
  w: Map<string, Float64Array>,
  xs: number[][],
  labels: Int32Array,
  inDims: number[],
  depth: number,
  activation: Activation,
  k: number,
  lambda: number,
): number {
  const act = (z: number) =>
    activation === 'relu' ? Math.max(z, 0) : activation === 'tanh' ? Math.tanh(z) : z > 0 ? z : LEAKY_RELU_SLOPE * z;
  const n = labels.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const logits = Array.from(w.get('head.bias')!);
    inDims.forEach((d, m) => {
      let h = xs[m].slice(i * d, (i + 1) * d);
      for (let l = 0; l < depth; l++) {
        const W = w.get(`enc${m}.l${l}.weight`)!;
        const b = w.get(`enc${m}.l${l}.bias`)!;
        h = Array.from(b, (bj, j) => act(h.reduce((s, hi, r) => s + hi * W[r * b.length + j], bj)));
      }
      const V = w.get(`head.w${m}`)!;
      for (let c = 0; c < k; c++) logits[c] += h.reduce((s, hi, r) => s + hi * V[r * k + c], 0);
    });
    const max = Math.max(...logits);
    total += max + Math.log(logits.reduce((s, z) => s + Math.exp(z - max), 0)) - logits[labels[i]];
  }
  let decay = 0;
  for (const [name, v] of w) if (/weight|head\.w/.test(name)) decay += v.reduce((s, x) => s + x * x, 0);
  return total / n + 0.5 * lambda * decay;
}

describe('jtStepModel: the one predicate of the hand-written step', () => {
  const model = () => jtModel([3, 2], [4], 'relu', 3, 1);

  it('applies to jt, its main phase, MLP encoders, the shared-bias joint head and HostAdam, with or without weight decay', () => {
    const m = model();
    const adam = new HostAdam([...m.params.values()], 0.01);
    expect(jtStepModel(m, settings(0), 'train', adam)).not.toBeNull();
    expect(jtStepModel(m, settings(0.1), 'train', adam)?.decayed).toHaveLength(4);
    m.dispose();
  });

  it('leaves every other method, phase, head, encoder and optimiser to the tape', () => {
    const m = model();
    const adam = new HostAdam([...m.params.values()], 0.01);
    for (const method of METHOD_IDS.filter((id) => id !== 'jt'))
      expect(jtStepModel(m, { ...settings(0), method }, 'train', adam), method).toBeNull();
    for (const phase of ['teachers', 'step1', 'step2'] as const)
      expect(jtStepModel(m, settings(0), phase, adam)).toBeNull();
    const fused = new FusedAdam([...m.params.values()], 0.01);
    expect(jtStepModel(m, settings(0), 'train', fused)).toBeNull();
    fused.dispose();
    const noDense = { ...m, encoders: [m.encoders[0], { ...m.encoders[1], dense: undefined }] };
    expect(jtStepModel(noDense, settings(0), 'train', adam)).toBeNull();
    const perModality = createJointHead([4, 4], 3, createRng(1), true);
    expect(jtStepModel({ ...m, head: perModality }, settings(0), 'train', adam)).toBeNull();
    perModality.params.forEach((v) => v.dispose());
    m.dispose();
  });
});
