import * as tf from '@tensorflow/tfjs-core';
import { ascend, type AscentResult, type Objective } from './ascent';

export interface PgdLinfOptions {
  eps: number;
  steps: number;
  stepSize: number;
  randomStart: boolean;
  targets: boolean[];
  seed?: number;
}

/**
 * ℓ∞ PGD (spec §9): sign steps of size α, clipped to [−ε, ε] per coordinate of each attacked
 * modality. sign(0) = 0, so a zero gradient leaves the input where it is. Call inside a tidy.
 */
export function pgdLinfAscent(objective: Objective, xs: tf.Tensor2D[], o: PgdLinfOptions): AscentResult {
  const idx = xs.map((_, m) => m).filter((m) => o.targets[m]);
  const steps = idx.length === 0 || o.eps <= 0 ? 0 : o.steps;
  return ascend(objective, xs, idx, steps, {
    start: (parts) =>
      parts.map((p, j) =>
        o.randomStart && steps > 0
          ? (tf.randomUniform(p.shape, -o.eps, o.eps, 'float32', (o.seed ?? 0) * 7919 + j) as tf.Tensor2D)
          : tf.zerosLike(p),
      ),
    step: (delta, grads) =>
      delta.map(
        (d, j) => tf.clipByValue(tf.add(d, tf.mul(o.stepSize, tf.sign(grads[j]))), -o.eps, o.eps) as tf.Tensor2D,
      ),
  });
}

export function pgdLinf(loss: (xs: tf.Tensor2D[]) => tf.Scalar, xs: tf.Tensor2D[], o: PgdLinfOptions): tf.Tensor2D[] {
  return tf.tidy(() => pgdLinfAscent(loss, xs, o).adv.map((a, m) => (a === xs[m] ? a.clone() : a)));
}
