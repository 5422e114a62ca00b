import type * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import { certify, type CertifiedAccuracy } from './certification';
import { minimalUniModalMargins } from './margins';
import { collectOutputs } from './modelOutputs';

/** What the live views need after each epoch, computed on the validation split: plain numbers only. */
export interface EpochEvaluation {
  /** Per modality: 5%, 25%, 50%, 75% and 95% quantiles of the minimal uni-modal margin (spec §3). */
  marginQuantiles: number[][];
  /** Histogram of the sound joint radius (misclassified samples count at 0). */
  radiusHistogram: { edges: number[]; counts: number[] };
  /** Certified accuracy at each ε of CURVE_EPS, both bound kinds: the same shape as the CLI's result. */
  certified: CertifiedAccuracy;
}

export const CURVE_EPS = Array.from({ length: 21 }, (_, i) => i * 0.05);
const HISTOGRAM_BINS = 20;
/** Enough training samples for a stable max-gradient estimate, few enough for every epoch. */
export const LIVE_ESTIMATE_SAMPLES = 256;

export async function evaluateEpoch(
  model: MultiModalModel,
  x: tf.Tensor2D[],
  y: tf.Tensor1D,
  trainX: tf.Tensor2D[],
): Promise<EpochEvaluation> {
  const labels = new Int32Array(await y.data());
  const out = await collectOutputs(model, x);
  const { radii, accuracy } = await certify(model, out, labels, trainX, CURVE_EPS, LIVE_ESTIMATE_SAMPLES);
  return {
    marginQuantiles: out.uni.map((u) =>
      quantiles(minimalUniModalMargins(u, labels, out.K), [0.05, 0.25, 0.5, 0.75, 0.95]),
    ),
    radiusHistogram: histogram(radii.sound.joint, HISTOGRAM_BINS),
    certified: accuracy,
  };
}

export function quantiles(values: ArrayLike<number>, qs: number[]): number[] {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return qs.map(() => NaN);
  return qs.map((q) => {
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  });
}

/** Equal-width bins from 0 to the largest finite value. */
export function histogram(values: ArrayLike<number>, bins: number): { edges: number[]; counts: number[] } {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) max = Math.max(max, values[i]);
  const width = max > 0 ? max / bins : 1;
  const counts = new Array(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = Number.isFinite(values[i]) ? values[i] : max;
    counts[Math.min(bins - 1, Math.floor(v / width))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => i * width), counts };
}
