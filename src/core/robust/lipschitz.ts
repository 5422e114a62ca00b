import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../model/encoder';
import type { MultiModalModel } from '../model/model';
import type { BoundKind } from './boundKind';
import { spectralNormUpperBound, vectorNorm } from './spectralNorm';

export interface LipschitzConstants {
  kind: BoundKind;
  /** How the constants were obtained, in one line for the UI and reports. */
  method: string;
  /** τₖᵐ per modality and class: a bound on how fast zₖᵐ (or uₖᵐ) changes with xᵐ. */
  tau: number[][];
  /** cᵐ_{y,k} per modality as a row-major K×K matrix: the constant of modality m's share of h_y − hₖ. */
  pair: Float64Array[];
}

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
 * Sound constants, spec §5 (the spec's "certified" kind): the pair form ‖a_yᵐ W̃_yᵐ − aₖᵐ W̃ₖᵐ‖ · L(φᵐ) for the CRMT
 * head and ‖W_yᵐ − Wₖᵐ‖ · L(φᵐ) for the joint head; τₖᵐ = ‖W̃ₖᵐ‖ · L(φᵐ) (aₖᵐ-free).
 */
export async function soundConstants(model: MultiModalModel): Promise<LipschitzConstants> {
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
    kind: 'sound',
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
  return (await classGradientMaxima(model, xs, false)).map((g) => g.tau);
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

/**
 * The estimated kind for any model: paper form for the CRMT head; for the joint head, max over
 * samples of ‖∇ₓᵐ (u_yᵐ − uₖᵐ)‖ per pair, from the K per-class gradients (∇(u_y − uₖ) = ∇u_y − ∇uₖ).
 */
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
  const stats = await classGradientMaxima(model, xs, true);
  const tau = stats.map((g) => g.tau);
  const pair = stats.map((g) => g.pair!);
  return { kind: 'estimated', method: 'max ‖∇(u_y − u_k)‖ per class pair over training samples', tau, pair };
}

/** Rows per backward pass: samples × classes, since every sample is repeated once per class. */
const GRAD_ROWS = 8192;

/**
 * Per modality: the largest per-sample gradient norm of each uni-modal logit (τ), and, when
 * asked, of each difference of two (the pair constants), over all samples in `xs`.
 */
async function classGradientMaxima(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  withPairs: boolean,
): Promise<{ tau: number[]; pair: Float64Array | null }[]> {
  const n = xs[0].shape[0];
  const K = model.spec.classes;
  const out: { tau: number[]; pair: Float64Array | null }[] = [];
  // Each sample is repeated K times (block k holds the chunk once) and block k back-propagates class
  // k's logit: all K per-class gradients from one backward pass instead of one pass per class.
  const chunk = Math.max(1, Math.floor(GRAD_ROWS / K));
  for (let m = 0; m < xs.length; m++) {
    const rows = tf.tidy(() => model.head.rowMatrices()[m]);
    let best: tf.Tensor | null = null;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const next = tf.tidy(() => {
        const x = xs[m].slice([start, 0], [size, -1]);
        const blockClass = Int32Array.from({ length: K * size }, (_, i) => Math.floor(i / size));
        const classOfRow = tf.oneHot(tf.tensor1d(blockClass, 'int32'), K);
        const selected = (xm: tf.Tensor) =>
          tf.sum(tf.mul(tf.matMul(model.encoders[m].apply(xm as tf.Tensor2D), rows, false, true), classOfRow));
        // [K, size, d] → [size, K, d]: a fresh gradient of each class's logit, per sample.
        const perClass = tf.reshape(tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(K).fill(x))), [K, size, -1]);
        const g = tf.transpose(perClass, [1, 0, 2]) as tf.Tensor3D;
        const gram = tf.matMul(g, g, false, true); // [size, K, K]
        const diag = tf.sum(tf.mul(gram, tf.eye(K)), 2); // ‖∇zₖ‖² [size, K]
        // Largest ‖∇zₖ‖² per class, then (if asked) largest ‖∇z_y − ∇zₖ‖² per pair, flattened.
        const parts = [tf.max(diag, 0)];
        if (withPairs)
          parts.push(
            tf.reshape(tf.max(tf.sub(tf.add(tf.expandDims(diag, 2), tf.expandDims(diag, 1)), tf.mul(2, gram)), 0), [
              K * K,
            ]),
          );
        const maxima = tf.concat(parts);
        return best ? tf.maximum(best, maxima) : maxima;
      });
      best?.dispose();
      best = next;
    }
    rows.dispose();
    const v = await best!.data();
    best!.dispose();
    // Squared norms can come out a hair below 0 in float32; the diagonal of the pairs is 0 by definition.
    const sq = (x: number) => Math.sqrt(Math.max(x, 0));
    const pair = withPairs
      ? Float64Array.from(v.subarray(K), (x, i) => (Math.floor(i / K) === i % K ? 0 : sq(x)))
      : null;
    out.push({ tau: Array.from(v.subarray(0, K), sq), pair });
  }
  return out;
}
