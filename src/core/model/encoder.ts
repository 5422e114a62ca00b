import type * as tf from '@tensorflow/tfjs-core';

/**
 * One linear operator of an encoder, for the certified Lipschitz bound (spec §5):
 * ‖layer‖ ≤ scale · σ_max(weight viewed as a [rows, cols] matrix), or a known constant.
 * Activations are 1-Lipschitz and contribute nothing.
 */
export type LinearFactor =
  | { kind: 'matrix'; weight: tf.Tensor; rows: number; cols: number; scale: number; what: string }
  | { kind: 'constant'; value: number; what: string };

export interface Encoder {
  readonly outDim: number;
  /** Named, in layer order. */
  readonly params: Map<string, tf.Variable>;
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /**
   * Jᵀ·dy at x for `repeats` blocks of cotangents (block b, row i: one at sample i), with the
   * forward pass run once; the values of tf.grad through `apply` on x repeated. Optional: where
   * absent, callers differentiate `apply` on the repeated input.
   */
  inputGradient?(x: tf.Tensor2D, dy: tf.Tensor2D, repeats: number): tf.Tensor2D;
  lipschitzFactors(): LinearFactor[];
}
