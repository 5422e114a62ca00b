import type * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activationNames';
import type { DenseLayer } from './denseStack';

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
   * For rows ([R, outDim]) and each sample, the squared norms [n, R] and the Gram matrix [n, R, R]
   * of the input gradients of rows · φ(x), by identities that avoid forming each gradient. Optional:
   * where absent, callers differentiate `apply` once per row and use the gradients themselves.
   */
  gradientNorms?(x: tf.Tensor2D, rows: tf.Tensor2D): tf.Tensor2D;
  gradientGram?(x: tf.Tensor2D, rows: tf.Tensor2D): tf.Tensor3D;
  lipschitzFactors(): LinearFactor[];
  /**
   * An MLP's layers, each followed by `activation`: what a hand-written training step
   * (train/jtStep.ts) differentiates without the tape. Absent on other encoders.
   */
  readonly dense?: { layers: DenseLayer[]; activation: Activation };
}
