import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/core/ops/crossEntropy';
import { softmaxCrossEntropy } from '../../src/core/ops/softmaxCrossEntropy';
import * as plain from '../oracle/plain';

const logits = [
  [1, 2, 3],
  [0.5, -1, 4],
  [300, -200, 299],
  [0, 0, 0],
  [1e-3, 5, -5],
];
const labels = [2, 0, 1, 1, 0];

describe('softmaxCrossEntropy (host)', () => {
  it('gives the plain-array oracle’s loss, large logits included', () => {
    const { loss } = softmaxCrossEntropy(logits.flat(), labels, 3);
    expect(loss).toBeCloseTo(plain.crossEntropy(logits, labels), 10);
  });

  it('gives the gradient the tape takes of crossEntropy, within float32 rounding, each row summing to 0', () => {
    const { dLogits } = softmaxCrossEntropy(logits.flat(), labels, 3);
    const tape = tf
      .grad((h: tf.Tensor) => crossEntropy(h as tf.Tensor2D, tf.tensor1d(labels, 'int32')))(tf.tensor2d(logits))
      .dataSync();
    dLogits.forEach((g, i) => expect(Math.abs(g - tape[i])).toBeLessThan(1e-7));
    expect(dLogits.some((g) => Math.abs(g) > 0.05)).toBe(true);
    for (let i = 0; i < labels.length; i++)
      expect(Math.abs(dLogits[3 * i] + dLogits[3 * i + 1] + dLogits[3 * i + 2])).toBeLessThan(1e-7);
  });

  it('refuses logits of the wrong size and labels outside the classes, naming the row', () => {
    expect(() => softmaxCrossEntropy([1, 2, 3], [0, 1], 3)).toThrow('3 logits for 2 rows of 3 classes');
    expect(() => softmaxCrossEntropy([1, 2, 3, 4], [0, 2], 2)).toThrow('row 1 has label 2, not a class in 0…1');
    expect(() => softmaxCrossEntropy([1, 2], [0.5], 2)).toThrow('row 0 has label 0.5');
  });
});
