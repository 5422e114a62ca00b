import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '../model/encoder';
import type { MultiModalModel } from '../model/model';
import type { BoundKind } from './boundKind';
import { matrixSource, type PairSource } from './certify';
import { classGradientMaxima, classGradientNorms } from './gradientMaxima';
import { spectralNormUpperBound, vectorNorm } from './spectralNorm';

/**
 * The Lipschitz constants of one bound kind: τ per modality and class, and the pair constants
 * cᵐ_{y,k} of modality m's share of h_y − hₖ, computed only for the pairs a radius asks for
 * (`exact`) and bounded from per-class numbers for the rest (`bound`), so that certifying costs
 * time linear in the number of classes K (certify.ts).
 */
export interface PairConstants extends PairSource {
  kind: BoundKind;
  /** How the constants were obtained, in one line for the UI and reports. */
  method: string;
  /** τₖᵐ per modality and class: a bound on how fast zₖᵐ (or uₖᵐ) changes with xᵐ. */
  tau: number[][];
}

/** The constants with every pair computed: cᵐ_{y,k} per modality as a row-major K×K matrix. */
export interface LipschitzConstants {
  kind: BoundKind;
  method: string;
  tau: number[][];
  pair: Float64Array[];
}

/**
 * Up to this many classes the joint head's estimated pair constants are the per-pair gradient
 * maxima, a full K×K matrix (one K×K Gram matrix per sample); above it, per-class τ combined by the
 * triangle inequality (spec §5 allows either and asks to say which).
 */
export const FULL_PAIR_CLASSES = 32;

/**
 * σ_max bounds by weight data, per [rows, cols] view. A weight changes only through `assign`, which
 * gives it new data (a new dataId), so each bound is computed once per weight value rather than once
 * per evaluation (≈ 6 ms for the default MLP on two modalities, in float64 on the main thread).
 */
const sigmaBounds = new WeakMap<object, Map<string, number>>();

async function sigmaBound(weight: tf.Tensor, rows: number, cols: number): Promise<number> {
  const byView = sigmaBounds.get(weight.dataId) ?? new Map<string, number>();
  sigmaBounds.set(weight.dataId, byView);
  const view = `${rows}x${cols}`;
  let bound = byView.get(view);
  if (bound === undefined) {
    bound = spectralNormUpperBound(await weight.data(), rows, cols);
    byView.set(view, bound);
  }
  return bound;
}

/** L(φᵐ) ≤ Πₗ ‖layer ℓ‖, each linear factor bounded from above (see spectralNorm.ts). */
export async function encoderLipschitzBound(encoder: Encoder): Promise<number> {
  let bound = 1;
  for (const f of encoder.lipschitzFactors()) {
    if (f.kind === 'constant') bound *= f.value;
    else bound *= f.scale * (await sigmaBound(f.weight, f.rows, f.cols));
  }
  return bound;
}

/** Rounding slack of a triangle-inequality bound computed in float64 from the same numbers as the exact value. */
const FLOAT64_SLACK = 1 + 1e-9;

/**
 * Sound constants, spec §5 (the spec's "certified" kind): the pair form ‖a_yᵐ W̃_yᵐ − aₖᵐ W̃ₖᵐ‖ · L(φᵐ)
 * for the CRMT head and ‖W_yᵐ − Wₖᵐ‖ · L(φᵐ) for the joint head; τₖᵐ = ‖W̃ₖᵐ‖ · L(φᵐ) (aₖᵐ-free).
 * Each pair costs O(dₘ); the bound |a_y|‖W_y‖ + |aₖ|‖Wₖ‖ (triangle inequality) costs O(1).
 */
export async function soundPairConstants(model: MultiModalModel): Promise<PairConstants> {
  const rows = tf.tidy(() => model.head.rowMatrices());
  const rowValues = await Promise.all(rows.map((r) => r.data() as Promise<Float32Array>));
  rows.forEach((r) => r.dispose());
  const as = model.head.integration();
  const aValues = as ? await Promise.all(as.map((a) => a.data() as Promise<Float32Array>)) : null;
  const K = model.spec.classes;
  const parts = await Promise.all(
    model.encoders.map(async (encoder, m) => {
      const L = await encoderLipschitzBound(encoder);
      const d = encoder.outDim;
      const W = rowValues[m];
      const a = aValues ? aValues[m] : new Float32Array(K).fill(1);
      const norm = Array.from({ length: K }, (_, k) => vectorNorm(W.subarray(k * d, (k + 1) * d)));
      return { L, d, W, a, norm };
    }),
  );
  const diff = new Float64Array(Math.max(...parts.map((p) => p.d)));
  return {
    kind: 'sound',
    method: 'pair form ‖a_y W_y − a_k W_k‖ · Π σ_max(layers), σ_max bounded from above',
    tau: parts.map((p) => p.norm.map((n) => n * p.L)),
    modalities: parts.length,
    bound: (m, y, k) => {
      const p = parts[m];
      return (Math.abs(p.a[y]) * p.norm[y] + Math.abs(p.a[k]) * p.norm[k]) * p.L * FLOAT64_SLACK;
    },
    exact: (m, y, k) => {
      const { L, d, W, a } = parts[m];
      for (let j = 0; j < d; j++) diff[j] = a[y] * W[y * d + j] - a[k] * W[k * d + j];
      return vectorNorm(diff.subarray(0, d)) * L;
    },
  };
}

/**
 * Estimated τₖᵐ (spec §5, the paper's practice): max over samples of ‖∇ₓᵐ zₖᵐ‖, with a fresh
 * gradient for every (m, k) of the unscaled uni-modal logit — not the a-scaled fused logit, and
 * no gradient carried over between classes (the official code's two bugs). Per-sample gradients
 * come from one backward pass of the batch sum, since samples do not interact.
 */
export async function estimatedTau(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<number[][]> {
  if (model.spec.classes > FULL_PAIR_CLASSES) return classGradientNorms(model, xs);
  return (await classGradientMaxima(model, xs, false)).map((g) => g.tau);
}

/** Constants known as full K×K matrices: a radius reads them, and the bound is the value. */
function fromMatrices(kind: BoundKind, method: string, tau: number[][], pair: Float64Array[]): PairConstants {
  const K = tau[0]?.length ?? 0;
  return { kind, method, tau, ...matrixSource(pair, K) };
}

/**
 * The estimated kind for any model: paper form a_y τ_y + aₖ τₖ for the CRMT head (from the K
 * per-class τ); for the joint head, max over samples of ‖∇ₓᵐ (u_yᵐ − uₖᵐ)‖ per pair up to
 * FULL_PAIR_CLASSES classes, and τ_y + τₖ (the triangle inequality, never below it) above.
 */
export async function estimatedPairConstants(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<PairConstants> {
  const K = model.spec.classes;
  const as = model.head.integration();
  if (!as && K <= FULL_PAIR_CLASSES) {
    const stats = await classGradientMaxima(model, xs, true);
    return fromMatrices(
      'estimated',
      'max ‖∇(u_y − u_k)‖ per class pair over training samples',
      stats.map((g) => g.tau),
      stats.map((g) => g.pair!),
    );
  }
  const tau = await estimatedTau(model, xs);
  const a = as ? await Promise.all(as.map((v) => v.data())) : tau.map((t) => t.map(() => 1));
  const combined = (m: number, y: number, k: number) => a[m][y] * tau[m][y] + a[m][k] * tau[m][k];
  return {
    kind: 'estimated',
    method: as
      ? 'paper form a_y τ_y + a_k τ_k, τ = max ‖∇z_k‖ over training samples'
      : 'τ_y + τ_k (triangle inequality over class pairs), τ = max ‖∇u_k‖ over training samples',
    tau,
    modalities: tau.length,
    bound: combined,
    exact: combined,
  };
}

/** Every pair of a kind's constants, as K×K matrices: for views and tests that want them all (K² work). */
export function allPairs(c: PairConstants, K: number): LipschitzConstants {
  const pair = Array.from({ length: c.modalities }, (_, m) =>
    Float64Array.from({ length: K * K }, (_, p) => {
      const [y, k] = [Math.floor(p / K), p % K];
      return y === k ? 0 : c.exact(m, y, k);
    }),
  );
  return { kind: c.kind, method: c.method, tau: c.tau, pair };
}

export async function soundConstants(model: MultiModalModel): Promise<LipschitzConstants> {
  return allPairs(await soundPairConstants(model), model.spec.classes);
}

export async function estimatedConstants(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<LipschitzConstants> {
  return allPairs(await estimatedPairConstants(model, xs), model.spec.classes);
}
