import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng, permutation } from '../../src/core/random';
import { epochBatches } from '../../src/core/train/epochBatches';

describe('epochBatches', () => {
  it('covers every sample exactly once, in the shuffled order, in batches of the given size', () => {
    const n = 23;
    // Row i of each modality holds i (and 100 + i), the label is i: every row names its sample.
    const x = [
      tf.tensor2d(
        Float32Array.from({ length: n * 2 }, (_, j) => Math.floor(j / 2)),
        [n, 2],
      ),
      tf.tensor2d(
        Float32Array.from({ length: n * 3 }, (_, j) => 100 + Math.floor(j / 3)),
        [n, 3],
      ),
    ];
    const y = tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => i),
      'int32',
    );
    const order = permutation(n, createRng(4));
    const before = tf.memory().numTensors;
    const batches = epochBatches(x, y, order, 5);
    expect(batches.map((b) => b.y.shape[0])).toEqual([5, 5, 5, 5, 3]);
    const seen = batches.flatMap((b) => Array.from(b.y.dataSync()));
    expect(seen).toEqual(Array.from(order));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const b of batches) {
      const labels = Array.from(b.y.dataSync());
      expect(b.xs[0].arraySync()).toEqual(labels.map((i) => [i, i]));
      expect(b.xs[1].arraySync()).toEqual(labels.map((i) => [100 + i, 100 + i, 100 + i]));
    }
    // Only the batches stay: the uploaded order and the gathered copies are freed.
    expect(tf.memory().numTensors - before).toBe(batches.length * 3);
    tf.dispose([...batches.flatMap((b) => [...b.xs, b.y]), ...x, y]);
  });

  it('gives one batch when the batch size exceeds the split', () => {
    const x = [tf.zeros([4, 1]) as tf.Tensor2D];
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    const batches = epochBatches(x, y, Int32Array.from([3, 2, 1, 0]), 64);
    expect(batches.length).toBe(1);
    expect(Array.from(batches[0].y.dataSync())).toEqual([3, 2, 1, 0]);
    tf.dispose([...batches.flatMap((b) => [...b.xs, b.y]), ...x, y]);
  });
});
