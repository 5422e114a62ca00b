import * as tf from '@tensorflow/tfjs-core';
import { LEAKY_RELU_SLOPE, type Activation } from './activationNames';
import { activate } from './activation';
import { matMulGradients } from './matMulGradient';

export interface DenseLayer {
  /** [in, out] */
  w: tf.Variable;
  /** [out] */
  b: tf.Variable;
}

/**
 * dy through the activation, from its output a: the values tfjs's own gradients give (relu:
 * dy·step(x), leaky ReLU: dy where x > 0 else slope·dy, tanh: dy·(1 − a²)), since a > 0 exactly
 * where x > 0.
 */
export function activationGradient(dy: tf.Tensor, a: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.mul(dy, tf.step(a));
    case 'leakyRelu':
      return tf.where(tf.greater(a, 0), dy, tf.mul(dy, LEAKY_RELU_SLOPE));
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(a)));
  }
}

/**
 * act(… act(x·W₀ + b₀) … ·Wₗ + bₗ), every layer followed by the activation, each layer with a
 * hand-written backward pass. The forward kernels are the plain ones, and the backward pass runs
 * the kernels tfjs's tape would (matMulGradients, a sum over rows for the bias), so values are
 * unchanged; what goes is the tape's bookkeeping: a saved copy of every matmul and activation
 * input, casts and reshapes (bench/optimisations.md), about 5 kernels per layer of a training step.
 * One custom op per layer, saving only its input and output, because tfjs (in its tests) counts a
 * tensor a custom op keeps for its gradient but did not output as a leak.
 */
export function denseStack(x: tf.Tensor2D, layers: DenseLayer[], activation: Activation): tf.Tensor2D {
  return layers.reduce((h, l) => denseLayer(h, l, activation), x);
}

function denseLayer(x: tf.Tensor2D, layer: DenseLayer, activation: Activation): tf.Tensor2D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const out = activate(tf.add(tf.matMul(input, w), b) as tf.Tensor2D, activation);
    save([input, out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, [xSaved, outSaved]: tf.Tensor[]) => {
        const dz = activationGradient(dy, outSaved, activation);
        const mm = matMulGradients(dz, xSaved, w, false, false, tf.getBackend() === 'wasm');
        return [mm.a(), mm.b(), tf.sum(dz, 0)];
      },
    };
  })(x, layer.w, layer.b) as tf.Tensor2D;
}
