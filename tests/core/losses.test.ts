import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { crossEntropy } from '../../src/core/ops/crossEntropy';
import {
  crmtMarginTerm,
  crmtMixupStep1Loss,
  crmtStep1Loss,
  mixupCrossEntropy,
  mixupMarginTerm,
  step2Loss,
} from '../../src/core/train/losses';
import * as plain from '../oracle/plain';

const rng = createRng(11);
const randMatrix = (n: number, k: number, scale = 2) =>
  Array.from({ length: n }, () => Array.from({ length: k }, () => scale * rng.normal()));
const scalar = (t: tf.Tensor) => t.dataSync()[0];

const N = 6;
const K = 4;
const z = [randMatrix(N, K), randMatrix(N, K)];
const h = randMatrix(N, K);
const y = [0, 1, 2, 3, 1, 2];
const yb = [2, 1, 0, 0, 3, 2];

describe('step 1 (spec §4)', () => {
  it('the margin term matches the plain-array oracle, with and without the floor', () => {
    const labels = tf.tensor1d(y, 'int32');
    const uni = z.map((m) => tf.tensor2d(m));
    expect(scalar(crmtMarginTerm(uni, labels))).toBeCloseTo(plain.marginTerm(z, y), 5);
    expect(scalar(crmtMarginTerm(uni, labels, 1e-5))).toBeCloseTo(plain.marginTerm(z, y, 1e-5), 5);
  });

  it('stays finite and exact for huge logit gaps (one stable log-sum-exp)', () => {
    const big = z.map((m) => m.map((r) => r.map((v) => v * 200)));
    const got = scalar(
      crmtMarginTerm(
        big.map((m) => tf.tensor2d(m)),
        tf.tensor1d(y, 'int32'),
      ),
    );
    expect(Number.isFinite(got)).toBe(true);
    expect(got).toBeCloseTo(plain.marginTerm(big, y), 1);
  });

  it('CE + ρ · margin term', () => {
    const got = crmtStep1Loss(
      tf.tensor2d(h),
      z.map((m) => tf.tensor2d(m)),
      tf.tensor1d(y, 'int32'),
      2,
      1e-5,
    );
    expect(scalar(got)).toBeCloseTo(plain.crossEntropy(h, y) + 2 * plain.marginTerm(z, y, 1e-5), 4);
  });

  it('passes a finite-difference gradient check in the uni-modal and fused logits', () => {
    const labels = tf.tensor1d(y, 'int32');
    const f = (hh: tf.Tensor, z0: tf.Tensor, z1: tf.Tensor) =>
      crmtStep1Loss(hh as tf.Tensor2D, [z0 as tf.Tensor2D, z1 as tf.Tensor2D], labels, 2, 1e-5);
    const inputs = [tf.tensor2d(h), tf.tensor2d(z[0]), tf.tensor2d(z[1])];
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c))(inputs);
    // Central differences on the plain-array oracle (float64), so the check is independent of tfjs.
    const oracle = (hh: plain.Matrix, zz: plain.Matrix[]) =>
      plain.crossEntropy(hh, y) + 2 * plain.marginTerm(zz, y, 1e-5);
    const eps = 1e-5;
    const arrays = [h, z[0], z[1]];
    arrays.forEach((_, which) => {
      const g = grads[which].arraySync() as number[][];
      for (let i = 0; i < N; i++)
        for (let k = 0; k < K; k++) {
          const perturbed = (d: number) => {
            const copy = arrays.map((a) => a.map((r) => [...r]));
            copy[which][i][k] += d;
            return oracle(copy[0], [copy[1], copy[2]]);
          };
          const fd = (perturbed(eps) - perturbed(-eps)) / (2 * eps);
          expect(g[i][k]).toBeCloseTo(fd, 4);
        }
    });
  });
});

describe('mixup forms (spec §8)', () => {
  it('the mixup margin term and the mixed cross-entropy match the oracle', () => {
    const uni = z.map((m) => tf.tensor2d(m));
    const ya = tf.tensor1d(y, 'int32');
    const ybt = tf.tensor1d(yb, 'int32');
    expect(scalar(mixupMarginTerm(uni, ya, ybt, 0.3))).toBeCloseTo(plain.mixupMarginTerm(z, y, yb, 0.3), 5);
    expect(scalar(mixupCrossEntropy(tf.tensor2d(h), ya, ybt, 0.3))).toBeCloseTo(
      0.3 * plain.crossEntropy(h, y) + 0.7 * plain.crossEntropy(h, yb),
      5,
    );
  });

  it('the mixup step-1 loss is the mixed CE + ρ · the mixup margin term, and the oracle passes a gradient check', () => {
    const ya = tf.tensor1d(y, 'int32');
    const ybt = tf.tensor1d(yb, 'int32');
    const oracle = (hh: plain.Matrix, zz: plain.Matrix[]) =>
      0.3 * plain.crossEntropy(hh, y) +
      0.7 * plain.crossEntropy(hh, yb) +
      2 * plain.mixupMarginTerm(zz, y, yb, 0.3, 1e-5);
    const f = (hh: tf.Tensor, z0: tf.Tensor, z1: tf.Tensor) =>
      crmtMixupStep1Loss(hh as tf.Tensor2D, [z0 as tf.Tensor2D, z1 as tf.Tensor2D], ya, ybt, 0.3, 2, 1e-5);
    const inputs = [tf.tensor2d(h), tf.tensor2d(z[0]), tf.tensor2d(z[1])];
    expect(scalar(f(inputs[0], inputs[1], inputs[2]))).toBeCloseTo(oracle(h, z), 4);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c))(inputs);
    const arrays = [h, z[0], z[1]];
    const eps = 1e-5;
    arrays.forEach((_, which) => {
      const g = grads[which].arraySync() as number[][];
      for (let i = 0; i < N; i++)
        for (let k = 0; k < K; k++) {
          const perturbed = (d: number) => {
            const copy = arrays.map((a) => a.map((r) => [...r]));
            copy[which][i][k] += d;
            return oracle(copy[0], [copy[1], copy[2]]);
          };
          expect(g[i][k]).toBeCloseTo((perturbed(eps) - perturbed(-eps)) / (2 * eps), 4);
        }
    });
  });

  it('with ρ = 0 both step-1 losses are their cross-entropy alone', () => {
    const uni = z.map((m) => tf.tensor2d(m));
    const ya = tf.tensor1d(y, 'int32');
    const ybt = tf.tensor1d(yb, 'int32');
    expect(scalar(crmtStep1Loss(tf.tensor2d(h), uni, ya, 0))).toBe(scalar(crossEntropy(tf.tensor2d(h), ya)));
    expect(scalar(crmtMixupStep1Loss(tf.tensor2d(h), uni, ya, ybt, 0.3, 0))).toBe(
      scalar(mixupCrossEntropy(tf.tensor2d(h), ya, ybt, 0.3)),
    );
  });

  it('reduces to the plain margin term when both labels agree', () => {
    const uni = z.map((m) => tf.tensor2d(m));
    const ya = tf.tensor1d(y, 'int32');
    expect(scalar(mixupMarginTerm(uni, ya, ya, 0.4))).toBeCloseTo(scalar(crmtMarginTerm(uni, ya)), 5);
  });
});

describe('step 2 objective (spec §7)', () => {
  const c = [randMatrix(K, K).map((r) => r.map(Math.abs)), randMatrix(K, K).map((r) => r.map(Math.abs))];
  for (const choice of ['min', 'runner-up'] as const)
    it(`matches the oracle with class choice "${choice}"`, () => {
      const got = step2Loss(
        tf.tensor2d(h),
        tf.tensor1d(y, 'int32'),
        c.map((m) => tf.tensor2d(m)),
        choice,
      );
      expect(scalar(got)).toBeCloseTo(plain.step2Objective(h, y, c, choice), 4);
    });
});
