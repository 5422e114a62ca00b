import type * as tf from '@tensorflow/tfjs-core';

export type HeadKind = 'joint' | 'crmt';

export interface HeadOutput {
  /** Fused logits h(x) [n, K] = Σₘ contributions[m] + b. */
  logits: tf.Tensor2D;
  /** Unscaled uni-modal logits [n, K]: uᵐ = Wᵐφᵐ (joint head) or zᵐ = W̃ᵐφᵐ (CRMT head). */
  uni: tf.Tensor2D[];
  /** Modality m's term of the fused logits: uᵐ (joint) or aᵐ ⊙ zᵐ (CRMT). Shares are differences of these. */
  contributions: tf.Tensor2D[];
}

export interface Head {
  readonly kind: HeadKind;
  readonly params: Map<string, tf.Variable>;
  apply(features: tf.Tensor2D[]): HeadOutput;
  /** The fused logits from the uni-modal logits alone: the last part of `apply`. */
  fuse(uni: tf.Tensor2D[]): tf.Tensor2D;
  /** Per modality, the [K, dₘ] matrix whose rows map features to uni-modal logits. */
  rowMatrices(): tf.Tensor2D[];
  /** Integration weights aᵐ (CRMT head), or null for the joint head. */
  integration(): tf.Variable[] | null;
  /**
   * Runs `fn` with the row matrices computed once, for a caller that does not change the weights
   * inside it (an attack's many forward passes): the CRMT head orthogonalises Vᵐ on every `apply`
   * otherwise. Inside, `apply` treats them as constants, so gradients reach the inputs, not V.
   * Absent on heads whose rows cost nothing to form.
   */
  withFixedRows?<T>(fn: () => T): T;
  /**
   * The joint head with one shared bias, h = Σₘ φᵐ·weights[m] + bias: what a hand-written training
   * step (train/jtStep.ts) differentiates without the tape. Absent on other heads.
   */
  readonly linear?: { weights: tf.Variable[]; bias: tf.Variable };
}

/** `fn` under the head's fixed rows where it has them: the same numbers, one orthogonalisation. */
export function withFixedRows<T>(head: Head, fn: () => T): T {
  return head.withFixedRows ? head.withFixedRows(fn) : fn();
}
