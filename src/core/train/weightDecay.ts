import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';

/** The parameters the main phase's weight decay applies to: weight matrices and kernels, not biases, not a. */
export function decayedWeights(model: MultiModalModel): tf.Variable[] {
  return [...model.params.entries()].filter(([name]) => /weight|head\.[wv]\d/.test(name)).map(([, v]) => v);
}

/** Adds (λ/2)·Σ‖W‖² over `decayedWeights` when λ > 0. */
export function withWeightDecay(loss: () => tf.Scalar, model: MultiModalModel, lambda: number): () => tf.Scalar {
  if (lambda <= 0) return loss;
  const weights = decayedWeights(model);
  return () => tf.add(loss(), tf.mul(0.5 * lambda, tf.addN(weights.map((w) => tf.sum(tf.square(w)))))) as tf.Scalar;
}
