import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random';
import type { MultiModalModel } from '../model/model';
import { crossEntropy } from '../ops/crossEntropy';

export interface Grid {
  /** Bounds of the plane: x from x0 to x1, y from y0 to y1 (standardised units, or slice coordinates). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  size: number;
  /** Predicted class per cell, row-major from (x0, y0); row r is y = y0 + (r + ½)·(y1 − y0)/size. */
  fused: Int32Array;
  /** For a modality's plane: that branch's own prediction (argmax of its uni-modal logits). */
  branch: Int32Array | null;
}

const argmaxRows = (t: tf.Tensor2D) => tf.argMax(t, 1);

/**
 * The fused and the branch decision over modality m's 2-D plane, every other modality fixed at
 * the given sample (spec: decision boundaries, 2-D modalities). One batched forward pass.
 */
export async function modalityPlane(
  model: MultiModalModel,
  sample: Float32Array[],
  m: number,
  bounds: { x0: number; x1: number; y0: number; y1: number },
  size: number,
): Promise<Grid> {
  const cells = size * size;
  const points = new Float32Array(cells * 2);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      points[2 * (r * size + c)] = bounds.x0 + ((c + 0.5) * (bounds.x1 - bounds.x0)) / size;
      points[2 * (r * size + c) + 1] = bounds.y0 + ((r + 0.5) * (bounds.y1 - bounds.y0)) / size;
    }
  const [fused, branch] = tf.tidy(() => {
    const xs = sample.map((s, j) =>
      j === m ? tf.tensor2d(points, [cells, 2]) : tf.tile(tf.tensor2d(s, [1, s.length]), [cells, 1]),
    );
    const out = model.forward(xs as tf.Tensor2D[]);
    return [argmaxRows(out.logits), argmaxRows(out.uni[m])];
  });
  const grid = {
    ...bounds,
    size,
    fused: new Int32Array(await fused.data()),
    branch: new Int32Array(await branch.data()),
  };
  tf.dispose([fused, branch]);
  return grid;
}

/**
 * A 2-D slice of the joint input space around one sample, spanned by the direction of steepest
 * loss ascent (the attack direction) and a random direction orthogonal to it, both of unit joint
 * ℓ2 norm; cell (α, β) is x + α·u + β·v. For inputs of any dimension.
 */
export async function attackSlice(
  model: MultiModalModel,
  sample: Float32Array[],
  label: number,
  radius: number,
  size: number,
  seed = 0,
): Promise<Grid> {
  const dims = sample.map((s) => s.length);
  const total = dims.reduce((a, b) => a + b, 0);
  const gradient = tf.tidy(() => {
    const xs = sample.map((s) => tf.tensor2d(s, [1, s.length]));
    const grads = tf.grads((...x: tf.Tensor[]) =>
      crossEntropy(model.forward(x as tf.Tensor2D[]).logits, tf.tensor1d([label], 'int32')),
    )(xs);
    return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
  });
  const g = Float64Array.from(await gradient.data());
  gradient.dispose();
  const rng = createRng(seed + 17);
  const u = unit(g.some((v) => v !== 0) ? g : Float64Array.from({ length: total }, () => rng.normal()));
  let v: Float64Array = Float64Array.from({ length: total }, () => rng.normal());
  const dot = v.reduce((s, x, i) => s + x * u[i], 0);
  v = unit(v.map((x, i) => x - dot * u[i]));
  const cells = size * size;
  const flat = Float64Array.from(sample.flatMap((s) => Array.from(s)));
  const batch = new Float32Array(cells * total);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      const alpha = -radius + ((c + 0.5) * 2 * radius) / size;
      const beta = -radius + ((r + 0.5) * 2 * radius) / size;
      const o = (r * size + c) * total;
      for (let j = 0; j < total; j++) batch[o + j] = flat[j] + alpha * u[j] + beta * v[j];
    }
  const fused = tf.tidy(() => {
    const all = tf.tensor2d(batch, [cells, total]);
    let at = 0;
    const xs = dims.map((d) => {
      const part = all.slice([0, at], [cells, d]);
      at += d;
      return part;
    });
    return argmaxRows(model.forward(xs).logits);
  });
  const grid = {
    x0: -radius,
    x1: radius,
    y0: -radius,
    y1: radius,
    size,
    fused: new Int32Array(await fused.data()),
    branch: null,
  };
  fused.dispose();
  return grid;
}

function unit(x: Float64Array): Float64Array {
  let sq = 0;
  for (const v of x) sq += v * v;
  const n = Math.sqrt(sq) || 1;
  return x.map((v) => v / n);
}
