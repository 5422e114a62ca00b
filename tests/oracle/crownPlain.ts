/**
 * Independent plain-array oracles for the local bound, written from docs/LOCAL-BOUND.md without
 * the production code's windows, blocks or float slack: every layer is a dense matrix (a
 * convolution or pooling is first written out as one by `convMatrix` / `poolMatrix`).
 */

import { norm, type Matrix } from './plain';

export type PlainActivation = 'relu' | 'leakyRelu' | 'tanh';

export interface PlainLayer {
  /** [out][in]. */
  W: Matrix;
  b: number[];
  act: PlainActivation;
}

export interface PlainModel {
  encoders: PlainLayer[][];
  /** Hᵐ [K][dₘ]. */
  H: Matrix[];
  bias: number[];
}

const ALPHA = 0.1;

export const act = (a: PlainActivation, z: number) =>
  a === 'tanh' ? Math.tanh(z) : z >= 0 ? z : a === 'relu' ? 0 : ALPHA * z;

export function forwardPlain(model: PlainModel, x: number[][]): number[] {
  const feats = model.encoders.map((layers, m) =>
    layers.reduce(
      (a, l) =>
        l.W.map((row, o) =>
          act(
            l.act,
            row.reduce((s, w, j) => s + w * a[j], l.b[o]),
          ),
        ),
      x[m],
    ),
  );
  return model.bias.map(
    (b, k) => b + model.H.reduce((s, H, m) => s + H[k].reduce((t, h, j) => t + h * feats[m][j], 0), 0),
  );
}

/** A 3×3 'same' convolution (kernel [3][3][cin][cout]) on an h×w×cin grid, HWC order, as a dense matrix. */
export function convMatrix(kernel: number[], h: number, w: number, cin: number, cout: number): Matrix {
  const A: Matrix = Array.from({ length: h * w * cout }, () => new Array(h * w * cin).fill(0));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let co = 0; co < cout; co++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            if (y + dy < 0 || y + dy >= h || x + dx < 0 || x + dx >= w) continue;
            for (let ci = 0; ci < cin; ci++)
              A[(y * w + x) * cout + co][((y + dy) * w + x + dx) * cin + ci] =
                kernel[(((dy + 1) * 3 + dx + 1) * cin + ci) * cout + co];
          }
  return A;
}

/** 2×2 average pooling, stride 2, as a dense matrix. */
export function poolMatrix(h: number, w: number, c: number): Matrix {
  const oh = Math.floor(h / 2);
  const ow = Math.floor(w / 2);
  const A: Matrix = Array.from({ length: oh * ow * c }, () => new Array(h * w * c).fill(0));
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let ch = 0; ch < c; ch++)
        for (const [i, j] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ])
          A[(y * ow + x) * c + ch][((2 * y + i) * w + 2 * x + j) * c + ch] = 0.25;
  return A;
}

interface Line {
  k: number;
  t: number;
}

/** The doc's relaxation: lower and upper lines of σ on [l, u]. */
export function plainRelaxation(a: PlainActivation, l: number, u: number): { lo: Line; up: Line } {
  if (a !== 'tanh') {
    const alpha = a === 'relu' ? 0 : ALPHA;
    if (l >= 0) return { lo: { k: 1, t: 0 }, up: { k: 1, t: 0 } };
    if (u <= 0) return { lo: { k: alpha, t: 0 }, up: { k: alpha, t: 0 } };
    const kUp = (u - alpha * l) / (u - l);
    return { lo: { k: u >= -l ? 1 : alpha, t: 0 }, up: { k: kUp, t: u - kUp * u } };
  }
  const kUp = tanhUpSlope(l, u);
  const kLo = tanhUpSlope(-u, -l);
  return { lo: { k: kLo, t: extreme(l, u, kLo, -1) }, up: { k: kUp, t: extreme(l, u, kUp, 1) } };
}

const dtanh = (z: number) => 1 - Math.tanh(z) ** 2;

function tanhUpSlope(l: number, u: number): number {
  if (u - l <= 1e-9 * (1 + Math.abs(l) + Math.abs(u)) || l >= 0) return dtanh((l + u) / 2);
  const chord = (Math.tanh(u) - Math.tanh(l)) / (u - l);
  if (u <= 0) return chord;
  // Tangent at d > 0 passing through (l, tanh l), found by bisection; the chord when d ≥ u.
  const g = (d: number) => Math.tanh(d) + dtanh(d) * (l - d) - Math.tanh(l);
  if (g(u) <= 0) return chord;
  let lo = 0;
  let hi = u;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) > 0) hi = mid;
    else lo = mid;
  }
  return dtanh(hi);
}

/** max (sign 1) or min (−1) of tanh(z) − k z on [l, u], by ternary search on each monotone piece. */
function extreme(l: number, u: number, k: number, sign: number): number {
  const f = (z: number) => sign * (Math.tanh(z) - k * z);
  // tanh(z) − kz has at most two stationary points; sampling finds the right piece, then refine.
  const n = 2000;
  let best = l;
  for (let i = 0; i <= n; i++) {
    const z = l + ((u - l) * i) / n;
    if (f(z) > f(best)) best = z;
  }
  let a = Math.max(l, best - (u - l) / n);
  let b = Math.min(u, best + (u - l) / n);
  for (let i = 0; i < 200; i++) {
    const m1 = a + (b - a) / 3;
    const m2 = b - (b - a) / 3;
    if (f(m1) < f(m2)) a = m1;
    else b = m2;
  }
  return sign * Math.max(f(best), f((a + b) / 2));
}

/** CROWN through one encoder: rows λ on layer s's pre-activation (or, `after`, its activation) pushed to the input. */
function backSub(layers: PlainLayer[], rel: { lo: Line; up: Line }[][], lam: number[], s: number, after: boolean) {
  let L = [...lam];
  let c = 0;
  for (let t = s; t >= 0; t--) {
    if (t < s || after)
      L = L.map((v, j) => {
        const line = v >= 0 ? rel[t][j].lo : rel[t][j].up;
        c += v * line.t;
        return v * line.k;
      });
    c += L.reduce((acc, v, o) => acc + v * layers[t].b[o], 0);
    L = layers[t].W[0].map((_, j) => L.reduce((acc, v, o) => acc + v * layers[t].W[o][j], 0));
  }
  return { L, c };
}

/** Every layer's relaxation over ‖x − x₀‖ ≤ ρ, layer by layer. */
export function plainRelaxations(layers: PlainLayer[], x0: number[], rho: number): { lo: Line; up: Line }[][] {
  const rel: { lo: Line; up: Line }[][] = [];
  layers.forEach((layer, s) => {
    rel.push(
      layer.b.map((_, i) => {
        const bound = (sign: number) => {
          const e = layer.b.map((__, j) => (j === i ? sign : 0));
          const { L, c } = backSub(layers, rel, e, s, false);
          return c + L.reduce((acc, v, j) => acc + v * x0[j], 0) - rho * norm(L);
        };
        return plainRelaxation(layer.act, bound(1), -bound(-1));
      }),
    );
  });
  return rel;
}

/** CROWN lower bounds of h_y − hₖ for every k ≠ y: joint ball (target 'joint') or modality m alone. */
export function plainMarginBounds(
  model: PlainModel,
  x0: number[][],
  y: number,
  r: number,
  target: 'joint' | number,
): number[] {
  const M = model.encoders.length;
  const rels = model.encoders.map((layers, m) =>
    plainRelaxations(layers, x0[m], target === 'joint' || target === m ? r : 0),
  );
  const out: number[] = [];
  for (let k = 0; k < model.bias.length; k++) {
    if (k === y) continue;
    let value = model.bias[y] - model.bias[k];
    const sq: number[] = [];
    for (let m = 0; m < M; m++) {
      const layers = model.encoders[m];
      const lam = model.H[m][y].map((h, j) => h - model.H[m][k][j]);
      const { L, c } = backSub(layers, rels[m], lam, layers.length - 1, true);
      value += c + L.reduce((acc, v, j) => acc + v * x0[m][j], 0);
      if (target === 'joint' || target === m) sq.push(norm(L) ** 2);
    }
    out.push(value - r * Math.sqrt(sq.reduce((a, b) => a + b, 0)));
  }
  return out;
}
