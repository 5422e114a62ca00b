import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { benchConfig, benchData } from '../../src/bench/benchCases';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { canTrainConvolutions, selectBackend } from '../../src/core/backend/backendManager';
import { BackendSelector } from '../../src/core/backend/backendSelector';
import { builtinTimingModel } from '../../src/core/backend/timingModel';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { Trainer } from '../../src/core/train/trainer';
import { createRng, type Rng } from '../../src/core/random';

/**
 * The WASM backend's convolution and pooling gradients (src/core/backend/wasmConvolutionGradients.ts,
 * wasmAvgPoolGrad.ts) against an independent plain-array oracle, and the lab's CNN trained on WASM
 * against the CPU backend.
 */

type Pad = 'same' | 'valid';

interface Case {
  n: number;
  h: number;
  w: number;
  c: number;
  f: number;
  k: [number, number];
  pad: Pad;
}

/** Top/left zero padding tfjs uses at stride 1 (for 'same' the extra row/column goes bottom/right). */
const padBefore = (k: number, pad: Pad) => (pad === 'same' ? Math.floor((k - 1) / 2) : 0);

/**
 * Gradients of L = Σ g ⊙ conv(x, w) by the definition: every (output pixel, kernel tap) pair
 * whose input pixel lies inside the image contributes x·g to dW and w·g to dx.
 */
function plainConvGradients(x: Float32Array, w: Float32Array, g: Float32Array, s: Case) {
  const [kh, kw] = s.k;
  const oh = s.pad === 'same' ? s.h : s.h - kh + 1;
  const ow = s.pad === 'same' ? s.w : s.w - kw + 1;
  const top = padBefore(kh, s.pad);
  const left = padBefore(kw, s.pad);
  const dw = new Float64Array(w.length);
  const dx = new Float64Array(x.length);
  for (let n = 0; n < s.n; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let a = 0; a < kh; a++)
          for (let b = 0; b < kw; b++) {
            const p = i + a - top;
            const q = j + b - left;
            if (p < 0 || q < 0 || p >= s.h || q >= s.w) continue;
            for (let c = 0; c < s.c; c++)
              for (let f = 0; f < s.f; f++) {
                const gi = g[((n * oh + i) * ow + j) * s.f + f];
                const xi = ((n * s.h + p) * s.w + q) * s.c + c;
                const wi = ((a * kw + b) * s.c + c) * s.f + f;
                dw[wi] += x[xi] * gi;
                dx[xi] += w[wi] * gi;
              }
          }
  return { dw, dx, oh, ow };
}

function random(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

function maxRelativeError(got: Float32Array | Int32Array | Uint8Array, want: Float64Array): number {
  let scale = 1;
  let worst = 0;
  for (const [i, v] of want.entries()) {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(got[i] - v));
  }
  return worst / scale;
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('WASM convolution gradients', () => {
  const cases: Case[] = [
    { n: 1, h: 5, w: 5, c: 1, f: 1, k: [3, 3], pad: 'same' },
    { n: 3, h: 7, w: 5, c: 2, f: 4, k: [3, 3], pad: 'same' },
    { n: 2, h: 9, w: 6, c: 3, f: 5, k: [3, 3], pad: 'same' },
    { n: 2, h: 6, w: 7, c: 3, f: 2, k: [2, 2], pad: 'same' },
    { n: 2, h: 7, w: 8, c: 2, f: 3, k: [3, 2], pad: 'valid' },
    { n: 4, h: 16, w: 16, c: 8, f: 16, k: [3, 3], pad: 'same' },
    // 8 or more input channels: the filter gradient with x as the filter, padded per side.
    { n: 2, h: 7, w: 6, c: 8, f: 3, k: [3, 2], pad: 'valid' },
    { n: 2, h: 6, w: 7, c: 9, f: 2, k: [2, 2], pad: 'same' },
  ];
  it.each(cases)('match the plain-array definition: %o', async (s) => {
    await tf.setBackend('wasm');
    const rng = createRng(s.n * 1000 + s.h * 31 + s.c);
    const x = random(s.n * s.h * s.w * s.c, rng);
    const w = random(s.k[0] * s.k[1] * s.c * s.f, rng);
    const want = plainConvGradients(x, w, new Float32Array(0), s);
    const g = random(s.n * want.oh * want.ow * s.f, rng);
    const { dw, dx } = plainConvGradients(x, w, g, s);
    const [gx, gw] = tf.tidy(() => {
      const gt = tf.tensor4d(g, [s.n, want.oh, want.ow, s.f]);
      const loss = (xt: tf.Tensor, wt: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, s.pad), gt));
      return tf.grads(loss)([tf.tensor4d(x, [s.n, s.h, s.w, s.c]), tf.tensor4d(w, [...s.k, s.c, s.f])]);
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(maxRelativeError(await gw.data(), dw)).toBeLessThan(1e-5);
    expect(maxRelativeError(await gx.data(), dx)).toBeLessThan(1e-5);
    tf.dispose([gx, gw]);
  });

  it('leave no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const backend = tf.backend();
    const dataBefore = backend.numDataIds();
    const grads = tf.tidy(() =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))([
        tf.ones([2, 6, 6, 3]),
        tf.ones([3, 3, 3, 4]),
      ]),
    );
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(backend.numDataIds()).toBe(dataBefore);
  });

  it('refuse a stride other than 1 by name instead of computing something else', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 6, 6, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 2]);
    expect(() => tf.grad((wt: tf.Tensor) => tf.sum(tf.conv2d(x, wt as tf.Tensor4D, 2, 'same')))(w)).toThrow(
      /Conv2DBackpropFilter on the WASM backend supports stride 1.*got strides \[2, 2\]/,
    );
    tf.dispose([x, w]);
  });

  it('keep the original WASM kernel for the input gradient at stride 2', async () => {
    await tf.setBackend('wasm');
    const rng = createRng(7);
    const x = random(2 * 6 * 6 * 2, rng);
    const w = random(3 * 3 * 2 * 3, rng);
    const dx = async () =>
      tf.tidy(() =>
        tf.grad((xt: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(xt as tf.Tensor4D, tf.tensor4d(w, [3, 3, 2, 3]), 2, 'same'))),
        )(tf.tensor4d(x, [2, 6, 6, 2])),
      );
    const onWasm = await (await dx()).data();
    await tf.setBackend('cpu');
    const onCpu = await (await dx()).data();
    expect(Math.max(...onWasm.map((v, i) => Math.abs(v - onCpu[i])))).toBeLessThan(1e-4);
  });
});

describe('WASM average-pooling gradient', () => {
  /** d/dx Σ g ⊙ avgPool(x) by the definition, for windows of `k` at stride `stride`, no padding. */
  function plainAvgPoolGrad(g: Float32Array, [n, h, w, c]: number[], k: number, stride: number) {
    const oh = Math.floor((h - k) / stride) + 1;
    const ow = Math.floor((w - k) / stride) + 1;
    const dx = new Float64Array(n * h * w * c);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let a = 0; a < k; a++)
            for (let e = 0; e < k; e++)
              for (let ch = 0; ch < c; ch++)
                dx[((b * h + i * stride + a) * w + j * stride + e) * c + ch] +=
                  g[((b * oh + i) * ow + j) * c + ch] / (k * k);
    return { dx, oh, ow };
  }

  it.each([
    { shape: [2, 8, 6, 3], k: 2, stride: 2 },
    { shape: [3, 7, 5, 2], k: 2, stride: 2 },
    { shape: [1, 9, 7, 4], k: 3, stride: 3 },
    { shape: [2, 6, 7, 2], k: 2, stride: 1 },
    { shape: [64, 16, 16, 8], k: 2, stride: 2 },
  ])('matches the plain-array definition: %o', async ({ shape, k, stride }) => {
    await tf.setBackend('wasm');
    const rng = createRng(shape[1] * 13 + k);
    const x = random(
      shape.reduce((a, b) => a * b, 1),
      rng,
    );
    const { oh, ow } = plainAvgPoolGrad(new Float32Array(shape[0] * shape[1] * shape[2] * shape[3]), shape, k, stride);
    const g = random(shape[0] * oh * ow * shape[3], rng);
    const { dx } = plainAvgPoolGrad(g, shape, k, stride);
    const grad = tf.tidy(() => {
      const gt = tf.tensor4d(g, [shape[0], oh, ow, shape[3]]);
      return tf.grad((xt: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(xt as tf.Tensor4D, k, stride, 'valid'), gt)))(
        tf.tensor4d(x, shape as [number, number, number, number]),
      );
    });
    expect(maxRelativeError(await grad.data(), dx)).toBeLessThan(1e-6);
    grad.dispose();
  });
});

describe('WASM row gather', () => {
  /** Rows `idx` of a [rows, …] array by the definition. */
  const plainGather = (x: ArrayLike<number>, width: number, idx: number[]) =>
    idx.flatMap((i) => Array.from({ length: width }, (_, k) => x[i * width + k]));

  it.each([
    { shape: [7, 5], idx: [3, 0, 6, 3, 1], dtype: 'float32' },
    { shape: [6, 2, 3], idx: [5, 5, 0], dtype: 'float32' },
    { shape: [9], idx: [8, 2, 2, 0], dtype: 'int32' },
  ] as const)('takes whole rows as the definition does: %o', async ({ shape, idx, dtype }) => {
    await tf.setBackend('wasm');
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const width = size / shape[0];
    const rng = createRng(size);
    const x = Array.from({ length: size }, () => (dtype === 'int32' ? Math.floor(rng.next() * 100) : rng.next()));
    const got = tf.tidy(() => tf.gather(tf.tensor(x, [...shape], dtype), tf.tensor1d([...idx], 'int32')));
    expect(got.shape).toEqual([idx.length, ...shape.slice(1)]);
    expect(got.dtype).toBe(dtype);
    expect(Array.from(await got.data())).toEqual(Array.from(new Float32Array(plainGather(x, width, [...idx]))));
    got.dispose();
  });

  it('refuses an index out of range, by value', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([4, 3]);
    const idx = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, idx)).toThrow(/index value 4 is not in \[0, 3\]/);
    tf.dispose([x, idx]);
  });

  it('leaves other axes to the original kernel', async () => {
    const gatherColumns = async () =>
      tf.tidy(() => tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor1d([2, 0], 'int32'), 1)).data();
    await tf.setBackend('wasm');
    const onWasm = await gatherColumns();
    expect(Array.from(onWasm)).toEqual([3, 1, 6, 4]);
  });
});

describe('backend choice for a CNN, with the real WASM backend', () => {
  const tinyCnn: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: {
      ...DEFAULT_CONFIG.data,
      kind: 'audioVisual',
      audioVisual: { ...DEFAULT_CONFIG.data.audioVisual, samples: 200 },
    },
    model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [2], outDim: 8 } },
  };

  it('a forced WASM keeps a model with convolutions', async () => {
    expect(canTrainConvolutions('wasm')).toBe(true);
    const info = await selectBackend('wasm', {}, true);
    expect(info).toMatchObject({ name: 'wasm', reason: 'forced by the user (wasm)', canTrainConvolutions: true });
  });

  // As npm run results runs: IS_TEST's kernel leak check trips on the WASM backend's own logSoftmax.
  beforeAll(() => tf.env().set('IS_TEST', false));
  afterAll(() => tf.env().set('IS_TEST', true));

  it('auto times WASM on a CNN like any other backend', async () => {
    const s = new BackendSelector('auto', {}, { measureMs: 60, totalMs: 1500 });
    const { info } = (await s.fit(true, () => builtinTimingModel(tinyCnn)))!;
    expect(
      info.timings.find((t) => t.name === 'wasm'),
      info.reason,
    ).toMatchObject({ stepsPerSecond: expect.any(Number) });
    expect(info.timings.find((t) => t.name === 'wasm')!.stepsPerSecond).toBeGreaterThan(0);
    expect(info.timings.find((t) => t.name === 'cpu')!.stepsPerSecond).toBeGreaterThan(0);
    expect(info.reason).not.toContain('cannot train convolutions');
    expect(info.canTrainConvolutions).toBe(true);
  });
});

describe('the lab CNN on WASM', () => {
  // As npm run results runs: IS_TEST's kernel leak check trips on the WASM backend's own logSoftmax.
  beforeAll(() => tf.env().set('IS_TEST', false));
  afterAll(() => tf.env().set('IS_TEST', true));

  /**
   * The loss of each of the first `steps` steps of the audio-visual CNN jt (the bench's case: the
   * lab's CNN encoders), on one backend. Batch 16 and fewer samples than the bench: the CPU
   * backend takes about 10 s per batch-64 step in Node.
   */
  async function losses(backend: 'wasm' | 'cpu', steps: number): Promise<number[]> {
    await tf.setBackend(backend);
    const bench = benchConfig('cnn', 'jt');
    const config = {
      ...bench,
      train: { ...bench.train, batchSize: 16 },
      data: { ...bench.data, audioVisual: { ...bench.data.audioVisual, samples: 400 } },
    };
    const trainer = new Trainer(benchData(config), config);
    try {
      const out: number[] = [];
      for (let i = 0; i < steps; i++) out.push((await trainer.advance(1)).progress.loss);
      return out;
    } finally {
      trainer.dispose();
    }
  }

  it('trains to the CPU backend loss within 1e-4 at each of 3 seeded steps', async () => {
    const wasm = await losses('wasm', 3);
    const cpu = await losses('cpu', 3);
    expect(wasm.every(Number.isFinite)).toBe(true);
    for (const [i, l] of wasm.entries()) expect(Math.abs(l - cpu[i]), `step ${i + 1}`).toBeLessThan(1e-4);
    // The steps trained: the loss moved.
    expect(Math.abs(wasm[2] - wasm[0])).toBeGreaterThan(1e-2);
  });
});
