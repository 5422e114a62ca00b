/**
 * A sound upper bound on the spectral norm σ_max (largest singular value) of a small dense matrix,
 * in plain float64.
 *
 * Certified radii (CRMT-SPEC §5) divide a margin by a product of layer norms, so a norm that comes
 * out below the true σ_max would overstate the radius. Power iteration approaches σ_max from below,
 * so it cannot be used there; `spectralNormUpperBound` returns a number that is ≥ σ_max, rounding
 * included, and at most about 0.1 % above it.
 *
 * Method of `spectralNormUpperBound(A)`, A of shape [rows, cols], n = min(rows, cols), M = max(rows, cols):
 * 1. Divide A by its largest |entry| c and lay the shorter side out as rows of X (n × M), so X has
 *    entries in [-1, 1], σ_max(X) ≥ 1, and nothing below can overflow.
 * 2. Form the Gram matrix G = X·Xᵀ (n × n, symmetric positive semi-definite, λ_max(G) = σ_max(A)²/c²).
 * 3. For PSD G and p = 2^q: λ_max(G)^p ≤ Σᵢ λᵢ^p = trace(G^p) ≤ n·λ_max(G)^p, hence
 *    λ_max(G) ≤ (trace G^p)^{1/p} ≤ n^{1/p}·λ_max(G), i.e. an over-estimate of at most n^{1/(2p)} on σ_max.
 * 4. G^p comes from q repeated squarings with renormalisation, so it never overflows or underflows:
 *    B₀ = G / trace(G), B_{k+1} = B_k² / t_k with t_k = trace(B_k²); every B_k has trace 1, and
 *    log (trace G^p)^{1/p} = log trace(G) + Σ_{k<q} log(t_k) / 2^{k+1}.
 * 5. q is chosen per matrix: the smallest q ≥ 1 with n^{1/2^{q+1}} ≤ 1.001 (over-estimate on σ_max at
 *    most 0.1 % before rounding). That gives q = 9 for n = 2, 11 for n = 32, and q ≤ 12 for every n ≤ 1024.
 * 6. Return c · sqrt(exp(that log)) · s with the safety factor s = 1 + 1e-12 + 4ε·(M·n + n²), ε = 2^-53.
 *
 * Why s suffices (first-order rounding analysis; on λ_max, which is twice the relative error on σ_max):
 * - dividing by c perturbs X by at most ε‖X‖_F ≤ ε√n·σ_max(X): relative ≤ 2√n·ε;
 * - the Gram product errs by |ΔG| ≤ γ_M·|X||X|ᵀ, whose 2-norm is ≤ γ_M‖X‖_F² = γ_M·trace(G) ≤ γ_M·n·λ_max:
 *   relative ≤ M·n·ε;
 * - squaring k errs by ‖ΔB²‖ ≤ γ_n‖B_k‖_F² ≤ γ_n·λ_max(B_k) (trace 1, PSD), against λ_max(B_k²) =
 *   λ_max(B_k)² with λ_max(B_k) ≥ 1/n: relative ≤ n²ε, entering the result with weight 2^-(k+1), so all
 *   squarings together cost ≤ n²ε (the divisions by t_k add ≤ n·ε);
 * - the last trace can see rounding-induced negative eigenvalues, ≤ n³ε relative but weighted by 1/p,
 *   so ≤ n²ε while n ≤ p ≈ 500·ln n (n ≲ 4800, far above the sizes this is meant for);
 * - the q + 1 logarithms and the exponential (not correctly rounded in JavaScript) and the square root
 *   add a few dozen ε at most, covered by the 1e-12 term, as are second-order terms.
 * So the computed value is at most about (M·n + 2n² + 4n)·ε/2 below the exact trace bound on σ_max, and
 * s covers that with a margin of at least 5. Products that underflow lose at most 2^-1074 each, negligible
 * next to λ_max(G) ≥ 1. A final `+ Number.MIN_VALUE` keeps the result sound if it is subnormal.
 *
 * Special cases: an empty or all-zero matrix gives 0; a 1×k or k×1 matrix gives its ℓ2 norm (which is
 * σ_max exactly) rounded up by 1 + (k + 8)ε; a NaN or ±Infinity entry throws.
 */

import { createRng } from '../random';

const EPS = 2 ** -53;

/** Target over-estimate of the trace bound on σ_max, before rounding. */
const TRACE_BOUND_FACTOR = 1.001;

/** ℓ2 norm; scaled by the largest |entry| so squares of large or tiny entries neither overflow nor vanish. */
export function vectorNorm(values: ArrayLike<number>): number {
  const len = values.length;
  let maxAbs = 0;
  let sawNaN = false;
  for (let i = 0; i < len; i++) {
    const a = Math.abs(values[i]);
    // Same convention as Math.hypot: an infinity wins over NaN.
    if (a === Infinity) return Infinity;
    if (a !== a) sawNaN = true;
    else if (a > maxAbs) maxAbs = a;
  }
  if (sawNaN) return NaN;
  if (maxAbs === 0) return 0;
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i] / maxAbs;
    sum += x * x;
  }
  return maxAbs * Math.sqrt(sum);
}

/**
 * Provably ≥ σ_max of the row-major [rows, cols] matrix `values`, and ≤ σ_max · 1.001 · (1 + tiny).
 * See the module comment for the method and the safety factor.
 */
export function spectralNormUpperBound(values: ArrayLike<number>, rows: number, cols: number): number {
  const maxAbs = checkMatrix('spectralNormUpperBound', values, rows, cols);
  if (maxAbs === 0) return 0;
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  if (n === 1) {
    if (m === 1) return maxAbs;
    // σ_max of a vector is its norm; round up by the norm's own error bound, about (k/2 + 3)ε.
    return vectorNorm(values) * (1 + (m + 8) * EPS) + Number.MIN_VALUE;
  }

  const x = shortSideRows(values, rows, cols, maxAbs);
  let b = new Float64Array(n * n);
  let c = new Float64Array(n * n);
  rowGram(x, n, m, b);

  let logLambda = Math.log(normaliseByTrace(b, n));
  const q = squaringsFor(n);
  for (let k = 0; k < q; k++) {
    // B is symmetric, so B² = B·Bᵀ and the same row-by-row kernel applies.
    rowGram(b, n, n, c);
    logLambda += Math.log(normaliseByTrace(c, n)) / 2 ** (k + 1);
    const t = b;
    b = c;
    c = t;
  }

  const safety = 1 + 1e-12 + 4 * EPS * (m * n + n * n);
  return maxAbs * (Math.exp(logLambda / 2) * safety) + Number.MIN_VALUE;
}

/**
 * Plain power iteration on AᵀA from a fixed pseudo-random start: ‖A v‖ for the final unit v. It is a
 * lower estimate of σ_max (never a certificate) and is kept for comparison and tests.
 */
export function spectralNormEstimate(values: ArrayLike<number>, rows: number, cols: number, iterations = 200): number {
  const maxAbs = checkMatrix('spectralNormEstimate', values, rows, cols);
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`spectralNormEstimate: iterations must be a non-negative integer, got ${iterations}`);
  }
  if (maxAbs === 0) return 0;
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = values[i] / maxAbs;

  // A fixed seed keeps results reproducible; a random direction is almost surely not orthogonal to
  // the top singular vector, which a constant start can be.
  const rng = createRng(0x5eed);
  let v = new Float64Array(cols);
  for (let j = 0; j < cols; j++) v[j] = rng.normal();
  normaliseInPlace(v);
  const av = new Float64Array(rows);
  let w = new Float64Array(cols);
  for (let it = 0; it < iterations; it++) {
    multiply(a, rows, cols, v, av);
    w.fill(0);
    for (let i = 0; i < rows; i++) {
      const s = av[i];
      const o = i * cols;
      for (let j = 0; j < cols; j++) w[j] += a[o + j] * s;
    }
    // v in the null space of A: its image is 0 and no further iteration can recover, so stop here.
    if (!normaliseInPlace(w)) break;
    const t = v;
    v = w;
    w = t;
  }
  multiply(a, rows, cols, v, av);
  return maxAbs * vectorNorm(av);
}

/** Validates shape and finiteness; returns the largest |entry| (0 for an empty or zero matrix). */
function checkMatrix(fn: string, values: ArrayLike<number>, rows: number, cols: number): number {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`${fn}: shape must be non-negative integers, got [${rows}, ${cols}]`);
  }
  if (values.length !== rows * cols) {
    throw new Error(`${fn}: expected ${rows * cols} values for shape [${rows}, ${cols}], got ${values.length}`);
  }
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      const what = typeof v !== 'number' ? `a non-number (${typeof v})` : Number.isNaN(v) ? 'NaN' : String(v);
      throw new Error(
        `${fn}: entry ${i} (row ${Math.floor(i / cols)}, col ${i % cols}) is ${what}; a norm bound needs finite values`,
      );
    }
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  return maxAbs;
}

/** Smallest q ≥ 1 with n^{1/2^{q+1}} ≤ TRACE_BOUND_FACTOR, the trace bound's worst over-estimate on σ_max. */
function squaringsFor(n: number): number {
  const target = Math.log(TRACE_BOUND_FACTOR);
  let q = 1;
  while (Math.log(n) / 2 ** (q + 1) > target) q++;
  return q;
}

/** The shorter side as rows (n × M, row-major), divided by maxAbs, so the Gram kernel reads contiguous memory. */
function shortSideRows(values: ArrayLike<number>, rows: number, cols: number, maxAbs: number): Float64Array {
  const x = new Float64Array(rows * cols);
  if (rows <= cols) {
    for (let i = 0; i < x.length; i++) x[i] = values[i] / maxAbs;
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) x[j * rows + i] = values[i * cols + j] / maxAbs;
    }
  }
  return x;
}

/** out = X·Xᵀ for X of shape [n, len]; only the upper triangle is computed, so out is exactly symmetric. */
function rowGram(x: Float64Array, n: number, len: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const oi = i * len;
    for (let j = i; j < n; j++) {
      const oj = j * len;
      // Four accumulators break the add dependency chain (about 2× faster in V8); any summation order
      // keeps the γ_len error bound the safety factor relies on.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < len; k += 4) {
        s0 += x[oi + k] * x[oj + k];
        s1 += x[oi + k + 1] * x[oj + k + 1];
        s2 += x[oi + k + 2] * x[oj + k + 2];
        s3 += x[oi + k + 3] * x[oj + k + 3];
      }
      for (; k < len; k++) s0 += x[oi + k] * x[oj + k];
      const s = s0 + s1 + (s2 + s3);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
}

/** Divides the n × n matrix by its trace in place and returns that trace. */
function normaliseByTrace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  // A PSD matrix with a nonzero entry of X has trace ≥ 1 here, and B_k² has trace ≥ 1/n; a
  // non-positive trace means something upstream broke the invariants, and the bound would be void.
  if (!(t > 0) || !Number.isFinite(t)) {
    throw new Error(`spectralNormUpperBound: internal trace ${t} is not positive and finite`);
  }
  for (let i = 0; i < a.length; i++) a[i] /= t;
  return t;
}

function multiply(a: Float64Array, rows: number, cols: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[o + j] * v[j];
    out[i] = s;
  }
}

/** Scales v to unit norm; false (and v untouched) when v is zero. */
function normaliseInPlace(v: Float64Array): boolean {
  const norm = vectorNorm(v);
  if (norm === 0) return false;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return true;
}
