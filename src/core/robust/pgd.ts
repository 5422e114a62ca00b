import * as tf from '@tensorflow/tfjs-core';
import { ascend, type AscentResult, type Objective } from './ascent';

export interface PgdL2Options {
  eps: number;
  steps: number;
  stepSize: number;
  randomStart: boolean;
  /** Which modalities the attack may change. */
  targets: boolean[];
  /** `joint`: one ℓ2 ball over the attacked modalities; `per-modality`: a ball of radius eps for each. */
  budget: 'joint' | 'per-modality';
  /** Seed for the random start. */
  seed?: number;
}

/** Guards every normalisation: a zero gradient gives a zero step, never NaN (spec §9). */
const TINY = 1e-12;

/** Per-sample ℓ2 norms [n, 1] of the given tensors taken together. */
function rowNorms(parts: tf.Tensor2D[]): tf.Tensor2D {
  return tf.sqrt(tf.addN(parts.map((p) => tf.sum(tf.square(p), 1, true)))) as tf.Tensor2D;
}

/** Scales each sample's parts so that their (joint or separate) ℓ2 norm is at most eps. */
function project(parts: tf.Tensor2D[], eps: number, budget: PgdL2Options['budget']): tf.Tensor2D[] {
  const shrink = (norm: tf.Tensor2D) => tf.minimum(1, tf.div(eps, tf.maximum(norm, TINY)));
  if (budget === 'per-modality') return parts.map((p) => tf.mul(p, shrink(rowNorms([p]))) as tf.Tensor2D);
  const s = shrink(rowNorms(parts));
  return parts.map((p) => tf.mul(p, s) as tf.Tensor2D);
}

/** Each sample's parts scaled to unit (joint or separate) ℓ2 norm; zero stays zero. */
function normalise(parts: tf.Tensor2D[], budget: PgdL2Options['budget']): tf.Tensor2D[] {
  if (budget === 'per-modality') return parts.map((p) => tf.div(p, tf.maximum(rowNorms([p]), TINY)) as tf.Tensor2D);
  const n = tf.maximum(rowNorms(parts), TINY);
  return parts.map((p) => tf.div(p, n) as tf.Tensor2D);
}

/**
 * ℓ2 projected gradient ascent (spec §9): T steps of size α along the normalised gradient,
 * projected back onto the ball after each; with an objective that reports misclassified samples,
 * every iterate is checked (see ascent.ts). Call inside a tidy.
 */
export function pgdL2Ascent(objective: Objective, xs: tf.Tensor2D[], o: PgdL2Options): AscentResult {
  const idx = xs.map((_, m) => m).filter((m) => o.targets[m]);
  const steps = idx.length === 0 || o.eps <= 0 ? 0 : o.steps;
  return ascend(objective, xs, idx, steps, {
    start: (parts) => {
      if (!o.randomStart || steps === 0) return parts.map((p) => tf.zerosLike(p));
      // A random direction at a uniform radius: a start inside the ball, not on a shell.
      const seed = (o.seed ?? 0) * 7919;
      const dirs = normalise(
        parts.map((p, j) => tf.randomNormal(p.shape, 0, 1, 'float32', seed + j) as tf.Tensor2D),
        o.budget,
      );
      const r = tf.mul(o.eps, tf.randomUniform([parts[0].shape[0], 1], 0, 1, 'float32', seed + 97));
      return dirs.map((d) => tf.mul(d, r) as tf.Tensor2D);
    },
    step: (delta, grads) => {
      const step = normalise(grads, o.budget);
      return project(
        delta.map((d, j) => tf.add(d, tf.mul(o.stepSize, step[j])) as tf.Tensor2D),
        o.eps,
        o.budget,
      );
    },
  });
}

/** The attacked inputs of ℓ2 PGD on `loss` (adversarial training's attack); untargeted modalities unchanged. */
export function pgdL2(loss: (xs: tf.Tensor2D[]) => tf.Scalar, xs: tf.Tensor2D[], o: PgdL2Options): tf.Tensor2D[] {
  return tf.tidy(() => pgdL2Ascent(loss, xs, o).adv.map((a, m) => (a === xs[m] ? a.clone() : a)));
}
