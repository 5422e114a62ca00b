import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createCrmtHead, projectIntegration } from '../../src/core/model/crmtHead';
import { createJointHead } from '../../src/core/model/jointHead';
import { createModel } from '../../src/core/model/model';
import { symmetricOrthogonalise, symmetricOrthogonaliseAll, unitRows } from '../../src/core/model/orthogonalise';
import { createRng } from '../../src/core/random';
import * as plain from '../oracle/plain';

const rng = createRng(5);
const rand = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
const orthError = (w: tf.Tensor2D) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(tf.matMul(w, w, false, true), tf.eye(w.shape[0]))))).dataSync()[0];

describe('symmetric orthogonalisation (spec §2)', () => {
  it('equals (VVᵀ)^{-1/2} V from an eigen-decomposition, for a well and a badly conditioned V', () => {
    const wellConditioned = rand(4, 9);
    // Two nearly parallel rows: Gram condition number ≈ 1e3.
    const bad = rand(4, 9);
    bad[1] = bad[0].map((v, j) => v + 0.03 * bad[1][j]);
    for (const v of [wellConditioned, bad]) {
      const got = symmetricOrthogonalise(tf.tensor2d(v)).arraySync();
      const want = plain.symmetricOrthogonalise(v);
      got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(want[i][j], 3)));
      expect(orthError(tf.tensor2d(got))).toBeLessThan(1e-3);
    }
  });

  it('is differentiable: gradients flow to V and are finite', () => {
    const v = tf.tensor2d(rand(3, 5));
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.square(tf.matMul(symmetricOrthogonalise(x as tf.Tensor2D), tf.ones([5, 1])))),
    )(v);
    const values = g.dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0);
  });

  it('its hand-written gradient matches central differences of the eigen-decomposition form', () => {
    // Two modalities with different widths, one of them with a Gram condition number ≈ 1e2.
    const vs = [rand(3, 5), rand(3, 7)];
    vs[1][2] = vs[1][0].map((v, j) => v + 0.1 * vs[1][2][j]);
    const weights = vs.map((v) => rand(v.length, v[0].length));
    const objective = (ws: number[][][]) =>
      ws.reduce((acc, w, m) => acc + w.flat().reduce((a, x, i) => a + x * weights[m].flat()[i], 0), 0);
    const got = tf.grads((...xs: tf.Tensor[]) =>
      tf.addN(symmetricOrthogonaliseAll(xs as tf.Tensor2D[]).map((w, m) => tf.sum(tf.mul(w, tf.tensor2d(weights[m]))))),
    )(vs.map((v) => tf.tensor2d(v)));
    const h = 1e-6;
    vs.forEach((v, m) =>
      v.forEach((row, i) =>
        row.forEach((_, j) => {
          const shifted = (delta: number) =>
            vs.map((u, mm) => u.map((r, ii) => r.map((x, jj) => (mm === m && ii === i && jj === j ? x + delta : x))));
          const f = (delta: number) => objective(shifted(delta).map(plain.symmetricOrthogonalise));
          const want = (f(h) - f(-h)) / (2 * h);
          expect((got[m].arraySync() as number[][])[i][j]).toBeCloseTo(want, 3);
        }),
      ),
    );
  });

  it('the `unit` setting centres each row and scales it to unit norm', () => {
    const v = rand(3, 6);
    const got = unitRows(tf.tensor2d(v)).arraySync();
    got.forEach((row, i) => {
      const mean = v[i].reduce((a, b) => a + b, 0) / 6;
      const centred = v[i].map((x) => x - mean);
      const n = plain.norm(centred);
      row.forEach((x, j) => expect(x).toBeCloseTo(centred[j] / n, 5));
    });
  });
});

describe('CRMT head', () => {
  it('fused logits are Σₘ aₖᵐ zₖᵐ + bₖ with zᵐ = W̃ᵐφᵐ, a starting at 0.1', () => {
    const head = createCrmtHead([5, 6], 3, 'orthonormal', createRng(1));
    const f = [tf.tensor2d(rand(4, 5)), tf.tensor2d(rand(4, 6))];
    const out = head.apply(f);
    const w = head.rowMatrices().map((t) => t.arraySync());
    const a = head.integration()!.map((t) => t.arraySync() as number[]);
    expect(a[0]).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    const fv = f.map((t) => t.arraySync());
    const z = fv.map((fm, m) => plain.matmul(fm, plain.transpose(w[m])));
    const logits = out.logits.arraySync();
    for (let i = 0; i < 4; i++)
      for (let k = 0; k < 3; k++) expect(logits[i][k]).toBeCloseTo(a[0][k] * z[0][i][k] + a[1][k] * z[1][i][k], 4);
    out.uni[1].arraySync().forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(z[1][i][k], 4)));
    w.forEach((wm) => expect(orthError(tf.tensor2d(wm))).toBeLessThan(1e-5));
  });

  it('projects a back onto a ≥ 0', () => {
    const head = createCrmtHead([4, 4], 3, 'orthonormal', createRng(1));
    head.integration()![0].assign(tf.tensor1d([-0.5, 0.2, -1e-3]));
    projectIntegration(head);
    expect(Array.from(head.integration()![0].dataSync())).toEqual([0, Math.fround(0.2), 0]);
  });

  it('rejects dₘ < K with a message that names the modality and the fix', () => {
    expect(() =>
      createModel({
        inputShapes: [[3], [3]],
        classes: 10,
        encoders: [
          { kind: 'mlp', widths: [16], activation: 'relu' },
          { kind: 'mlp', widths: [8], activation: 'relu' },
        ],
        head: { kind: 'crmt', rows: 'orthonormal' },
        seed: 1,
      }),
    ).toThrow(
      "The CRMT head needs orthonormal rows, so each modality's feature dimension must be at least the number of " +
        "classes: modality 1 has dₘ = 8 < K = 10. Widen its encoder's last layer.",
    );
  });
});

describe('joint head fusion', () => {
  it('logits Σ uᵐ + b and their gradients (features, every W, b) bit-identical to the tape on the plain formula', () => {
    const rng = createRng(4);
    const head = createJointHead([3, 2], 4, rng);
    const f = [
      tf.randomNormal([5, 3], 0, 1, 'float32', 1),
      tf.randomNormal([5, 2], 0, 1, 'float32', 2),
    ] as tf.Tensor2D[];
    const r = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const [w0, w1, b] = [...head.params.values()];
    const plainLogits = (fs: tf.Tensor[], ps: tf.Tensor[]) =>
      tf.add(tf.addN([tf.matMul(fs[0], ps[0]), tf.matMul(fs[1], ps[1])]), ps[2]);
    const ours = tf.grads((f0: tf.Tensor, f1: tf.Tensor) =>
      tf.sum(tf.mul(head.apply([f0, f1] as tf.Tensor2D[]).logits, r)),
    )(f);
    const theirs = tf.grads((f0: tf.Tensor, f1: tf.Tensor) => tf.sum(tf.mul(plainLogits([f0, f1], [w0, w1, b]), r)))(f);
    ours.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(theirs[i].dataSync())));
    const loss = (logits: () => tf.Tensor) => () => tf.sum(tf.mul(logits(), r)) as tf.Scalar;
    const pOurs = tf.variableGrads(
      loss(() => head.apply(f).logits),
      [w0, w1, b],
    ).grads;
    const pTheirs = tf.variableGrads(
      loss(() => plainLogits(f, [w0, w1, b])),
      [w0, w1, b],
    ).grads;
    for (const v of [w0, w1, b]) {
      expect(Array.from(pOurs[v.name].dataSync())).toEqual(Array.from(pTheirs[v.name].dataSync()));
      expect(pOurs[v.name].dataSync().some((x) => x !== 0)).toBe(true);
    }
    expect(Array.from(head.apply(f).logits.dataSync())).toEqual(Array.from(plainLogits(f, [w0, w1, b]).dataSync()));
  });
});
