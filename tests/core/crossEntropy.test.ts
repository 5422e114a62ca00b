import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/core/ops/crossEntropy';

/** Plain-array oracle: −mean log softmax(h)_y, with the max subtracted for stability. */
function oracle(logits: number[][], labels: number[]): number {
  let total = 0;
  logits.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[labels[i]];
  });
  return total / logits.length;
}

describe('crossEntropy', () => {
  it('matches the plain-array oracle, large logits included', async () => {
    const logits = [
      [1, 2, 3],
      [0.5, -1, 4],
      [300, -200, 299],
    ];
    const labels = [2, 0, 1];
    const got = crossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
    expect((await got.data())[0]).toBeCloseTo(oracle(logits, labels), 4);
  });
});

describe('crossEntropy gradient', () => {
  it('equals, bit for bit, the gradient the tape gives the plain formula, for any upstream weight', () => {
    const logits = tf.tensor2d([1, 2, 3, 0.5, -1, 4, 30, -20, 29, 0, 0, 0, 1e-3, 5, -5], [5, 3]);
    const labels = tf.tensor1d([2, 0, 1, 1, 0], 'int32');
    const plain = (h: tf.Tensor2D) =>
      tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, 3), tf.logSoftmax(h)), 1))) as tf.Scalar;
    for (const weight of [1, 0.3, -2.5]) {
      const ours = tf.grad((h: tf.Tensor) => tf.mul(weight, crossEntropy(h as tf.Tensor2D, labels)))(logits);
      const theirs = tf.grad((h: tf.Tensor) => tf.mul(weight, plain(h as tf.Tensor2D)))(logits);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
      expect(ours.dataSync().some((v) => v !== 0)).toBe(true);
    }
    expect(crossEntropy(logits, labels).dataSync()[0]).toBe(plain(logits).dataSync()[0]);
  });
});
