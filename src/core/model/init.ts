import * as tf from '@tensorflow/tfjs-core';
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

/**
 * A trainable variable, filed under `name` in `params`. tfjs's own variable names must be unique
 * engine-wide, so they are left to tfjs: two models (a UMT teacher and its student) may then
 * share parameter names. Created inside a tidy so the initial tensor is released.
 */
export function addVariable(
  params: Map<string, tf.Variable>,
  name: string,
  values: Float32Array,
  shape: number[],
): tf.Variable {
  const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
  params.set(name, v);
  return v;
}
