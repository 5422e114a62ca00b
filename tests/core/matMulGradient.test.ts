import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { matMulGradients } from '../../src/core/model/matMulGradient';
import { createRng } from '../../src/core/random';

const rng = createRng(11);
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );

describe('matmul gradients with explicit transposes (the WASM path)', () => {
  for (const batch of [[], [3]])
    for (const transposeA of [false, true])
      for (const transposeB of [false, true])
        it(`equal the flag form and tfjs's own, batch [${batch}], transposeA ${transposeA}, transposeB ${transposeB}`, () => {
          tf.tidy(() => {
            const a = random([...batch, ...(transposeA ? [4, 5] : [5, 4])]);
            const b = random([...batch, ...(transposeB ? [6, 4] : [4, 6])]);
            const dy = random([...batch, 5, 6]);
            const flags = matMulGradients(dy, a, b, transposeA, transposeB, false);
            const explicit = matMulGradients(dy, a, b, transposeA, transposeB, true);
            // tfjs's gradient of Σ dy ⊙ (A·B) with respect to A and B.
            const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
              tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), dy)),
            )([a, b]);
            for (const [got, want] of [
              [explicit.a(), ga],
              [explicit.b(), gb],
              [flags.a(), ga],
              [flags.b(), gb],
            ]) {
              expect(got.shape).toEqual(want.shape);
              expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
            }
          });
        });
});
