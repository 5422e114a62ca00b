import * as tf from '@tensorflow/tfjs-core';
import type { TrainSettings } from '../config';
import { LEAKY_RELU_SLOPE, type Activation } from '../model/activationNames';
import { activationGradient, type DenseLayer } from '../model/denseStack';
import { matMulGradients } from '../model/matMulGradient';
import type { MultiModalModel } from '../model/model';
import { softmaxCrossEntropy } from '../ops/softmaxCrossEntropy';
import { HostAdam } from './hostAdam';
import { METHODS } from './methods';
import type { Phase } from './snapshot';
import type { StepOptimizer } from './optimizers';
import { decayedWeights } from './weightDecay';

/** What the hand-written jt step differentiates: MLP encoders, the joint head with its shared bias, weight decay. */
export interface JtStepModel {
  encoders: { layers: DenseLayer[]; activation: Activation }[];
  /** Per modality [dₘ, K]. */
  heads: tf.Variable[];
  /** [K] */
  bias: tf.Variable;
  /** λ of the main phase's weight decay and the matrices it applies to. */
  lambda: number;
  decayed: tf.Variable[];
}

/**
 * The one place that decides whether a training step takes the hand-written path: method jt (the
 * joint head, clean inputs, no margin term, one fused model), its main phase, MLP encoders, the joint
 * head with one shared bias, and an optimiser that reads gradients on the host (HostAdam: wasm and
 * cpu, where that read is a memory copy). The loss is then CE + (λ/2)·Σ‖W‖², nothing else in
 * TrainSettings reaches it. Anything else returns null and keeps the tape.
 */
export function jtStepModel(
  model: MultiModalModel,
  settings: TrainSettings,
  phase: Phase,
  optimizer: StepOptimizer,
): JtStepModel | null {
  const method = METHODS[settings.method];
  const jt = method.head === 'joint' && method.inputs === 'clean' && !method.marginTerm && method.structure === 'fused';
  if (!jt || phase !== 'train' || !(optimizer instanceof HostAdam)) return null;
  const linear = model.head.linear;
  const encoders = model.encoders.map((e) => e.dense);
  if (!linear || encoders.some((e) => !e)) return null;
  return {
    encoders: encoders as JtStepModel['encoders'],
    heads: linear.weights,
    bias: linear.bias,
    lambda: Math.max(0, settings.weightDecay),
    decayed: settings.weightDecay > 0 ? decayedWeights(model) : [],
  };
}

/**
 * One jt step's loss and gradients without the tape (spec §2, §8): the forward pass keeps each
 * layer's activation; the loss and dlogits = (softmax − onehot)/n come from the logits read back
 * (softmaxCrossEntropy); then per modality the head's dV = fᵀ·dlogits and df = dlogits·Vᵀ, and per
 * layer, last to first, dz = df ⊙ act'(a), dW = hᵀ·dz, db = Σ rows dz and dh = dz·Wᵀ, except at the
 * first layer, whose input gradient nothing reads. Values are the tape's (tests/core/jtStep.test.ts)
 * without its saved copies, reshapes and the unread input gradient. Gradients are keyed by variable
 * name, as tf.variableGrads gives them. Call inside a tidy.
 */
export function jtLossAndGradients(
  m: JtStepModel,
  xs: tf.Tensor2D[],
  labels: Int32Array,
): { value: number; grads: tf.NamedTensorMap } {
  const explicit = tf.getBackend() === 'wasm';
  const acts = xs.map((x, i) => forward(x, m.encoders[i]));
  const k = m.bias.shape[0];
  const n = labels.length;
  const logits = Float64Array.from(m.bias.dataSync() as Float32Array);
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) z.set(logits, i * k);
  acts.forEach((a, i) => {
    const u = tf.matMul(a.at(-1)!, m.heads[i]).dataSync();
    for (let j = 0; j < z.length; j++) z[j] += u[j];
  });
  const { loss, dLogits } = softmaxCrossEntropy(z, labels, k);
  const dBias = new Float32Array(k);
  for (let j = 0; j < dLogits.length; j++) dBias[j % k] += dLogits[j];
  const dl = tf.tensor2d(dLogits, [n, k]);
  const grads: tf.NamedTensorMap = { [m.bias.name]: tf.tensor1d(dBias) };
  acts.forEach((a, i) => {
    const head = matMulGradients(dl, a.at(-1)!, m.heads[i], false, false, explicit);
    grads[m.heads[i].name] = head.b();
    const { layers, activation } = m.encoders[i];
    let dy = head.a();
    for (let l = layers.length - 1; l >= 0; l--) {
      const dz = activationGradient(dy, a[l], activation);
      const mm = matMulGradients(dz, l === 0 ? xs[i] : a[l - 1], layers[l].w, false, false, explicit);
      grads[layers[l].w.name] = mm.b();
      grads[layers[l].b.name] = tf.sum(dz, 0);
      if (l > 0) dy = mm.a();
    }
  });
  let value = loss;
  for (const w of m.decayed) {
    grads[w.name] = tf.add(grads[w.name], tf.mul(w, m.lambda));
    const v = w.dataSync();
    let s = 0;
    for (let j = 0; j < v.length; j++) s += v[j] * v[j];
    value += 0.5 * m.lambda * s;
  }
  return { value, grads };
}

/** Each layer's output act(h·W + b), in one fused kernel where the backend fuses the activation. */
function forward(x: tf.Tensor2D, { layers, activation }: JtStepModel['encoders'][number]): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  layers.reduce((h, l) => {
    const a =
      activation === 'tanh'
        ? tf.tanh(tf.fused.matMul({ a: h, b: l.w, bias: l.b }))
        : tf.fused.matMul({
            a: h,
            b: l.w,
            bias: l.b,
            activation: activation === 'relu' ? 'relu' : 'leakyrelu',
            leakyreluAlpha: LEAKY_RELU_SLOPE,
          });
    out.push(a as tf.Tensor2D);
    return a as tf.Tensor2D;
  }, x);
  return out;
}
