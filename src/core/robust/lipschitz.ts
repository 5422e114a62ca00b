import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../model/encoder';
import type { MultiModalModel } from '../model/model';
import { spectralNormUpperBound, vectorNorm } from './spectralNorm';

/** Always labelled: `estimated` radii are not guarantees, `certified` ones are (spec §5). */
export type BoundKind = 'estimated' | 'certified';

export interface LipschitzConstants {
  kind: BoundKind;
  /** How the constants were obtained, in one line for the UI and reports. */
  method: string;
  /** τₖᵐ per modality and class: a bound on how fast zₖᵐ (or uₖᵐ) changes with xᵐ. */
  tau: number[][];
  /** cᵐ_{y,k} per modality as a row-major K×K matrix: the constant of modality m's share of h_y − hₖ. */
  pair: Float64Array[];
}

const GRAD_BATCH = 512;

/** L(φᵐ) ≤ Πₗ ‖layer ℓ‖, each linear factor bounded from above (see spectralNorm.ts). */
export async function encoderLipschitzBound(encoder: Encoder): Promise<number> {
  let bound = 1;
  for (const f of encoder.lipschitzFactors()) {
    if (f.kind === 'constant') bound *= f.value;
    else bound *= f.scale * spectralNormUpperBound(await f.weight.data(), f.rows, f.cols);
  }
  return bound;
}

/**
 * Certified (sound) constants, spec §5: the pair form ‖a_yᵐ W̃_yᵐ − aₖᵐ W̃ₖᵐ‖ · L(φᵐ) for the CRMT
 * head and ‖W_yᵐ − Wₖᵐ‖ · L(φᵐ) for the joint head; τₖᵐ = ‖W̃ₖᵐ‖ · L(φᵐ) (aₖᵐ-free).
 */
export async function certifiedConstants(model: MultiModalModel): Promise<LipschitzConstants> {
  const rows = tf.tidy(() => model.head.rowMatrices());
  const rowValues = await Promise.all(rows.map((r) => r.data()));
  rows.forEach((r) => r.dispose());
  const as = model.head.integration();
  const aValues = as ? await Promise.all(as.map((a) => a.data())) : null;
  const K = model.spec.classes;
  const tau: number[][] = [];
  const pair: Float64Array[] = [];
  for (let m = 0; m < model.encoders.length; m++) {
    const L = await encoderLipschitzBound(model.encoders[m]);
    const d = model.encoders[m].outDim;
    const W = rowValues[m];
    const a = aValues ? aValues[m] : new Float32Array(K).fill(1);
    tau.push(Array.from({ length: K }, (_, k) => vectorNorm(W.subarray(k * d, (k + 1) * d)) * L));
    const c = new Float64Array(K * K);
    const diff = new Float64Array(d);
    for (let y = 0; y < K; y++)
      for (let k = 0; k < K; k++) {
        if (k === y) continue;
        for (let j = 0; j < d; j++) diff[j] = a[y] * W[y * d + j] - a[k] * W[k * d + j];
        c[y * K + k] = vectorNorm(diff) * L;
      }
    pair.push(c);
  }
  return {
    kind: 'certified',
    method: 'pair form ‖a_y W_y − a_k W_k‖ · Π σ_max(layers), σ_max bounded from above',
    tau,
    pair,
  };
}

/**
 * Estimated τₖᵐ (spec §5, the paper's practice): max over samples of ‖∇ₓᵐ zₖᵐ‖, with a fresh
 * gradient for every (m, k) of the unscaled uni-modal logit — not the a-scaled fused logit, and
 * no gradient carried over between classes (the official code's two bugs). Per-sample gradients
 * come from one backward pass of the batch sum, since samples do not interact.
 */
export async function estimatedTau(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<number[][]> {
  const K = model.spec.classes;
  return gradientMaxima(model, xs, K, (z, k) => tf.sum(z.slice([0, k], [-1, 1])));
}

/**
 * Estimated pair constants of the joint head: max over samples of ‖∇ₓᵐ (u_yᵐ − uₖᵐ)‖ per pair
 * (K is small), symmetric in (y, k).
 */
export async function estimatedPairGradients(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<Float64Array[]> {
  const K = model.spec.classes;
  const pairs: [number, number][] = [];
  for (let y = 0; y < K; y++) for (let k = y + 1; k < K; k++) pairs.push([y, k]);
  const maxima = await gradientMaxima(model, xs, pairs.length, (u, p) =>
    tf.sum(tf.sub(u.slice([0, pairs[p][0]], [-1, 1]), u.slice([0, pairs[p][1]], [-1, 1]))),
  );
  return maxima.map((perPair) => {
    const c = new Float64Array(K * K);
    pairs.forEach(([y, k], p) => (c[y * K + k] = c[k * K + y] = perPair[p]));
    return c;
  });
}

/** Paper form cᵐ_{y,k} = a_yᵐ τ_yᵐ + aₖᵐ τₖᵐ (spec §6). */
export function paperFormPairs(tau: number[][], a: ArrayLike<number>[]): Float64Array[] {
  return tau.map((t, m) => {
    const K = t.length;
    const c = new Float64Array(K * K);
    for (let y = 0; y < K; y++) for (let k = 0; k < K; k++) if (k !== y) c[y * K + k] = a[m][y] * t[y] + a[m][k] * t[k];
    return c;
  });
}

/** The estimated kind for any model: paper form for the CRMT head, pair gradients for the joint head. */
export async function estimatedConstants(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<LipschitzConstants> {
  const as = model.head.integration();
  if (as) {
    const tau = await estimatedTau(model, xs);
    const a = await Promise.all(as.map((v) => v.data()));
    return {
      kind: 'estimated',
      method: 'paper form a_y τ_y + a_k τ_k, τ = max ‖∇z_k‖ over training samples',
      tau,
      pair: paperFormPairs(tau, a),
    };
  }
  const pair = await estimatedPairGradients(model, xs);
  const K = model.spec.classes;
  const tau = await gradientMaxima(model, xs, K, (u, k) => tf.sum(u.slice([0, k], [-1, 1])));
  return { kind: 'estimated', method: 'max ‖∇(u_y − u_k)‖ per class pair over training samples', tau, pair };
}

/**
 * For each modality m and each of `count` scalar targets t(uᵐ) (a sum over the batch of one
 * per-sample quantity), the largest per-sample gradient norm ‖∇ₓᵐ‖ over all samples.
 */
async function gradientMaxima(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  count: number,
  target: (uni: tf.Tensor2D, t: number) => tf.Scalar,
): Promise<number[][]> {
  const n = xs[0].shape[0];
  const result: number[][] = [];
  for (let m = 0; m < xs.length; m++) {
    let best: tf.Tensor1D | null = null;
    for (let start = 0; start < n; start += GRAD_BATCH) {
      const size = Math.min(GRAD_BATCH, n - start);
      const next = tf.tidy(() => {
        const x = xs[m].slice([start, 0], [size, -1]);
        const feature = (xm: tf.Tensor2D) => model.encoders[m].apply(xm);
        const rows = model.head.rowMatrices()[m];
        const norms: tf.Scalar[] = [];
        for (let t = 0; t < count; t++) {
          const g = tf.grad((xm: tf.Tensor) => target(tf.matMul(feature(xm as tf.Tensor2D), rows, false, true), t))(x);
          norms.push(tf.max(tf.norm(g, 'euclidean', 1)) as tf.Scalar);
        }
        const stacked = tf.stack(norms) as tf.Tensor1D;
        return best ? (tf.maximum(best, stacked) as tf.Tensor1D) : stacked;
      });
      best?.dispose();
      best = next;
    }
    result.push(Array.from(await best!.data()));
    best!.dispose();
  }
  return result;
}
