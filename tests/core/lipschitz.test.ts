import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { HeadSpec } from '../../src/core/model/model';
import { createModel, type EncoderSpec } from '../../src/core/model/model';
import {
  soundConstants,
  encoderLipschitzBound,
  estimatedConstants,
  estimatedTau,
} from '../../src/core/robust/lipschitz';
import { createRng } from '../../src/core/random';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { GramMaxima } from '../../src/core/robust/gradientMaxima';

const mlp = (w: number[]): EncoderSpec => ({ kind: 'mlp', widths: w, activation: 'relu' });
const cnn: EncoderSpec = { kind: 'cnn', filters: [2, 3], outDim: 6, activation: 'relu' };

function model(
  head: HeadSpec,
  seed: number,
  encoders: EncoderSpec[] = [mlp([8, 6]), mlp([7, 5])],
  shapes = [[3], [4]],
) {
  return createModel({ inputShapes: shapes, classes: 4, encoders, head, seed });
}

function inputs(shapes: number[][], n: number, seed: number): tf.Tensor2D[] {
  const rng = createRng(seed);
  return shapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    return tf.tensor2d(
      Float32Array.from({ length: n * size }, () => 2 * rng.normal()),
      [n, size],
    );
  });
}

/** Random nonzero a, so the pair form is not the trivial a = 0.1 everywhere. */
function randomiseIntegration(m: ReturnType<typeof model>, seed: number) {
  const rng = createRng(seed);
  m.head.integration()?.forEach((a) => a.assign(tf.tensor1d(Array.from({ length: 4 }, () => 0.05 + rng.next()))));
}

describe('encoder Lipschitz bound', () => {
  it('is never exceeded by any pair of inputs (MLP and CNN)', async () => {
    for (const [encoders, shapes] of [
      [
        [mlp([8, 6]), mlp([7, 5])],
        [[3], [4]],
      ],
      [
        [cnn, mlp([6])],
        [[6, 6], [2]],
      ],
    ] as [EncoderSpec[], number[][]][]) {
      const m = model({ kind: 'joint' }, 2, encoders, shapes);
      for (let e = 0; e < 2; e++) {
        const L = await encoderLipschitzBound(m.encoders[e]);
        const [x1, x2] = [inputs(shapes, 200, 1)[e], inputs(shapes, 200, 2)[e]];
        const ratio = tf.tidy(() => {
          const num = tf.norm(tf.sub(m.encoders[e].apply(x1), m.encoders[e].apply(x2)), 'euclidean', 1);
          return tf.max(tf.div(num, tf.norm(tf.sub(x1, x2), 'euclidean', 1))).dataSync()[0];
        });
        expect(ratio).toBeLessThanOrEqual(L);
        expect(ratio).toBeGreaterThan(0);
      }
      m.dispose();
    }
  });
});

describe('τ of both kinds (spec §5)', () => {
  it('estimated ≤ sound on random models, for τ and for every pair constant', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      for (const head of [
        { kind: 'joint' },
        { kind: 'crmt', rows: 'orthonormal' },
        { kind: 'crmt', rows: 'unit' },
      ] as HeadSpec[]) {
        const m = model(head, seed);
        randomiseIntegration(m, seed);
        const xs = inputs([[3], [4]], 300, seed);
        const est = await estimatedConstants(m, xs);
        const sound = await soundConstants(m);
        expect(est.kind).toBe('estimated');
        expect(sound.kind).toBe('sound');
        for (let mm = 0; mm < 2; mm++) {
          est.tau[mm].forEach((t, k) => expect(t).toBeLessThanOrEqual(sound.tau[mm][k] * (1 + 1e-5)));
          if (head.kind === 'joint')
            est.pair[mm].forEach((c, i) => expect(c).toBeLessThanOrEqual(sound.pair[mm][i] * (1 + 1e-5)));
        }
        m.dispose();
      }
    }
  });

  it('the sound pair form is √(a_y² + a_k²) · L(φ) for orthonormal rows', async () => {
    const m = model({ kind: 'crmt', rows: 'orthonormal' }, 3);
    randomiseIntegration(m, 3);
    const sound = await soundConstants(m);
    const a = m.head.integration()!.map((v) => Array.from(v.dataSync()));
    for (let mm = 0; mm < 2; mm++) {
      const L = await encoderLipschitzBound(m.encoders[mm]);
      for (let y = 0; y < 4; y++)
        for (let k = 0; k < 4; k++)
          if (k !== y) expect(sound.pair[mm][y * 4 + k]).toBeCloseTo(Math.hypot(a[mm][y], a[mm][k]) * L, 3);
    }
  });

  it("has neither of the official code's bugs: a fresh gradient of the unscaled zₖᵐ for every (m, k)", async () => {
    const m = model({ kind: 'crmt', rows: 'orthonormal' }, 4);
    randomiseIntegration(m, 4);
    const xs = inputs([[3], [4]], 30, 9);
    const tau = await estimatedTau(m, xs);
    // Independent: one sample and one (m, k) at a time, with its own gradient.
    for (let mm = 0; mm < 2; mm++)
      for (let k = 0; k < 4; k++) {
        let best = 0;
        for (let i = 0; i < 30; i++) {
          const xi = xs.map((x) => x.slice([i, 0], [1, -1]));
          const g = tf.grad((x: tf.Tensor) => {
            const inp = xi.map((v, j) => (j === mm ? (x as tf.Tensor2D) : v));
            return tf.sum(m.forward(inp).uni[mm].slice([0, k], [1, 1]));
          })(xi[mm]);
          best = Math.max(best, tf.norm(g).dataSync()[0]);
        }
        expect(tau[mm][k]).toBeCloseTo(best, 4);
        expect(tau[mm][k]).toBeGreaterThan(0); // the official reset bug reads 0 here
      }
    // Scaling a changes the fused logits but not zᵐ: τ must not move (the a-scaled-logit bug would).
    m.head.integration()!.forEach((a) => a.assign(tf.mul(a, 7)));
    const scaled = await estimatedTau(m, xs);
    scaled.forEach((row, mm) => row.forEach((t, k) => expect(t).toBeCloseTo(tau[mm][k], 5)));
  });
});

describe('estimated constants through the first-layer Gram identity (issue 17)', () => {
  /** The same model with the MLP encoders' identities removed: τ from each gradient itself (the previous formula). */
  const explicitGradients = (m: ReturnType<typeof createModel>) => ({
    ...m,
    encoders: m.encoders.map((e) => ({ ...e, gradientGram: undefined, gradientNorms: undefined })),
  });

  it.each([
    ['joint', { kind: 'joint' }],
    ['crmt', { kind: 'crmt', rows: 'orthonormal' }],
  ] as [string, HeadSpec][])(
    '%s head: τ and every pair constant equal the explicit gradients’ within float32 rounding (inputs wider and narrower than the first layer)',
    async (_, head) => {
      // Modality 0: 12 inputs into 5 units (the identity pays); modality 1: 3 inputs into 7.
      const m = createModel({
        inputShapes: [[12], [3]],
        classes: 4,
        encoders: [mlp([5, 6]), mlp([7, 4, 5])],
        head,
        seed: 8,
      });
      randomiseIntegration(m, 8);
      const xs = inputs([[12], [3]], 120, 5);
      const fast = await estimatedConstants(m, xs);
      const plain = await estimatedConstants(explicitGradients(m), xs);
      for (let mm = 0; mm < 2; mm++) {
        const scale = Math.max(...plain.tau[mm]);
        fast.tau[mm].forEach((t, k) => expect(Math.abs(t - plain.tau[mm][k])).toBeLessThan(1e-5 * scale));
        fast.pair[mm].forEach((c, i) => expect(Math.abs(c - plain.pair[mm][i])).toBeLessThan(1e-5 * 2 * scale));
        expect(scale).toBeGreaterThan(0.01);
      }
      m.dispose();
      xs.forEach((x) => x.dispose());
    },
  );
});

describe('estimated constants over a training split larger than one block', () => {
  it('equal the larger of the two halves’ maxima (each half in one block, the whole in two; WASM, for speed)', async () => {
    await initNodeBackend('wasm');
    // 24 classes through 64 units: blocks of 2²¹ / (64 · 24) = 1,365 samples.
    const m = createModel({
      inputShapes: [[3], [4]],
      classes: 24,
      encoders: [mlp([64, 30]), mlp([30])],
      head: { kind: 'joint' },
      seed: 6,
    });
    const xs = inputs([[3], [4]], 2000, 7);
    const halves = [0, 1000].map((start) => xs.map((x) => x.slice([start, 0], [1000, -1])));
    const whole = await estimatedConstants(m, xs);
    const [a, b] = await Promise.all(halves.map((h) => estimatedConstants(m, h)));
    for (let mm = 0; mm < 2; mm++) {
      whole.tau[mm].forEach((t, k) => expect(t).toBeCloseTo(Math.max(a.tau[mm][k], b.tau[mm][k]), 6));
      whole.pair[mm].forEach((c, i) => expect(c).toBeCloseTo(Math.max(a.pair[mm][i], b.pair[mm][i]), 6));
    }
    // Neither half holds every maximum, so the blocks were both read.
    expect(whole.tau[0].some((t, k) => t !== a.tau[0][k]) && whole.tau[0].some((t, k) => t !== b.tau[0][k])).toBe(true);
    m.dispose();
    tf.dispose([...xs, ...halves.flat()]);
    await tf.setBackend('cpu');
  });
});

describe('sound constants after the weights change', () => {
  it('follow every assign (the σ_max bounds are kept per weight value, not per weight)', async () => {
    const m = model({ kind: 'joint' }, 5);
    const before = await soundConstants(m);
    expect((await soundConstants(m)).tau).toEqual(before.tau);
    // Doubling one layer of modality 0 doubles its L(φ), and modality 1's stays.
    const w = m.params.get([...m.params.keys()].find((k) => k.endsWith('l0.weight'))!)!;
    w.assign(tf.mul(w, 2));
    const after = await soundConstants(m);
    after.tau[0].forEach((t, k) => expect(t).toBeCloseTo(2 * before.tau[0][k], 4));
    expect(after.tau[1]).toEqual(before.tau[1]);
    m.dispose();
  });
});

describe('GramMaxima', () => {
  it('gives the largest ‖g_k‖ and ‖g_y − g_k‖ over samples from their Gram matrices (oracle: the gradients themselves)', () => {
    const rng = createRng(31);
    const [K, n, d] = [5, 9, 4];
    const g = Array.from({ length: n }, () =>
      Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal())),
    );
    const dotp = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    const maxima = new GramMaxima(K);
    // Two calls, as two blocks of samples.
    for (const part of [g.slice(0, 4), g.slice(4)])
      maxima.add(Float32Array.from(part.flatMap((gi) => gi.flatMap((gy) => gi.map((gk) => dotp(gy, gk))))));
    const { tau, pair } = maxima.result();
    for (let y = 0; y < K; y++) {
      expect(tau[y]).toBeCloseTo(Math.max(...g.map((gi) => Math.hypot(...gi[y]))), 5);
      for (let k = 0; k < K; k++) {
        const want = y === k ? 0 : Math.max(...g.map((gi) => Math.hypot(...gi[y].map((v, j) => v - gi[k][j]))));
        expect(pair[y * K + k]).toBeCloseTo(want, 5);
      }
    }
  });

  it('keeps a NaN rather than reading past it (a diverged model gets no finite τ)', () => {
    const maxima = new GramMaxima(2);
    maxima.add([1, 0, 0, NaN]);
    maxima.add([4, 0, 0, 1]);
    const { tau, pair } = maxima.result();
    expect(tau[0]).toBe(2);
    expect(tau[1]).toBeNaN();
    expect(pair[1]).toBeNaN();
  });
});

describe('estimated constants of a CNN encoder (explicit gradients, no Gram identity)', () => {
  it('τ and the joint head’s pair constants equal per-sample gradients taken one at a time', async () => {
    const m = model({ kind: 'joint' }, 12, [cnn, mlp([6])], [[6, 6], [2]]);
    const xs = inputs([[6, 6], [2]], 12, 13);
    const est = await estimatedConstants(m, xs);
    for (let mm = 0; mm < 2; mm++) {
      const grads = Array.from({ length: 12 }, (_, i) => {
        const xi = xs.map((x) => x.slice([i, 0], [1, -1]));
        return Array.from({ length: 4 }, (_, k) =>
          tf
            .grad((x: tf.Tensor) => {
              const inp = xi.map((v, j) => (j === mm ? (x as tf.Tensor2D) : v));
              return tf.sum(m.forward(inp).uni[mm].slice([0, k], [1, 1]));
            })(xi[mm])
            .dataSync(),
        );
      });
      const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
      expect(Math.min(...est.tau[mm])).toBeGreaterThan(1e-3); // not a comparison of zeros
      for (let y = 0; y < 4; y++) {
        expect(est.tau[mm][y]).toBeCloseTo(Math.max(...grads.map((g) => norm(g[y]))), 4);
        for (let k = 0; k < 4; k++)
          if (k !== y)
            expect(est.pair[mm][y * 4 + k]).toBeCloseTo(
              Math.max(...grads.map((g) => norm(g[y].map((v, j) => v - g[k][j])))),
              4,
            );
      }
    }
    m.dispose();
    xs.forEach((x) => x.dispose());
  });
});

describe('estimated τ above FULL_PAIR_CLASSES through gradientNorms', () => {
  it('equals the explicit gradients’ τ (36 classes, one row per class and sample)', async () => {
    const m = createModel({
      inputShapes: [[12], [3]],
      classes: 36,
      encoders: [mlp([5, 40]), mlp([7, 40])],
      head: { kind: 'joint' },
      seed: 9,
    });
    const xs = inputs([[12], [3]], 60, 10);
    const explicit = {
      ...m,
      encoders: m.encoders.map((e) => ({ ...e, gradientGram: undefined, gradientNorms: undefined })),
    };
    const [fast, plain] = [await estimatedTau(m, xs), await estimatedTau(explicit, xs)];
    for (let mm = 0; mm < 2; mm++) {
      const scale = Math.max(...plain[mm]);
      expect(scale).toBeGreaterThan(0.01);
      fast[mm].forEach((t, k) => expect(Math.abs(t - plain[mm][k])).toBeLessThan(1e-5 * scale));
    }
    m.dispose();
    xs.forEach((x) => x.dispose());
  });
});
