import * as tf from '@tensorflow/tfjs-core';
import { createModel, type EncoderSpec, type ModelSpec, type MultiModalModel } from '../../src/core/model/model';
import type { Activation } from '../../src/core/model/activationNames';
import { createRng } from '../../src/core/random';
import { gridSize, type BoundModel, type LinearOp } from '../../src/core/robust/localBound/boundNetwork';
import { convMatrix, poolMatrix, type PlainModel } from '../oracle/crownPlain';
import { matmul, type Matrix } from '../oracle/plain';

/** A freshly initialised lab model with random biases and integration weights, so no neuron sits at 0 by construction. */
export function randomModel(
  shapes: number[][],
  encoders: EncoderSpec[],
  classes: number,
  head: 'joint' | 'crmt',
  seed: number,
): MultiModalModel {
  const spec: ModelSpec = { inputShapes: shapes, classes, encoders, head: { kind: head }, seed };
  const model = createModel(spec);
  const rng = createRng(seed + 99);
  for (const [name, v] of model.params) {
    if (!/bias|head\.a/.test(name)) continue;
    const size = v.shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () =>
      name.includes('.a') ? 0.2 + rng.next() : 0.3 * rng.normal(),
    );
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
  return model;
}

export const mlp = (widths: number[], activation: Activation): EncoderSpec => ({ kind: 'mlp', widths, activation });

/** The bound's model as dense matrices, each layer's ops multiplied out (convolutions via im2col). */
export function toPlainModel(model: BoundModel): PlainModel {
  const K = model.classes;
  return {
    encoders: model.encoders.map((e) =>
      e.layers.map((layer) => {
        let W: Matrix | null = null;
        let b: number[] = [];
        for (const op of layer.ops) {
          const A = opMatrix(op);
          const ob = op.kind === 'avgPool2' ? new Array(A.length).fill(0) : biasVector(op);
          b = W ? A.map((row, o) => row.reduce((s, a, j) => s + a * b[j], ob[o])) : ob;
          W = W ? matmul(A, W) : A;
        }
        return { W: W!, b, act: layer.activation };
      }),
    ),
    H: model.head.map((H) => {
      const d = H.length / K;
      return Array.from({ length: K }, (_, k) => Array.from(H.subarray(k * d, (k + 1) * d)));
    }),
    bias: Array.from(model.bias),
  };
}

function opMatrix(op: LinearOp): Matrix {
  if (op.kind === 'avgPool2') return poolMatrix(op.in.h, op.in.w, op.in.c);
  if (op.kind === 'conv3x3') return convMatrix(Array.from(op.kernel), op.in.h, op.in.w, op.in.c, op.out.c);
  const n = gridSize(op.in);
  return Array.from({ length: gridSize(op.out) }, (_, o) => Array.from(op.weight.subarray(o * n, (o + 1) * n)));
}

function biasVector(op: Exclude<LinearOp, { kind: 'avgPool2' }>): number[] {
  if (op.kind === 'dense') return Array.from(op.bias);
  return Array.from({ length: gridSize(op.out) }, (_, i) => op.bias[i % op.out.c]);
}

/** Row i of each modality's row-major [n, dₘ] values, as the bound's float64 inputs. */
export const sampleOf = (xs: ArrayLike<number>[], dims: number[], i: number) =>
  xs.map((x, m) => Float64Array.from({ length: dims[m] }, (_, j) => x[i * dims[m] + j]));

/** A uniformly random point of the ℓ2 ball of radius r in R^d. */
export function ballPoint(d: number, r: number, rng: { normal(): number; next(): number }): number[] {
  const v = Array.from({ length: d }, () => rng.normal());
  const n = Math.hypot(...v);
  const s = (r * rng.next() ** (1 / d)) / n;
  return v.map((x) => x * s);
}
