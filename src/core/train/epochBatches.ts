import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batchLoss';

/**
 * An epoch's mini-batches, built on the device at once: the shuffled order is uploaded once, each
 * modality and the labels gathered once in that order, then split into consecutive batches of
 * `batchSize` rows (the last one holds the remainder). A training step then takes its batch without
 * dispatching a single kernel. The caller owns the returned tensors.
 */
export function epochBatches(x: tf.Tensor2D[], y: tf.Tensor1D, order: Int32Array, batchSize: number): Batch[] {
  const sizes: number[] = [];
  for (let start = 0; start < order.length; start += batchSize) sizes.push(Math.min(batchSize, order.length - start));
  return tf.tidy(() => {
    const index = tf.tensor1d(order, 'int32');
    const xs = x.map((t) => tf.split(tf.gather(t, index), sizes) as tf.Tensor2D[]);
    const ys = tf.split(tf.gather(y, index), sizes) as tf.Tensor1D[];
    return sizes.map((_, i) => ({ xs: xs.map((parts) => parts[i]), y: ys[i] }));
  });
}
