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
