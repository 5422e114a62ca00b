import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';

/**
 * Glorot-uniform weights drawn from our own seeded RNG, not tfjs's initialisers: the same seed
 * then gives bit-identical starting weights on every backend.
 */
export function glorotUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
  return w;
}

/** A trainable variable whose initial tensor is released once copied (see brief: tf.variable keeps init alive). */
export function variableFrom(values: Float32Array, shape: number[], name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, name));
}
