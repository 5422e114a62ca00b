import * as tf from '@tensorflow/tfjs-core';

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
 * modality. sign(0) = 0, so a zero gradient leaves the input where it is.
 */
export function pgdLinf(loss: (xs: tf.Tensor2D[]) => tf.Scalar, xs: tf.Tensor2D[], o: PgdLinfOptions): tf.Tensor2D[] {
  return tf.tidy(() => {
    const idx = xs.map((_, m) => m).filter((m) => o.targets[m]);
    if (idx.length === 0 || o.eps <= 0 || o.steps <= 0) return xs.map((x) => x.clone());
    let delta: tf.Tensor2D[] = idx.map((m, j) =>
      o.randomStart
        ? (tf.randomUniform(xs[m].shape, -o.eps, o.eps, 'float32', (o.seed ?? 0) * 7919 + j) as tf.Tensor2D)
        : tf.zerosLike(xs[m]),
    );
    const attacked = (d: tf.Tensor2D[]) =>
      xs.map((x, m) => (o.targets[m] ? tf.add(x, d[idx.indexOf(m)]) : x)) as tf.Tensor2D[];
    for (let t = 0; t < o.steps; t++) {
      const grads = tf.grads((...d: tf.Tensor[]) => loss(attacked(d as tf.Tensor2D[])))(delta) as tf.Tensor2D[];
      delta = delta.map(
        (d, j) => tf.clipByValue(tf.add(d, tf.mul(o.stepSize, tf.sign(grads[j]))), -o.eps, o.eps) as tf.Tensor2D,
      );
    }
    return attacked(delta);
  });
}
