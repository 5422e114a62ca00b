import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FusedAdam } from '../../src/core/train/fusedAdam';
import { HostAdam } from '../../src/core/train/hostAdam';
import { createRng } from '../../src/core/random';

function variables(seed: number): tf.Variable[] {
  const rng = createRng(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return [
    tf.variable(tf.tensor2d(values(12), [3, 4])),
    tf.variable(tf.tensor1d(values(4))),
    tf.variable(tf.tensor2d(values(8), [4, 2])),
  ];
}

/** A small two-layer regression whose gradients reach every variable with different values each step. */
function loss(vs: tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D): () => tf.Scalar {
  return () => {
    const h = tf.relu(tf.add(tf.matMul(x, vs[0] as tf.Tensor2D), vs[1]));
    return tf.mean(tf.square(tf.sub(tf.matMul(h as tf.Tensor2D, vs[2] as tf.Tensor2D), y)));
  };
}

describe.each([
  ['FusedAdam', FusedAdam],
  ['HostAdam', HostAdam],
] as const)('%s', (_, Adam) => {
  it('gives weights bit-identical to tf.train.adam, step after step', () => {
    const rng = createRng(9);
    const x = tf.tensor2d(
      Float32Array.from({ length: 15 }, () => rng.normal()),
      [5, 3],
    );
    const y = tf.tensor2d(
      Float32Array.from({ length: 10 }, () => rng.normal()),
      [5, 2],
    );
    const ours = variables(1);
    const theirs = variables(1);
    const fused = new Adam(ours, 0.05);
    const reference = tf.train.adam(0.05);
    for (let step = 0; step < 25; step++) {
      tf.tidy(() => {
        const a = fused.minimize(loss(ours, x, y));
        const b = reference.minimize(loss(theirs, x, y), true, theirs) as tf.Scalar;
        expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
      });
      ours.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(theirs[i].dataSync())));
    }
    // The weights did move: the comparison is not between two untouched copies.
    expect(Array.from(ours[0].dataSync())).not.toEqual(Array.from(variables(1)[0].dataSync()));
    fused.dispose();
    reference.dispose();
    tf.dispose([...ours, ...theirs, x, y]);
  });

  it('keeps the tensor count flat over steps and frees its state on dispose', () => {
    const vs = variables(2);
    const x = tf.ones([5, 3]) as tf.Tensor2D;
    const y = tf.zeros([5, 2]) as tf.Tensor2D;
    const start = tf.memory().numTensors;
    const fused = new Adam(vs, 0.01);
    fused.minimize(loss(vs, x, y)).dispose();
    const after = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) fused.minimize(loss(vs, x, y)).dispose();
    expect(tf.memory().numTensors).toBe(after);
    fused.dispose();
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([...vs, x, y]);
  });
});
