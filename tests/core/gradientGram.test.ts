import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { LEAKY_RELU_SLOPE, type Activation } from '../../src/core/model/activationNames';
import type { DenseLayer } from '../../src/core/model/denseStack';
import { denseGradientGram, denseGradientNorms } from '../../src/core/model/gradientGram';
import { createRng } from '../../src/core/random';

const rng = createRng(17);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

function layers(sizes: number[]): DenseLayer[] {
  return sizes.slice(1).map((out, i) => ({
    w: tf.variable(tf.tensor2d(values(sizes[i] * out), [sizes[i], out])),
    b: tf.variable(tf.tensor1d(values(out))),
  }));
}

/**
 * Independent oracle in float64 on the weights read back: the forward pass, then the input
 * gradient of r · φ(x) by the chain rule written out, pre-activation by pre-activation.
 */
function plainInputGradient(x: number[], ls: DenseLayer[], activation: Activation, r: number[]): number[] {
  const ws = ls.map((l) => ({ w: l.w.dataSync(), b: l.b.dataSync(), inp: l.w.shape[0], out: l.w.shape[1] as number }));
  const act = (z: number) =>
    activation === 'relu' ? Math.max(z, 0) : activation === 'tanh' ? Math.tanh(z) : z > 0 ? z : LEAKY_RELU_SLOPE * z;
  const slope = (z: number) =>
    activation === 'relu'
      ? z > 0
        ? 1
        : 0
      : activation === 'tanh'
        ? 1 - Math.tanh(z) ** 2
        : z > 0
          ? 1
          : LEAKY_RELU_SLOPE;
  const pre: number[][] = [];
  let h = x;
  for (const { w, b, inp, out } of ws) {
    const z = Array.from({ length: out }, (_, j) => h.reduce((s, hi, i) => s + hi * w[i * out + j], b[j]));
    pre.push(z);
    h = z.map(act);
    void inp;
  }
  let g = r;
  for (let l = ws.length - 1; l >= 0; l--) {
    const { w, inp, out } = ws[l];
    const dz = g.map((gj, j) => gj * slope(pre[l][j]));
    g = Array.from({ length: inp }, (_, i) => dz.reduce((s, d, j) => s + w[i * out + j] * d, 0));
  }
  return g;
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

beforeAll(async () => {
  await initNodeBackend('wasm'); // registers it (and the explicit transposes it takes); each case picks its backend
});

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('Gram matrices of input gradients in the first hidden layer (denseGradientGram)', () => {
  // Input wider than the first layer (the identity pays), narrower, one layer and three.
  const shapes = [
    [9, 4, 5],
    [3, 6, 5],
    [7, 5],
    [8, 6, 4, 5],
  ];
  it.each(
    ['cpu', 'wasm'].flatMap((backend) => (['relu', 'tanh', 'leakyRelu'] as const).map((a) => [backend, a] as const)),
  )(
    '%s, %s: every Gram entry and squared norm equals the float64 chain-rule oracle to float32 rounding',
    async (backend, activation) => {
      await tf.setBackend(backend);
      for (const sizes of shapes) {
        const ls = layers(sizes);
        const n = 6;
        const R = 4;
        const inDim = sizes[0];
        const x = tf.tensor2d(values(n * inDim), [n, inDim]);
        const rows = tf.tensor2d(values(R * sizes[sizes.length - 1]), [R, sizes[sizes.length - 1]]);
        const gram = denseGradientGram(x, ls, activation, rows).arraySync();
        const norms = denseGradientNorms(x, ls, activation, rows).arraySync();
        const xv = x.arraySync();
        const rv = rows.arraySync();
        let largest = 0;
        for (let i = 0; i < n; i++) {
          const g = rv.map((r) => plainInputGradient(xv[i], ls, activation, r));
          // Float32 rounding is relative to the sample's largest entry (off-diagonal products cancel);
          // 1e-9 absolute covers saturated tanh units, whose act' = 1 − a² is cancellation in float32.
          const scale = Math.max(...g.map((gy) => dot(gy, gy)));
          const tol = 1e-5 * scale + 1e-9;
          for (let y = 0; y < R; y++) {
            expect(Math.abs(norms[i][y] - dot(g[y], g[y]))).toBeLessThan(tol);
            for (let k = 0; k < R; k++) expect(Math.abs(gram[i][y][k] - dot(g[y], g[k]))).toBeLessThan(tol);
          }
          largest = Math.max(largest, scale);
        }
        expect(largest).toBeGreaterThan(0.1); // not a comparison of zeros
        tf.dispose([x, rows, ...ls.flatMap((l) => [l.w, l.b])]);
      }
    },
  );

  it('leaves no tensor behind', () => {
    const ls = layers([9, 4, 5]);
    const x = tf.tensor2d(values(3 * 9), [3, 9]);
    const rows = tf.tensor2d(values(2 * 5), [2, 5]);
    const before = tf.memory().numTensors;
    tf.dispose([denseGradientGram(x, ls, 'relu', rows), denseGradientNorms(x, ls, 'relu', rows)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, rows, ...ls.flatMap((l) => [l.w, l.b])]);
  });
});
