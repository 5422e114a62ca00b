import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../core/model/model';
import { sampleMargins } from './perSampleAttack';

/**
 * A minimum-norm ℓ2 attack (DDN, Rony et al. 2019, on the margin loss): a gradient step, then the
 * perturbation is put back on a sphere whose radius shrinks by a factor (1 − γ) while the point is
 * adversarial and grows by (1 + γ) while it is not, so the iterates walk along the decision
 * boundary towards its nearest point. Per sample, the norm of the smallest adversarial iterate
 * seen: an upper bound on the distance to the boundary, like the PGD first flip, found without a
 * bisection over ε. `start`: per sample the sphere's first radius (e.g. the PGD first flip).
 */
export interface MinNormAttack {
  steps: number;
  /** Gradient step, as a fraction of the current radius (cosine-annealed to a hundredth of it). */
  stepSize: number;
  /** Radius change per step. */
  gamma: number;
  /** Which modalities move; the norm is joint over them. */
  targets: boolean[];
}

export const MIN_NORM_ATTACK: Omit<MinNormAttack, 'targets'> = { steps: 1000, stepSize: 0.3, gamma: 0.02 };

/** Per sample, the smallest norm of an adversarial point found (Infinity when none). */
export function minNormDistance(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  start: ArrayLike<number>,
  o: MinNormAttack,
): Float64Array {
  const n = xs[0].shape[0];
  const best = new Float64Array(n).fill(Infinity);
  const moving = xs.map((_, m) => m).filter((m) => o.targets[m]);
  let eps = Float32Array.from(start, (s) => (Number.isFinite(s) && s > 0 ? s : 1));
  let delta = moving.map((m) => tf.zerosLike(xs[m]) as tf.Tensor2D);
  const inputs = (d: tf.Tensor2D[]) =>
    xs.map((x, m) => (o.targets[m] ? (tf.add(x, d[moving.indexOf(m)]) as tf.Tensor2D) : x));
  const loss = (...d: tf.Tensor[]) =>
    tf.sum(sampleMargins(model.forward(inputs(d as tf.Tensor2D[])).logits, y)) as tf.Scalar;
  const norms = (d: tf.Tensor2D[]) => tf.sqrt(tf.addN(d.map((p) => tf.sum(tf.square(p), 1, true)))) as tf.Tensor2D;
  for (let t = 0; t < o.steps; t++) {
    const alpha = o.stepSize * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * t) / o.steps)));
    const next = tf.tidy(() => {
      const e = tf.tensor2d(eps, [n, 1]);
      const g = tf.grads(loss)(delta) as tf.Tensor2D[];
      const gn = tf.maximum(norms(g), 1e-12);
      const stepped = delta.map((d, j) => tf.add(d, tf.mul(tf.mul(e, alpha), tf.div(g[j], gn))) as tf.Tensor2D);
      const adv = sampleMargins(model.forward(inputs(stepped)).logits, y).dataSync();
      const size = norms(stepped).dataSync();
      eps = Float32Array.from(eps, (v, i) => {
        if (adv[i] > 0) best[i] = Math.min(best[i], size[i]);
        return v * (adv[i] > 0 ? 1 - o.gamma : 1 + o.gamma);
      });
      const scale = tf.div(tf.tensor2d(eps, [n, 1]), tf.maximum(norms(stepped), 1e-12));
      return stepped.map((d) => tf.mul(d, scale) as tf.Tensor2D);
    });
    delta.forEach((d) => d.dispose());
    delta = next;
  }
  delta.forEach((d) => d.dispose());
  return best;
}
