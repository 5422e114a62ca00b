import * as tf from '@tensorflow/tfjs-core';
import { LEAKY_RELU_SLOPE, type Activation } from './activationNames';
import { activate } from './activation';
import type { DenseLayer } from './denseStack';

/** act'(x), the factor by which the activation scales a gradient, from its output a (a > 0 exactly where x > 0). */
function activationFactor(a: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.step(a);
    case 'leakyRelu':
      return tf.where(tf.greater(a, 0), tf.onesLike(a), tf.fill(a.shape, LEAKY_RELU_SLOPE));
    case 'tanh':
      return tf.sub(1, tf.square(a));
  }
}

/** a·bᵀ; tfjs-wasm's transposed-operand matmul is slow, so there the transpose is explicit (matMulGradient.ts). */
function timesTransposed(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'wasm' ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/**
 * The input gradient of r · φ(x) for a dense stack φ is W₀ v, where v is the cotangent at the first
 * layer's pre-activation, so the inner product of two of them is v_y · (W₀ᵀW₀) v_k: computed in the
 * first hidden layer's width h₀ instead of the input size, and without forming the gradients. This
 * returns, for the rows `rows` ([R, d_out]) and every sample, V (the vᵀ, [n, R, h₀]) and V·W₀ᵀW₀,
 * with each layer's activation factor [n, 1, width] for the way back up. Rows are sample-major, so
 * a factor broadcasts over the R rows of its sample instead of being repeated R times.
 */
function firstLayerCotangents(x: tf.Tensor2D, layers: DenseLayer[], activation: Activation, rows: tf.Tensor2D) {
  const factors: tf.Tensor[] = [];
  let h = x;
  for (const l of layers) {
    h = activate(tf.add(tf.matMul(h, l.w as tf.Tensor2D), l.b) as tf.Tensor2D, activation);
    factors.push(tf.expandDims(activationFactor(h, activation), 1));
  }
  const n = x.shape[0];
  const R = rows.shape[0];
  const flat = (t: tf.Tensor) => tf.reshape(t, [n * R, -1]) as tf.Tensor2D;
  let v = tf.mul(tf.expandDims(rows, 0), factors[layers.length - 1]);
  for (let i = layers.length - 1; i > 0; i--)
    v = tf.mul(tf.reshape(timesTransposed(flat(v), layers[i].w as tf.Tensor2D), [n, R, -1]), factors[i - 1]);
  const w0 = layers[0].w as tf.Tensor2D;
  const vm = tf.reshape(tf.matMul(flat(v), tf.matMul(tf.transpose(w0), w0)), [n, R, -1]);
  return { v, vm, factors, flat };
}

/** ‖∇ₓ(r_k · φ(xᵢ))‖² for every sample and row, [n, R]: v_k · (W₀ᵀW₀) v_k (see firstLayerCotangents). */
export function denseGradientNorms(
  x: tf.Tensor2D,
  layers: DenseLayer[],
  activation: Activation,
  rows: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const { v, vm } = firstLayerCotangents(x, layers, activation, rows);
    return tf.sum(tf.mul(v, vm), 2) as tf.Tensor2D;
  });
}

/**
 * The Gram matrix of the R input gradients of each sample, [n, R, R]. Gᵢ = Vᵢ M Vᵢᵀ with M = W₀ᵀW₀,
 * and Vᵢᵀ is the way back down run upwards (D₀ W₁ D₁ … W_L D_L rowsᵀ, D the activation factors), so
 * Gᵢ = ((Vᵢ M) D₀ W₁ D₁ … D_L) rowsᵀ: every product is with a matrix shared by all samples, one
 * plain matmul over the n·R stacked rows, and the per-sample R×R products (which tfjs-wasm batches
 * at about 2 GFLOP/s) never run. Values agree with the gradients' own Gram matrices to float32
 * rounding, not bit for bit: the sums are reassociated.
 */
export function denseGradientGram(
  x: tf.Tensor2D,
  layers: DenseLayer[],
  activation: Activation,
  rows: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const { vm, factors, flat } = firstLayerCotangents(x, layers, activation, rows);
    const [n, R] = [x.shape[0], rows.shape[0]];
    let up: tf.Tensor = tf.mul(vm, factors[0]);
    for (let i = 1; i < layers.length; i++)
      up = tf.mul(tf.reshape(tf.matMul(flat(up), layers[i].w as tf.Tensor2D), [n, R, -1]), factors[i]);
    return tf.reshape(timesTransposed(flat(up), rows), [n, R, R]) as tf.Tensor3D;
  });
}
