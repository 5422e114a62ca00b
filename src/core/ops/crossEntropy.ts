import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy with integer labels, through log-softmax for stability. Training's
 * losses (core/train) and the attacks (core/robust) both use it, so it lives below both: train
 * imports robust, never the reverse (eslint.config.js holds the rule).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
