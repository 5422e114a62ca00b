import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forRowBlocks } from '../../src/core/ops/rowBlocks';

describe('forRowBlocks', () => {
  it('visits every row once, in order, in blocks of at most the size, and disposes the blocks it made', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 7 * 3 }, (_, i) => i),
      [7, 3],
    );
    const before = tf.memory().numTensors;
    const seen: { start: number; rows: number[][] }[] = [];
    await forRowBlocks(x, 3, async (block, start) => {
      seen.push({ start, rows: (await block.array()) as number[][] });
    });
    expect(seen.map((s) => [s.start, s.rows.length])).toEqual([
      [0, 3],
      [3, 3],
      [6, 1],
    ]);
    expect(seen.flatMap((s) => s.rows)).toEqual(x.arraySync());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('passes x itself when one block holds it', async () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const blocks: tf.Tensor[] = [];
    await forRowBlocks(x, 2, (b) => void blocks.push(b));
    expect(blocks).toEqual([x]);
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
