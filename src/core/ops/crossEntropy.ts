import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy with integer labels, through log-softmax for stability. Training's
 * losses (core/train) and the attacks (core/robust) both use it, so it lives below both: train
 * imports robust, never the reverse (eslint.config.js holds the rule).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    // Cast once here, not in the forward and again in the backward pass. (Not oneHot's dtype
    // argument: tfjs-wasm 4.22 writes int32 bits under a float32 dtype, so 1 would read as 1e-45.)
    const oneHot = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32');
    return negMeanPicked(tf.logSoftmax(logits), oneHot);
  });
}

/**
 * −mean over rows of Σₖ oneHotₖ·lₖ with a hand-written gradient, oneHot·(−dy/n): the values
 * the tape computes through neg, mean, sum and mul, without its saved copies, broadcasts and
 * reshapes (about 6 kernels of each training step). No gradient flows to the one-hot labels.
 */
function negMeanPicked(logProbs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  const n = logProbs.shape[0];
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, picked, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([picked]);
    return {
      value: tf.neg(tf.mean(tf.sum(tf.mul(picked, l), 1))) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, [pickedSaved]: tf.Tensor[]) => [
        tf.mul(pickedSaved, tf.div(tf.neg(dy), n)),
        tf.zerosLike(pickedSaved),
      ],
    };
  })(logProbs, oneHot) as tf.Scalar;
}
