import * as tf from '@tensorflow/tfjs-core';
import { atStepSize, type TrainSettings } from '../config';
import type { MultiModalModel } from '../model/model';
import { pgdL2 } from '../robust/pgd';
import { permutation, type Rng } from '../random';
import { crossEntropy } from '../ops/crossEntropy';
import { crmtMixupStep1Loss, crmtStep1Loss } from './losses';
import { METHODS } from './methods';
import { sampleBeta } from './mixup';

export interface Batch {
  xs: tf.Tensor2D[];
  y: tf.Tensor1D;
}

/** Σₘ CE(uᵐ, y): every uni-modal model is trained alone on its own logits (ume, umt teachers). */
export function uniModalLoss(model: MultiModalModel, b: Batch): tf.Scalar {
  return tf.addN(model.forward(b.xs).uni.map((u) => crossEntropy(u, b.y))) as tf.Scalar;
}

/**
 * The main phase's loss for one batch (spec §4, §8), as a closure for `optimizer.minimize`.
 * Adversarial and mixed inputs are built first, outside the closure, so the attack's own
 * gradients never reach the optimiser. Call inside a tidy.
 */
export function mainPhaseLoss(
  model: MultiModalModel,
  teacher: MultiModalModel | null,
  s: TrainSettings,
  b: Batch,
  rng: Rng,
  step: number,
): () => tf.Scalar {
  const method = METHODS[s.method];
  // Methods without the margin term train on CE alone; a ρ ≤ 0 turns the term off too.
  const rho = method.marginTerm ? Math.max(0, s.rho) : 0;
  if (method.structure === 'ume') return () => uniModalLoss(model, b);
  if (method.structure === 'umt') {
    const targets = teacher!.forward(b.xs).features;
    return () => {
      const out = model.forward(b.xs);
      const distil = tf.addN(out.features.map((f, m) => tf.mean(tf.sum(tf.square(tf.sub(f, targets[m])), 1))));
      return tf.add(crossEntropy(out.logits, b.y), tf.mul(s.umtAlpha, distil)) as tf.Scalar;
    };
  }
  const fusedLoss = (xs: tf.Tensor2D[]) => {
    const out = model.forward(xs);
    return crmtStep1Loss(out.logits, out.uni, b.y, rho, s.marginFloor);
  };
  if (method.inputs === 'adversarial') {
    const adv = pgdL2((xs) => crossEntropy(model.forward(xs).logits, b.y), b.xs, {
      ...s.at,
      stepSize: atStepSize(s.at),
      targets: b.xs.map(() => true),
      budget: 'joint',
      seed: s.seed * 100_003 + step,
    });
    const w = s.at.cleanWeight;
    return () =>
      w > 0 ? (tf.add(tf.mul(1 - w, fusedLoss(adv)), tf.mul(w, fusedLoss(b.xs))) as tf.Scalar) : fusedLoss(adv);
  }
  if (method.inputs === 'mixup') {
    // One λ ~ Beta(α, α) and one permutation per batch, over all modalities (spec §8).
    const lambda = sampleBeta(s.mixupAlpha, rng);
    const n = b.y.shape[0];
    const p = tf.tensor1d(permutation(n, rng), 'int32');
    const mixed = b.xs.map((x) => tf.add(tf.mul(lambda, x), tf.mul(1 - lambda, tf.gather(x, p))) as tf.Tensor2D);
    const yb = tf.gather(b.y, p) as tf.Tensor1D;
    return () => {
      const out = model.forward(mixed);
      return crmtMixupStep1Loss(out.logits, out.uni, b.y, yb, lambda, rho, s.marginFloor);
    };
  }
  return () => fusedLoss(b.xs);
}
