import * as tf from '@tensorflow/tfjs';

import type { Activation } from './activationNames';

export type { Activation };

export function activate(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.1);
  }
}
