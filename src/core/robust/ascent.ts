import * as tf from '@tensorflow/tfjs-core';

/**
 * Projected gradient ascent shared by the ℓ2 and ℓ∞ attacks (spec §9). The objective may also
 * say which samples the current iterate misclassifies: then every iterate is checked (the start,
 * each step and the end), a sample counts as broken if any of them fooled the model, and the
 * attacked input returned for it is the first one that did — the standard way to evaluate an
 * attack, which a last-iterate check understates.
 */
export type Objective = (xs: tf.Tensor2D[]) => tf.Scalar | { loss: tf.Scalar; wrong: tf.Tensor1D };

export interface Geometry {
  /** The first perturbation of each attacked modality (zeros, or a random start). */
  start(xs: tf.Tensor2D[]): tf.Tensor2D[];
  /** One ascent step from the gradients, projected back onto the budget. */
  step(delta: tf.Tensor2D[], grads: tf.Tensor2D[]): tf.Tensor2D[];
}

export interface AscentResult {
  adv: tf.Tensor2D[];
  /** 1 where some iterate was misclassified; null when the objective does not say. */
  wrong: tf.Tensor1D | null;
}

/** Call inside a tidy. `idx`: the attacked modalities; the others are returned as they are. */
export function ascend(
  objective: Objective,
  xs: tf.Tensor2D[],
  idx: number[],
  steps: number,
  g: Geometry,
): AscentResult {
  const attacked = (d: tf.Tensor2D[]) =>
    xs.map((x, m) => (idx.includes(m) ? tf.add(x, d[idx.indexOf(m)]) : x)) as tf.Tensor2D[];
  let delta = g.start(idx.map((m) => xs[m]));
  let wrong: tf.Tensor1D | null = null;
  let found: tf.Tensor2D[] | null = null;
  // Keeps, per sample, the first iterate that fooled the model.
  const track = (now: tf.Tensor1D, d: tf.Tensor2D[]) => {
    if (!wrong || !found) {
      wrong = now;
      found = d;
      return;
    }
    const fresh = tf.logicalAnd(now, tf.logicalNot(wrong)).expandDims(1);
    found = found.map((f, j) => tf.where(tf.tile(fresh, [1, f.shape[1]]), d[j], f) as tf.Tensor2D);
    wrong = tf.logicalOr(wrong, now) as tf.Tensor1D;
  };
  for (let t = 0; t < steps; t++) {
    let now: tf.Tensor1D | null = null;
    const grads = tf.grads((...d: tf.Tensor[]) => {
      const r = objective(attacked(d as tf.Tensor2D[]));
      if (r instanceof tf.Tensor) return r;
      now = tf.keep(r.wrong);
      return r.loss;
    })(delta) as tf.Tensor2D[];
    if (now) track(tf.cast(now, 'bool') as tf.Tensor1D, delta);
    delta = g.step(delta, grads);
  }
  const last = objective(attacked(delta));
  if (last instanceof tf.Tensor) return { adv: attacked(delta), wrong: null };
  track(tf.cast(last.wrong, 'bool') as tf.Tensor1D, delta);
  const fresh = tf.logicalNot(wrong!).expandDims(1);
  // Samples never fooled end at the last iterate; the others at the first iterate that fooled them.
  const chosen = found!.map((f, j) => tf.where(tf.tile(fresh, [1, f.shape[1]]), delta[j], f) as tf.Tensor2D);
  return { adv: attacked(chosen), wrong: wrong };
}
