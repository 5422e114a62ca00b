import * as tf from '@tensorflow/tfjs-core';

import { LEAKY_RELU_SLOPE, type Activation } from './activationNames';

export type { Activation };

export function activate<T extends tf.Tensor>(x: T, a: Activation): T {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, LEAKY_RELU_SLOPE);
  }
}
