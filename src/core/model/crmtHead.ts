import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random';
import type { Head } from './head';
import { addVariable } from './init';
import { symmetricOrthogonaliseAll, unitRows } from './orthogonalise';

export type HeadRows = 'orthonormal' | 'unit';

/** The official code's initial integration weight. */
export const INTEGRATION_INIT = 0.1;

/**
 * The CRMT head (spec §2): zᵐ = W̃ᵐφᵐ with W̃ᵐ computed from a free Vᵐ, fused logits
 * hₖ = Σₘ aₖᵐ zₖᵐ + bₖ with aᵐ ≥ 0 (kept so by `projectIntegration` after each update).
 */
export function createCrmtHead(featureDims: number[], classes: number, rows: HeadRows, rng: Rng): Head {
  assertCrmtDims(featureDims, classes);
  const params = new Map<string, tf.Variable>();
  const vs = featureDims.map((d, m) => {
    return addVariable(params, `head.v${m}`, orthonormalRows(classes, d, rng), [classes, d]);
  });
  const as = featureDims.map((_, m) => {
    return addVariable(params, `head.a${m}`, new Float32Array(classes).fill(INTEGRATION_INIT), [classes]);
  });
  const b = addVariable(params, 'head.bias', new Float32Array(classes), [classes]);
  const rowMatrices = () =>
    rows === 'orthonormal' ? symmetricOrthogonaliseAll(vs as tf.Tensor2D[]) : vs.map((v) => unitRows(v as tf.Tensor2D));
  const contributionsOf = (uni: tf.Tensor2D[]) => uni.map((z, m) => tf.mul(z, as[m]) as tf.Tensor2D);
  const fused = (contributions: tf.Tensor2D[]) => tf.add(tf.addN(contributions), b) as tf.Tensor2D;
  let fixed: tf.Tensor2D[] | null = null;
  return {
    kind: 'crmt',
    params,
    apply: (features) => {
      const ws = fixed ?? rowMatrices();
      const uni = features.map((f, m) => tf.matMul(f, ws[m], false, true) as tf.Tensor2D);
      const contributions = contributionsOf(uni);
      return { logits: fused(contributions), uni, contributions };
    },
    fuse: (uni) => fused(contributionsOf(uni)),
    rowMatrices,
    integration: () => as,
    withFixedRows: (fn) => {
      if (fixed) return fn();
      const rows = tf.tidy(rowMatrices);
      fixed = rows;
      try {
        return fn();
      } finally {
        fixed = null;
        tf.dispose(rows);
      }
    },
  };
}

/** W̃ᵐ ∈ R^{K×dₘ} can only have orthonormal rows when dₘ ≥ K (spec §2). */
export function assertCrmtDims(featureDims: number[], classes: number): void {
  featureDims.forEach((d, m) => {
    if (d < classes)
      throw new Error(
        `The CRMT head needs orthonormal rows, so each modality's feature dimension must be at least the ` +
          `number of classes: modality ${m} has dₘ = ${d} < K = ${classes}. Widen its encoder's last layer.`,
      );
  });
}

/** Keeps aᵐ ≥ 0 after an optimiser update (projection, spec §2). */
export function projectIntegration(head: Head): void {
  for (const a of head.integration() ?? []) tf.tidy(() => a.assign(tf.relu(a)));
}

/** Gram–Schmidt on Gaussian rows: Vᵐ starts with orthonormal rows, so its Gram matrix starts at I. */
function orthonormalRows(k: number, d: number, rng: Rng): Float32Array {
  const rows: Float64Array[] = [];
  while (rows.length < k) {
    const r = Float64Array.from({ length: d }, () => rng.normal());
    for (const q of rows) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += r[j] * q[j];
      for (let j = 0; j < d; j++) r[j] -= dot * q[j];
    }
    const n = Math.hypot(...r);
    if (n < 1e-6) continue;
    rows.push(r.map((x) => x / n));
  }
  const out = new Float32Array(k * d);
  rows.forEach((r, i) => out.set(r, i * d));
  return out;
}
