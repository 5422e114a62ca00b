import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/random';
import { spectralNormEstimate, spectralNormUpperBound, vectorNorm } from '../../src/core/robust/spectralNorm';

// The trace bound over-estimates σ_max by at most 0.1 %; the extra 0.1 % leaves room for the oracle.
const TIGHTNESS = 1.002;

interface Matrix {
  values: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Independent oracle: σ_max from the eigenvalues of the Gram matrix of the smaller side, found by
 * cyclic Jacobi rotations (accurate to a few ulps of ‖G‖, far inside the bound's 1e-12 margin).
 */
function oracleSigmaMax({ values, rows, cols }: Matrix): number {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) return 0;
  const n = Math.min(rows, cols);
  const g = new Float64Array(n * n);
  const at = (i: number, j: number): number => values[i * cols + j] / scale;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      if (rows >= cols) for (let r = 0; r < rows; r++) s += at(r, p) * at(r, q);
      else for (let c = 0; c < cols; c++) s += at(p, c) * at(q, c);
      g[p * n + q] = s;
    }
  }
  const eigenvalues = jacobiEigenvalues(g, n);
  return scale * Math.sqrt(Math.max(0, ...eigenvalues));
}

function jacobiEigenvalues(a: Float64Array, n: number): number[] {
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-34 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // Rotation J (J_pp = J_qq = c, J_pq = s, J_qp = −s) with the smaller root t = tan θ zeroes a_pq.
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]);
}

function matrix(rows: number, cols: number, f: (i: number, j: number) => number): Matrix {
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) values[i * cols + j] = f(i, j);
  return { values, rows, cols };
}

function gaussian(rows: number, cols: number, rng: Rng): Matrix {
  return matrix(rows, cols, () => rng.normal());
}

/** Orthonormal rows (k ≤ n) by modified Gram–Schmidt on Gaussian rows, done twice for accuracy. */
function orthonormalRows(k: number, n: number, rng: Rng): Matrix {
  const m = gaussian(k, n, rng);
  const v = m.values;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let c = 0; c < n; c++) d += v[i * n + c] * v[j * n + c];
        for (let c = 0; c < n; c++) v[i * n + c] -= d * v[j * n + c];
      }
      const norm = vectorNorm(v.subarray(i * n, (i + 1) * n));
      for (let c = 0; c < n; c++) v[i * n + c] /= norm;
    }
  }
  return m;
}

function transpose({ values, rows, cols }: Matrix): Matrix {
  return matrix(cols, rows, (i, j) => values[j * cols + i]);
}

/** The bound's contract against a known σ_max, plus power iteration staying below it. */
function expectSound(m: Matrix, sigma: number): void {
  const bound = spectralNormUpperBound(m.values, m.rows, m.cols);
  expect(bound).toBeGreaterThanOrEqual(sigma);
  expect(bound).toBeLessThanOrEqual(sigma * TIGHTNESS);
  expect(spectralNormEstimate(m.values, m.rows, m.cols)).toBeLessThanOrEqual(bound);
}

describe('the Jacobi oracle', () => {
  it('reproduces known eigenvalues', () => {
    const g = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]);
    const eig = jacobiEigenvalues(g, 3).sort((x, y) => x - y);
    expect(eig[0]).toBeCloseTo(1, 14);
    expect(eig[1]).toBeCloseTo(3, 14);
    expect(eig[2]).toBeCloseTo(5, 14);
  });
});

describe('spectralNormUpperBound', () => {
  it('bounds diagonal matrices, square and rectangular', () => {
    const d = [3, -7, 2, 0.5, 1e-3];
    const square = matrix(5, 5, (i, j) => (i === j ? d[i] : 0));
    expect(oracleSigmaMax(square)).toBeCloseTo(7, 12);
    expectSound(square, 7);
    const wide = matrix(3, 6, (i, j) => (i === j ? d[i] : 0));
    expectSound(wide, 7);
    expectSound(transpose(wide), 7);
    expectSound(
      matrix(4, 4, (i, j) => (i === j ? 1 : 0)),
      1,
    );
  });

  it('bounds rank-1 matrices u vᵀ, where σ_max = ‖u‖‖v‖ and the trace bound is nearly tight', () => {
    const rng = createRng(11);
    for (const [r, c] of [
      [2, 2],
      [5, 9],
      [40, 3],
      [64, 64],
      [216, 32],
    ]) {
      const u = Array.from({ length: r }, () => rng.normal());
      const v = Array.from({ length: c }, () => rng.normal());
      const m = matrix(r, c, (i, j) => u[i] * v[j]);
      const sigma = vectorNorm(u) * vectorNorm(v);
      expect(oracleSigmaMax(m) / sigma).toBeCloseTo(1, 12);
      expectSound(m, sigma);
      // Rank 1 makes trace(G^p) = λ_max^p, so all that remains is the rounding safety factor.
      expect(spectralNormUpperBound(m.values, r, c)).toBeLessThanOrEqual(sigma * (1 + 1e-9));
    }
  });

  it('bounds orthogonal matrices and orthonormal rows (σ_max = 1, the worst case for the trace bound)', () => {
    const rng = createRng(12);
    for (const n of [2, 3, 8, 33, 64, 128]) expectSound(orthonormalRows(n, n, rng), 1);
    expectSound(orthonormalRows(10, 64, rng), 1);
    expectSound(transpose(orthonormalRows(32, 240, rng)), 1);
    // Signed permutation and a normalised Hadamard matrix are exactly orthogonal in float64.
    expectSound(
      matrix(6, 6, (i, j) => (j === (i * 5 + 2) % 6 ? (i % 2 ? -1 : 1) : 0)),
      1,
    );
    const hadamard = (i: number, j: number): number => {
      let bits = i & j;
      let sign = 1;
      while (bits) {
        sign = -sign;
        bits &= bits - 1;
      }
      return sign / 4;
    };
    expectSound(matrix(16, 16, hadamard), 1);
  });

  it('matches the 2×2 closed form', () => {
    const rng = createRng(13);
    for (let t = 0; t < 50; t++) {
      const [a, b, c, d] = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
      const sigma = (Math.hypot(a + d, b - c) + Math.hypot(a - d, b + c)) / 2;
      const m = matrix(2, 2, (i, j) => [a, b, c, d][i * 2 + j]);
      expect(oracleSigmaMax(m) / sigma).toBeCloseTo(1, 12);
      expectSound(m, sigma);
    }
  });

  it('is sound and within 0.2 % of the oracle on 200 random matrices up to 64×64', () => {
    const rng = createRng(14);
    const kinds: ((r: number, c: number) => Matrix)[] = [
      (r, c) => gaussian(r, c, rng),
      (r, c) => matrix(r, c, () => rng.next() * 2 - 1),
      // Non-negative entries: one dominant singular value, so near-tight.
      (r, c) => matrix(r, c, () => rng.next()),
      // Low rank plus tiny noise.
      (r, c) => {
        const k = 1 + rng.int(3);
        const u = gaussian(r, k, rng).values;
        const v = gaussian(k, c, rng).values;
        return matrix(r, c, (i, j) => {
          let s = 1e-9 * rng.normal();
          for (let l = 0; l < k; l++) s += u[i * k + l] * v[l * c + j];
          return s;
        });
      },
      // Columns graded over six orders of magnitude.
      (r, c) => {
        const g = Array.from({ length: c }, () => 10 ** (rng.next() * 6 - 3));
        return matrix(r, c, (_, j) => g[j] * rng.normal());
      },
      // Sparse.
      (r, c) => matrix(r, c, () => (rng.next() < 0.1 ? rng.normal() : 0)),
      // Extreme scales: the internal rescaling must keep the Gram matrix finite and nonzero.
      (r, c) => matrix(r, c, () => 1e150 * rng.normal()),
      (r, c) => matrix(r, c, () => 1e-160 * rng.normal()),
    ];
    let worst = 1;
    for (let t = 0; t < 200; t++) {
      const m = kinds[t % kinds.length](1 + rng.int(64), 1 + rng.int(64));
      const sigma = oracleSigmaMax(m);
      const bound = spectralNormUpperBound(m.values, m.rows, m.cols);
      expect(bound).toBeGreaterThanOrEqual(sigma);
      expect(bound).toBeLessThanOrEqual(sigma * TIGHTNESS);
      const estimate = spectralNormEstimate(m.values, m.rows, m.cols);
      expect(estimate).toBeLessThanOrEqual(bound);
      expect(estimate).toBeLessThanOrEqual(sigma * (1 + 1e-12));
      worst = Math.max(worst, bound / sigma);
    }
    expect(worst).toBeLessThanOrEqual(1.001 + 1e-9);
  });

  it('is sound on tall and wide matrices of the head shapes (216×32, 240×32 and transposes)', () => {
    const rng = createRng(15);
    for (const [r, c] of [
      [216, 32],
      [240, 32],
      [32, 216],
      [32, 240],
    ]) {
      for (let t = 0; t < 5; t++) {
        const m = t % 2 ? gaussian(r, c, rng) : matrix(r, c, () => rng.next() - 0.3);
        expectSound(m, oracleSigmaMax(m));
      }
    }
  });

  it('scales exactly with the matrix', () => {
    const m = gaussian(20, 30, createRng(16));
    const base = spectralNormUpperBound(m.values, 20, 30);
    for (const s of [1e-300, 1e-10, 3, 1e250]) {
      const scaled = m.values.map((v) => v * s);
      expect(spectralNormUpperBound(scaled, 20, 30) / (base * s)).toBeCloseTo(1, 12);
    }
  });

  it('returns 0 for zero and empty matrices', () => {
    expect(spectralNormUpperBound(new Float64Array(12), 3, 4)).toBe(0);
    expect(spectralNormUpperBound([], 0, 5)).toBe(0);
    expect(spectralNormEstimate(new Float64Array(12), 3, 4)).toBe(0);
  });

  it('returns the vector norm, rounded up by a few ulps, for 1×k and k×1 matrices', () => {
    const v = [3, -4, 12];
    for (const [r, c] of [
      [1, 3],
      [3, 1],
    ]) {
      const bound = spectralNormUpperBound(v, r, c);
      expect(bound).toBeGreaterThanOrEqual(13);
      expect(bound).toBeLessThanOrEqual(13 * (1 + 1e-14));
    }
    expect(spectralNormUpperBound([-2.5], 1, 1)).toBe(2.5);
  });

  it('throws on non-finite entries and on a shape that does not match', () => {
    expect(() => spectralNormUpperBound([1, NaN, 3, 4], 2, 2)).toThrow(/entry 1 \(row 0, col 1\) is NaN/);
    expect(() => spectralNormUpperBound([1, 2, -Infinity, 4], 2, 2)).toThrow(/-Infinity/);
    expect(() => spectralNormEstimate([NaN], 1, 1)).toThrow(/NaN/);
    expect(() => spectralNormUpperBound([1, 2, 3], 2, 2)).toThrow(/expected 4 values/);
    expect(() => spectralNormUpperBound([1, 2], 2.5, 1)).toThrow(/shape/);
  });
});

describe('vectorNorm', () => {
  it('computes the ℓ2 norm without overflow or underflow', () => {
    expect(vectorNorm([3, 4])).toBe(5);
    expect(vectorNorm([])).toBe(0);
    expect(vectorNorm([1e300, 1e300]) / (Math.SQRT2 * 1e300)).toBeCloseTo(1, 15);
    expect(vectorNorm([3e-320, 4e-320])).toBeGreaterThan(0);
    expect(vectorNorm([1, NaN])).toBeNaN();
    expect(vectorNorm([NaN, Infinity])).toBe(Infinity);
  });
});

describe('spectralNormEstimate', () => {
  it('converges from below on a matrix with a clear spectral gap', () => {
    const m = matrix(3, 3, (i, j) => (i === j ? [1, 5, 2][i] : 0.01));
    const sigma = oracleSigmaMax(m);
    const estimate = spectralNormEstimate(m.values, 3, 3);
    expect(estimate).toBeLessThanOrEqual(sigma * (1 + 1e-14));
    expect(estimate / sigma).toBeCloseTo(1, 10);
    expect(() => spectralNormEstimate(m.values, 3, 3, -1)).toThrow(/iterations/);
  });
});
