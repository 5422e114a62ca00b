import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';

export interface ModelOutputs {
  n: number;
  K: number;
  /** Row-major [n, K] arrays read back from the device once. */
  logits: Float32Array;
  uni: Float32Array[];
  contributions: Float32Array[];
}

const BATCH = 2048;

/** Fused logits, uni-modal logits and each modality's contribution on a whole split, batched. */
export async function collectOutputs(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<ModelOutputs> {
  const n = xs[0].shape[0];
  const K = model.spec.classes;
  const M = xs.length;
  const logits = new Float32Array(n * K);
  const uni = xs.map(() => new Float32Array(n * K));
  const contributions = xs.map(() => new Float32Array(n * K));
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    // One [size, (1 + 2M)·K] read-back per batch.
    const packed = tf.tidy(() => {
      const out = model.forward(xs.map((x) => x.slice([start, 0], [size, -1])));
      return tf.concat([out.logits, ...out.uni, ...out.contributions], 1);
    });
    const v = await packed.data();
    packed.dispose();
    const w = (1 + 2 * M) * K;
    for (let r = 0; r < size; r++) {
      const row = v.subarray(r * w, (r + 1) * w);
      const at = (start + r) * K;
      logits.set(row.subarray(0, K), at);
      for (let m = 0; m < M; m++) {
        uni[m].set(row.subarray((1 + m) * K, (2 + m) * K), at);
        contributions[m].set(row.subarray((1 + M + m) * K, (2 + M + m) * K), at);
      }
    }
  }
  return { n, K, logits, uni, contributions };
}

/** Share of rows whose argmax equals the label. */
export function accuracy(scores: ArrayLike<number>, labels: ArrayLike<number>, K: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (scores[i * K + k] > scores[i * K + best]) best = k;
    if (best === labels[i]) correct++;
  }
  return labels.length ? correct / labels.length : NaN;
}
