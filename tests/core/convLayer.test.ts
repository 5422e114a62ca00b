import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { activate } from '../../src/core/model/activation';
import type { Activation } from '../../src/core/model/activationNames';
import { convBiasActivation } from '../../src/core/model/convLayer';
import { createRng } from '../../src/core/random';

/**
 * convBiasActivation (one FusedConv2D kernel with the lab's gradient) against tfjs's own conv2d,
 * add and activation on the tape, on the CPU and WASM backends; a float64 finite-difference check;
 * and the point of running the kernel with a per-input gradient: the input gradient is only
 * computed when asked for.
 */

const rng = createRng(33);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

const plain = (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, a: Activation) =>
  activate(tf.add(tf.conv2d(x, w, 1, 'same'), b) as tf.Tensor4D, a);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('convBiasActivation', () => {
  const shapes = { x: [3, 6, 5, 2], w: [3, 3, 2, 4] } as const;
  const cases = (['cpu', 'wasm'] as const).flatMap((backend) =>
    (['relu', 'leakyRelu', 'tanh'] as const).map((activation) => ({ backend, activation })),
  );

  it.each(cases)('$backend, $activation: output and the gradients of x, W, b match the tape', async (c) => {
    await tf.setBackend(c.backend);
    const x = tf.tensor4d(values(3 * 6 * 5 * 2), [...shapes.x]);
    const w = tf.tensor4d(values(3 * 3 * 2 * 4), [...shapes.w]);
    const b = tf.tensor1d(values(4));
    const r = tf.tensor4d(values(3 * 6 * 5 * 4), [3, 6, 5, 4]);
    const run = (f: typeof plain) => {
      const loss = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(f(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, c.activation), r));
      return {
        y: f(x, w, b, c.activation).dataSync(),
        grads: tf
          .grads(loss)([x, w, b])
          .map((g) => g.dataSync()),
      };
    };
    const ours = run(convBiasActivation);
    const theirs = run(plain);
    expect(tf.getBackend()).toBe(c.backend);
    expect(maxAbsDiff(ours.y, theirs.y)).toBeLessThan(1e-5);
    for (const [i, g] of ours.grads.entries()) {
      expect(g.length).toBe(theirs.grads[i].length);
      expect(maxAbsDiff(g, theirs.grads[i]), `gradient ${'xWb'[i]}`).toBeLessThan(1e-4);
      // Not a comparison of zeros.
      expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-2);
    }
    tf.dispose([x, w, b, r]);
  });

  it('matches central finite differences in float64 (leaky ReLU, on WASM)', async () => {
    await tf.setBackend('wasm');
    const [n, h, wd, ci, co] = [2, 4, 3, 2, 3];
    const xv = values(n * h * wd * ci);
    const wv = values(9 * ci * co);
    const bv = values(co);
    const rv = values(n * h * wd * co);
    // Σ r ⊙ leakyRelu(conv(x, W) + b), 'same' padding, by the definition, in float64.
    const f = (xs: ArrayLike<number>, ws: ArrayLike<number>, bs: ArrayLike<number>) => {
      let sum = 0;
      for (let s = 0; s < n; s++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < wd; j++)
            for (let o = 0; o < co; o++) {
              let z = bs[o];
              for (let a = 0; a < 3; a++)
                for (let e = 0; e < 3; e++) {
                  const [p, q] = [i + a - 1, j + e - 1];
                  if (p < 0 || q < 0 || p >= h || q >= wd) continue;
                  for (let k = 0; k < ci; k++)
                    z += xs[((s * h + p) * wd + q) * ci + k] * ws[((a * 3 + e) * ci + k) * co + o];
                }
              sum += rv[((s * h + i) * wd + j) * co + o] * (z > 0 ? z : 0.1 * z);
            }
      return sum;
    };
    const r = tf.tensor4d(rv, [n, h, wd, co]);
    const [gx, gw, gb] = tf
      .grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(convBiasActivation(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, 'leakyRelu'), r)),
      )([tf.tensor4d(xv, [n, h, wd, ci]), tf.tensor4d(wv, [3, 3, ci, co]), tf.tensor1d(bv)])
      .map((g) => g.dataSync());
    const step = 1e-4;
    const central = (which: 0 | 1 | 2, i: number) => {
      const args = [Float64Array.from(xv), Float64Array.from(wv), Float64Array.from(bv)];
      args[which][i] += step;
      const up = f(args[0], args[1], args[2]);
      args[which][i] -= 2 * step;
      return (up - f(args[0], args[1], args[2])) / (2 * step);
    };
    for (const i of [0, 5, 17, xv.length - 1]) expect(gx[i]).toBeCloseTo(central(0, i), 3);
    for (const i of [0, 7, 20, wv.length - 1]) expect(gw[i]).toBeCloseTo(central(1, i), 3);
    for (let i = 0; i < co; i++) expect(gb[i]).toBeCloseTo(central(2, i), 3);
  });

  it('computes the input gradient only when it is asked for (the first layer of a training step is not)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(2 * 6 * 6 * 1), [2, 6, 6, 1]);
    const w = tf.variable(tf.tensor4d(values(9 * 4), [3, 3, 1, 4]));
    const b = tf.variable(tf.tensor1d(values(4)));
    const kernelsOf = async (f: () => tf.Tensor[]) =>
      (await tf.profile(() => tf.dispose(f()))).kernels.map((k) => k.name);
    const loss = () => tf.sum(convBiasActivation(x, w, b, 'relu')) as tf.Scalar;
    const paramsOnly = await kernelsOf(() => {
      const { value, grads } = tf.variableGrads(loss);
      return [value, ...Object.values(grads)];
    });
    expect(paramsOnly).toContain('Conv2DBackpropFilter');
    expect(paramsOnly).not.toContain('Conv2DBackpropInput');
    const withInput = await kernelsOf(() => [
      tf.grad((xi: tf.Tensor) => tf.sum(convBiasActivation(xi as tf.Tensor4D, w, b, 'relu')))(x),
    ]);
    expect(withInput).toContain('Conv2DBackpropInput');
    expect(withInput).not.toContain('Conv2DBackpropFilter');
    tf.dispose([x, w, b]);
  });

  it('refuses a configuration its gradient does not cover, by name', () => {
    const x = tf.ones([1, 5, 5, 1]);
    const w = tf.ones([3, 3, 1, 2]);
    const b = tf.zeros([2]);
    const dilated = (xi: tf.Tensor) =>
      tf.sum(
        tf
          .engine()
          .runKernel(
            'FusedConv2D',
            { x: xi, filter: w, bias: b },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 2, activation: 'relu' },
          ) as tf.Tensor,
      );
    convBiasActivation(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 'relu').dispose();
    expect(() => tf.grad(dilated)(x)).toThrow(/FusedConv2D gradient covers dilation 1.*got relu, dilations \[2, 2\]/);
    tf.dispose([x, w, b]);
  });
});
