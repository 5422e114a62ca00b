import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activate } from '../../src/core/model/activation';
import type { Activation } from '../../src/core/model/activationNames';
import { denseStack, type DenseLayer } from '../../src/core/model/denseStack';
import { createRng } from '../../src/core/random';

const rng = createRng(21);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

function layers(): DenseLayer[] {
  const sizes = [3, 5, 4];
  return sizes.slice(1).map((out, i) => ({
    w: tf.variable(tf.tensor2d(values(sizes[i] * out), [sizes[i], out])),
    b: tf.variable(tf.tensor1d(values(out))),
  }));
}

/** The same network through tfjs's own ops and tape: the reference the hand-written pass must equal. */
const plain = (x: tf.Tensor2D, ls: DenseLayer[], a: Activation) =>
  ls.reduce((h, l) => activate(tf.add(tf.matMul(h, l.w as tf.Tensor2D), l.b) as tf.Tensor2D, a), x);

describe('denseStack', () => {
  it.each(['relu', 'tanh', 'leakyRelu'] as const)(
    '%s: output and every gradient (input, weights, biases) bit-identical to the tape',
    (activation) => {
      const ls = layers();
      const x = tf.tensor2d(values(6 * 3), [6, 3]);
      const r = tf.tensor2d(values(6 * 4), [6, 4]);
      const params = ls.flatMap((l) => [l.w, l.b]);
      const run = (f: typeof plain) => {
        const loss = (xi: tf.Tensor, ...ps: tf.Tensor[]) => {
          const rebuilt = ls.map((_, i) => ({ w: ps[2 * i], b: ps[2 * i + 1] }) as unknown as DenseLayer);
          return tf.sum(tf.mul(f(xi as tf.Tensor2D, rebuilt, activation), r));
        };
        return tf
          .grads(loss)([x, ...params])
          .map((g) => Array.from(g.dataSync()));
      };
      const ours = run(denseStack);
      const theirs = run(plain);
      expect(ours).toEqual(theirs);
      // Some gradient is non-zero: the comparison is not between two vectors of zeros.
      expect(ours.flat().some((v) => v !== 0)).toBe(true);
      expect(Array.from(denseStack(x, ls, activation).dataSync())).toEqual(
        Array.from(plain(x, ls, activation).dataSync()),
      );
      tf.dispose([x, r, ...params]);
    },
  );

  it('matches central finite differences of the input gradient (float64 oracle on the weights read back)', () => {
    const ls = layers();
    const x = tf.tensor2d(values(2 * 3), [2, 3]);
    const g = tf
      .grad((xi: tf.Tensor) => tf.sum(denseStack(xi as tf.Tensor2D, ls, 'tanh')))(x)
      .dataSync();
    const ws = ls.map((l) => ({ w: l.w.dataSync(), b: l.b.dataSync(), out: l.b.shape[0] }));
    const f = (v: number[]) =>
      ws.reduce((h, { w, b, out }) => {
        return Array.from({ length: out }, (_, j) => Math.tanh(h.reduce((s, hi, i) => s + hi * w[i * out + j], b[j])));
      }, v);
    const xs = Array.from(x.dataSync());
    const h = 1e-5;
    for (let i = 0; i < xs.length; i++) {
      const row = Math.floor(i / 3);
      const at = (d: number) => {
        const v = xs.slice(row * 3, row * 3 + 3);
        v[i % 3] += d;
        return f(v).reduce((a, b) => a + b, 0);
      };
      expect(g[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 4);
    }
    tf.dispose([x, ...ls.flatMap((l) => [l.w, l.b])]);
  });

  it('leaves no tensor behind after a gradient', () => {
    const ls = layers();
    const x = tf.tensor2d(values(4 * 3), [4, 3]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((xi: tf.Tensor) => tf.sum(denseStack(xi as tf.Tensor2D, ls, 'relu')))([x]);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...ls.flatMap((l) => [l.w, l.b])]);
  });
});
