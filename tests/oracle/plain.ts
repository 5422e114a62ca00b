/**
 * Independent plain-array implementations of the spec's formulas, written from CRMT-SPEC.md
 * without looking at the tfjs code: the oracles the unit tests compare against.
 */

export type Matrix = number[][];

export const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

export function crossEntropy(h: Matrix, y: number[]): number {
  return h.reduce((s, row, i) => s + logSumExp(row) - row[y[i]], 0) / h.length;
}

/** §4: mean over samples of log(Σₘ Σₖ≠y exp(zₖᵐ − z_yᵐ) + floor). */
export function marginTerm(z: Matrix[], y: number[], floor = 0): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const terms = floor > 0 ? [Math.log(floor)] : [];
    for (const zm of z) for (let k = 0; k < zm[i].length; k++) if (k !== y[i]) terms.push(zm[i][k] - zm[i][y[i]]);
    total += logSumExp(terms);
  }
  return total / y.length;
}

/** §8 mixup form, with the same floor inside the log as §4's term. */
export function mixupMarginTerm(z: Matrix[], ya: number[], yb: number[], lambda: number, floor = 0): number {
  let total = 0;
  for (let i = 0; i < ya.length; i++) {
    let sum = floor;
    for (const zm of z) {
      const target = lambda * zm[i][ya[i]] + (1 - lambda) * zm[i][yb[i]];
      for (let k = 0; k < zm[i].length; k++) if (k !== ya[i] && k !== yb[i]) sum += Math.exp(zm[i][k] - target);
    }
    total += Math.log(sum);
  }
  return total / ya.length;
}

/** §7: −mean of minₖ (or runner-up k) (h_y − hₖ)/√(Σₘ c²). */
export function step2Objective(h: Matrix, y: number[], c: Matrix[], choice: 'min' | 'runner-up'): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const K = h[i].length;
    const ratio = (k: number) => (h[i][y[i]] - h[i][k]) / Math.sqrt(c.reduce((s, cm) => s + cm[y[i]][k] ** 2, 0));
    const others = [...Array(K).keys()].filter((k) => k !== y[i]);
    if (choice === 'min') total += Math.min(...others.map(ratio));
    else total += ratio(others.reduce((best, k) => (h[i][k] > h[i][best] ? k : best), others[0]));
  }
  return -total / y.length;
}

/** §6 radii from logits and constants c[m][y][k]. */
export function radii(h: Matrix, y: number[], c: Matrix[]): { joint: number[]; per: number[][] } {
  const joint: number[] = [];
  const per: number[][] = c.map(() => []);
  h.forEach((row, i) => {
    const others = row.map((_, k) => k).filter((k) => k !== y[i]);
    const correct = others.every((k) => row[k] < row[y[i]]);
    joint.push(
      correct ? Math.min(...others.map((k) => (row[y[i]] - row[k]) / Math.hypot(...c.map((cm) => cm[y[i]][k])))) : 0,
    );
    c.forEach((cm, m) => per[m].push(correct ? Math.min(...others.map((k) => (row[y[i]] - row[k]) / cm[y[i]][k])) : 0));
  });
  return { joint, per };
}

export const matmul = (a: Matrix, b: Matrix): Matrix =>
  a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
export const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((r) => r[j]));

/** Symmetric eigen-decomposition by cyclic Jacobi (for (VVᵀ)^{-1/2}). */
export function jacobiEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const n = a.length;
  const A = a.map((r) => [...r]);
  const V: number[][] = A.map((_, i) => A.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(A[p][q]) < 1e-300) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k][p];
          const akq = A[k][q];
          A[k][p] = c * akp - s * akq;
          A[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p][k];
          const aqk = A[q][k];
          A[p][k] = c * apk - s * aqk;
          A[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k][p];
          const vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: A.map((r, i) => r[i]), vectors: V };
}

/** (V Vᵀ)^{-1/2} V through the eigen-decomposition of V Vᵀ. */
export function symmetricOrthogonalise(v: Matrix): Matrix {
  const { values, vectors } = jacobiEigen(matmul(v, transpose(v)));
  const inv = vectors.map((r) => r.map((x, j) => x / Math.sqrt(values[j])));
  return matmul(matmul(inv, transpose(vectors)), v);
}

export const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
