import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../core/model/model';
import { pgdL2 } from '../core/robust/pgd';

/**
 * A strong ℓ2 attack at a different radius per sample, for checking certified radii: PGD on the
 * margin loss maxₖ≠y hₖ − h_y with `restarts` random starts plus one from the clean input, in
 * coordinates where each sample's ball has radius 1 (x = x₀ + rᵢ·(x′ − x₀)), so one batched
 * attack gives every sample its own ball.
 */
export interface PerSampleAttack {
  steps: number;
  /** Step length as a fraction of the radius. */
  stepSize: number;
  restarts: number;
  /** Which modalities move; the budget is joint over them. */
  targets: boolean[];
  seed: number;
}

export const STRONG_ATTACK: Omit<PerSampleAttack, 'targets'> = { steps: 100, stepSize: 0.05, restarts: 5, seed: 1 };

/** Per sample maxₖ≠y hₖ − h_y: positive exactly when the prediction is not y. */
export function sampleMargins(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  const oh = tf.oneHot(y, logits.shape[1]);
  const hy = tf.sum(tf.mul(logits, oh), 1);
  return tf.sub(tf.max(tf.sub(logits, tf.mul(oh, 1e9)), 1), hy);
}

const marginLoss = (logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar => tf.sum(sampleMargins(logits, y));

/** Per sample, 1 when some attack inside its radius makes the model predict another class than y. */
export function flipsWithin(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  radii: ArrayLike<number>,
  o: PerSampleAttack,
): Uint8Array {
  const n = xs[0].shape[0];
  const flipped = new Uint8Array(n);
  tf.tidy(() => {
    const r = tf.tensor2d(
      Float32Array.from(radii, (v) => (Number.isFinite(v) ? v : 0)),
      [n, 1],
    );
    const toInput = (xa: tf.Tensor2D[]) => xa.map((x, m) => tf.add(xs[m], tf.mul(r, tf.sub(x, xs[m]))) as tf.Tensor2D);
    const loss = (xa: tf.Tensor2D[]) => marginLoss(model.forward(toInput(xa)).logits, y);
    for (let restart = 0; restart <= o.restarts; restart++) {
      const attacked = pgdL2(loss, xs, {
        eps: 1,
        steps: o.steps,
        stepSize: o.stepSize,
        randomStart: restart > 0,
        targets: o.targets,
        budget: 'joint',
        seed: o.seed * 1000 + restart,
      });
      const pred = tf.argMax(model.forward(toInput(attacked)).logits, 1).dataSync();
      const labels = y.dataSync();
      for (let i = 0; i < n; i++) if (pred[i] !== labels[i]) flipped[i] = 1;
    }
  });
  return flipped;
}

/**
 * Per sample, the smallest radius at which the attack flips the prediction, to a factor
 * (1 + tolerance): doubling from `start` (up to 2^maxDoublings · start, else Infinity), then
 * geometric bisection. An upper bound on the true distance to the decision boundary, as close
 * as the attack is strong. Samples with start ≤ 0 or not finite get NaN.
 */
export function firstFlipDistance(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  start: ArrayLike<number>,
  o: PerSampleAttack,
  tolerance = 0.01,
  maxDoublings = 8,
): Float64Array {
  const n = start.length;
  const usable = Array.from(start, (s) => s > 0 && Number.isFinite(s));
  const lo = Float64Array.from(start, (s, i) => (usable[i] ? s : 0));
  const hi = new Float64Array(n).fill(Infinity);
  let probe = Float64Array.from(lo);
  for (let d = 0; d < maxDoublings && hi.some((h, i) => usable[i] && h === Infinity); d++) {
    probe = Float64Array.from(lo, (l, i) => (hi[i] === Infinity ? 2 * l : l));
    const f = flipsWithin(model, xs, y, probe, o);
    for (let i = 0; i < n; i++) {
      if (!usable[i] || hi[i] !== Infinity) continue;
      if (f[i]) hi[i] = probe[i];
      else lo[i] = probe[i];
    }
  }
  while (Array.from(hi).some((h, i) => usable[i] && Number.isFinite(h) && h > lo[i] * (1 + tolerance))) {
    const mid = Float64Array.from(lo, (l, i) => (Number.isFinite(hi[i]) ? Math.sqrt(l * hi[i]) : l));
    const f = flipsWithin(model, xs, y, mid, o);
    for (let i = 0; i < n; i++) {
      if (!usable[i] || !Number.isFinite(hi[i])) continue;
      if (f[i]) hi[i] = mid[i];
      else lo[i] = mid[i];
    }
  }
  return Float64Array.from(hi, (h, i) => (usable[i] ? h : NaN));
}
