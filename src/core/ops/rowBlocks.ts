import * as tf from '@tensorflow/tfjs-core';

/**
 * Calls `each` on consecutive blocks of at most `size` rows of x, in order, and disposes the blocks
 * it made. One block is x itself; more are uploaded from one read-back of x, because tfjs-wasm's
 * slice reads the whole tensor back for every block (quadratic in the number of rows).
 */
export async function forRowBlocks(
  x: tf.Tensor2D,
  size: number,
  each: (block: tf.Tensor2D, start: number) => void | Promise<void>,
): Promise<void> {
  const [n, cols] = x.shape;
  if (n <= size) return each(x, 0);
  const values = (await x.data()) as Float32Array;
  for (let start = 0; start < n; start += size) {
    const rows = Math.min(size, n - start);
    const block = tf.tensor2d(values.subarray(start * cols, (start + rows) * cols), [rows, cols]);
    try {
      await each(block, start);
    } finally {
      block.dispose();
    }
  }
}
