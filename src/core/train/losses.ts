import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../ops/crossEntropy';

/** Stands in for −∞ in masked log-sum-exps: exp of it is exactly 0 in float32. */
const MASKED = -1e9;

/**
 * Spec §4, second term per sample: log Σₘ Σₖ≠y exp(zₖᵐ − z_yᵐ), one stable log-sum-exp over the
 * M(K−1) differences of the unscaled uni-modal logits. Returns the batch mean.
 */
export function crmtMarginTerm(uni: tf.Tensor2D[], labels: tf.Tensor1D, floor = 0): tf.Scalar {
  return tf.tidy(() => {
    const k = uni[0].shape[1];
    const oneHot = tf.oneHot(labels, k);
    const diffs = uni.map((z) => {
      const zy = tf.sum(tf.mul(z, oneHot), 1, true);
      return tf.where(tf.cast(oneHot, 'bool'), tf.fill(z.shape, MASKED), tf.sub(z, zy));
    });
    return tf.mean(logSumExpWithFloor(tf.concat(diffs, 1) as tf.Tensor2D, floor)) as tf.Scalar;
  });
}

/**
 * log(Σ exp(d) + floor) per row, still one stable log-sum-exp: the floor enters as one more
 * entry log(floor). With floor 0 it is the plain log-sum-exp.
 */
function logSumExpWithFloor(d: tf.Tensor2D, floor: number): tf.Tensor1D {
  if (floor <= 0) return tf.logSumExp(d, 1) as tf.Tensor1D;
  return tf.logSumExp(tf.concat([d, tf.fill([d.shape[0], 1], Math.log(floor))], 1), 1) as tf.Tensor1D;
}

/**
 * Spec §4: CE(h(x), y) + ρ · crmtMarginTerm; the main phase's loss for every method on clean or
 * adversarial inputs. With ρ = 0 (methods without the margin term) the term is not computed.
 */
export function crmtStep1Loss(
  logits: tf.Tensor2D,
  uni: tf.Tensor2D[],
  labels: tf.Tensor1D,
  rho: number,
  floor = 0,
): tf.Scalar {
  if (rho === 0) return crossEntropy(logits, labels);
  return tf.tidy(
    () => tf.add(crossEntropy(logits, labels), tf.mul(rho, crmtMarginTerm(uni, labels, floor))) as tf.Scalar,
  );
}

/**
 * Spec §8, mixup form of the margin term: log Σₘ Σ_{k∉{y_a, y_b}} exp(zₖᵐ − (λ z_{y_a}ᵐ + (1−λ) z_{y_b}ᵐ)).
 * When y_a = y_b it is the plain term.
 */
export function mixupMarginTerm(
  uni: tf.Tensor2D[],
  ya: tf.Tensor1D,
  yb: tf.Tensor1D,
  lambda: number,
  floor = 0,
): tf.Scalar {
  return tf.tidy(() => {
    const k = uni[0].shape[1];
    const ohA = tf.oneHot(ya, k);
    const ohB = tf.oneHot(yb, k);
    const excluded = tf.cast(tf.maximum(ohA, ohB), 'bool');
    const diffs = uni.map((z) => {
      const target = tf.add(
        tf.mul(lambda, tf.sum(tf.mul(z, ohA), 1, true)),
        tf.mul(1 - lambda, tf.sum(tf.mul(z, ohB), 1, true)),
      );
      return tf.where(excluded, tf.fill(z.shape, MASKED), tf.sub(z, target));
    });
    return tf.mean(logSumExpWithFloor(tf.concat(diffs, 1) as tf.Tensor2D, floor)) as tf.Scalar;
  });
}

/** Cross-entropy against a mixed target: λ CE(h, y_a) + (1 − λ) CE(h, y_b). */
export function mixupCrossEntropy(logits: tf.Tensor2D, ya: tf.Tensor1D, yb: tf.Tensor1D, lambda: number): tf.Scalar {
  return tf.tidy(
    () => tf.add(tf.mul(lambda, crossEntropy(logits, ya)), tf.mul(1 - lambda, crossEntropy(logits, yb))) as tf.Scalar,
  );
}

/**
 * Spec §8, the mixup counterpart of crmtStep1Loss: λ CE(h, y_a) + (1 − λ) CE(h, y_b) + ρ ·
 * mixupMarginTerm; the main phase's loss for mixup and crmt-mix. With ρ = 0 the term is not computed.
 */
export function crmtMixupStep1Loss(
  logits: tf.Tensor2D,
  uni: tf.Tensor2D[],
  ya: tf.Tensor1D,
  yb: tf.Tensor1D,
  lambda: number,
  rho: number,
  floor = 0,
): tf.Scalar {
  if (rho === 0) return mixupCrossEntropy(logits, ya, yb, lambda);
  return tf.tidy(
    () =>
      tf.add(
        mixupCrossEntropy(logits, ya, yb, lambda),
        tf.mul(rho, mixupMarginTerm(uni, ya, yb, lambda, floor)),
      ) as tf.Scalar,
  );
}

/**
 * Spec §7: L₂ = −mean over samples of the radius bound (h_y − hₖ) / √(Σₘ (cᵐ_{y,k})²), not
 * clipped at 0, with k the minimising class (`min`) or the runner-up chosen without gradient.
 * `pairConstants[m]` is [K, K]: entry (y, k) is cᵐ_{y,k}, a differentiable function of a.
 */
export function step2Loss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  pairConstants: tf.Tensor2D[],
  classChoice: 'min' | 'runner-up',
): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const oneHot = tf.oneHot(labels, k);
    const hy = tf.sum(tf.mul(logits, oneHot), 1, true);
    const margin = tf.sub(hy, logits); // [n, K]: h_y − hₖ
    // Row y of each [K, K] constant matrix, per sample: a one-hot matmul rather than a gather,
    // whose gradient (UnsortedSegmentSum) the WASM backend lacks.
    const c2 = tf.matMul(oneHot, tf.addN(pairConstants.map((c) => tf.square(c))));
    const ratio = tf.div(margin, tf.sqrt(tf.add(c2, 1e-12)));
    const isLabel = tf.cast(oneHot, 'bool');
    let perSample: tf.Tensor1D;
    if (classChoice === 'min') {
      perSample = tf.min(tf.where(isLabel, tf.fill(ratio.shape, 1e9), ratio), 1);
    } else {
      // argMax carries no gradient, so the choice of k is made "without gradient" as the official code does.
      const runnerUp = tf.argMax(tf.where(isLabel, tf.fill(logits.shape, MASKED), logits), 1);
      perSample = tf.sum(tf.mul(ratio, tf.oneHot(runnerUp, k)), 1);
    }
    return tf.neg(tf.mean(perSample)) as tf.Scalar;
  });
}
