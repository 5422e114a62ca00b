import { describe, expect, it } from 'vitest';
import { certifiedAccuracy, certifiedRadius, median } from '../../src/core/robust/certify';
import { marginShares, minimalUniModalMargins } from '../../src/core/robust/margins';
import { createRng } from '../../src/core/random';
import * as plain from '../oracle/plain';

const rng = createRng(3);
const N = 40;
const K = 4;
const h = Array.from({ length: N }, () => Array.from({ length: K }, () => 2 * rng.normal()));
const y = Array.from({ length: N }, (_, i) => i % K);
const c = [0, 1].map(() => Array.from({ length: K }, () => Array.from({ length: K }, () => 0.2 + rng.next())));
const flat = (m: number[][]) => Float64Array.from(m.flat());

describe('certified radii (spec §6)', () => {
  it('match the oracle: joint and per modality, 0 when misclassified', () => {
    const got = certifiedRadius(flat(h), y, c.map(flat), K);
    const want = plain.radii(h, y, c);
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      expect(got.joint[i]).toBeCloseTo(want.joint[i], 10);
      expect(got.perModality[1][i]).toBeCloseTo(want.per[1][i], 10);
      if (!got.correct[i]) {
        wrong++;
        expect(got.joint[i]).toBe(0);
      }
    }
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(N);
  });

  it('a per-modality radius is never below the joint one', () => {
    const got = certifiedRadius(flat(h), y, c.map(flat), K);
    for (let i = 0; i < N; i++) for (const r of got.perModality) expect(r[i]).toBeGreaterThanOrEqual(got.joint[i]);
  });

  it('a modality whose constants are all zero cannot be attacked: its radius is infinite', () => {
    const zero = new Float64Array(K * K);
    const got = certifiedRadius(flat(h), y, [flat(c[0]), zero], K);
    const i = [...got.correct].indexOf(1);
    expect(got.perModality[1][i]).toBe(Infinity);
    expect(got.joint[i]).toBeCloseTo(got.perModality[0][i], 10);
  });

  it('certified accuracy counts correct samples with radius > ε; the median is the middle value', () => {
    expect(certifiedAccuracy([0, 0.5, 1, 2], [0, 0.5, 1.5, 3])).toEqual([0.75, 0.5, 0.25, 0]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('margins (spec §3)', () => {
  it('minimal uni-modal margin is min over k ≠ y of z_y − z_k', () => {
    const got = minimalUniModalMargins(flat(h), y, K);
    h.forEach((row, i) => {
      const others = row.filter((_, k) => k !== y[i]);
      expect(got[i]).toBeCloseTo(row[y[i]] - Math.max(...others), 12);
    });
  });

  it('shares against the runner-up add up, with the bias, to the fused margin', () => {
    const contributions = [h.map((r) => r.map((v) => v * 0.3)), h.map((r) => r.map((v) => v * 0.5))];
    const fused = h.map((r, i) => r.map((v, k) => 0.8 * v + (k === 1 ? 0.25 : 0) + 0 * i));
    const got = marginShares(flat(fused), contributions.map(flat), y, K);
    for (let i = 0; i < N; i++) {
      const k = got.runnerUp[i];
      expect(k).not.toBe(y[i]);
      const others = fused[i].filter((_, j) => j !== y[i]);
      expect(fused[i][k]).toBe(Math.max(...others));
      expect(got.shares[0][i]).toBeCloseTo(contributions[0][i][y[i]] - contributions[0][i][k], 12);
      expect(got.shares[0][i] + got.shares[1][i] + got.bias[i]).toBeCloseTo(got.fused[i], 12);
      expect(got.bias[i]).toBeCloseTo((y[i] === 1 ? 0.25 : 0) - (k === 1 ? 0.25 : 0), 10);
    }
  });
});
