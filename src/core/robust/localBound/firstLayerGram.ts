import { gridSize, type EncoderNet } from './boundNetwork';
import { relativeSlack } from './floatSlack';
import type { Block } from './linearOps';

/**
 * The ℓ2 ball's dual norm through a wide first dense layer z = W·x + b (n inputs → d outputs,
 * n > d), without forming Λ·W: ‖Λ·W‖² = Λ·(W·Wᵀ)·Λᵀ with the d×d Gram matrix G = W·Wᵀ formed
 * once per model, and Λ·W·x₀ = Λ·(W·x₀). Rows then cost d² instead of d·n: 12× less for a
 * 784-pixel input and 64 hidden units (docs/LOCAL-BOUND.md, "Cost").
 *
 * Float safety: with |G| ≤ Gabs = |W|·|W|ᵀ, the computed quadratic form is within
 * (γ_n + 2γ_{2d})·|Λ|·Gabs·|Λ|ᵀ of the exact ‖Λ·W‖², so the norm used is √(q + E) with E that
 * product scaled by floatSlack's RELATIVE for n + 2d terms: an upper bound, never below.
 */
export interface FirstLayerGram {
  /** d, the first layer's width. */
  width: number;
  gram: Float64Array;
  gramAbs: Float64Array;
  errorScale: number;
}

const cache = new WeakMap<EncoderNet, FirstLayerGram | null>();

/** The Gram form of the encoder's first layer, or null where it would not save work. */
export function firstLayerGram(net: EncoderNet): FirstLayerGram | null {
  if (cache.has(net)) return cache.get(net)!;
  const ops = net.layers[0].ops;
  const op = ops[0];
  let g: FirstLayerGram | null = null;
  if (ops.length === 1 && op.kind === 'dense' && gridSize(op.in) > gridSize(op.out)) {
    const n = gridSize(op.in);
    const d = gridSize(op.out);
    const gram = new Float64Array(d * d);
    const gramAbs = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        let s = 0;
        let a = 0;
        for (let k = 0; k < n; k++) {
          const p = op.weight[i * n + k] * op.weight[j * n + k];
          s += p;
          a += Math.abs(p);
        }
        gram[i * d + j] = gram[j * d + i] = s;
        gramAbs[i * d + j] = gramAbs[j * d + i] = a;
      }
    g = { width: d, gram, gramAbs, errorScale: relativeSlack(n + 2 * d) };
  }
  cache.set(net, g);
  return g;
}

/** ‖Λ_r·W‖ bounded from above for every row of a block on the first layer's (full) output. */
export function gramNorms(g: FirstLayerGram, blk: Block): Float64Array {
  const d = g.width;
  const norm = new Float64Array(blk.rows);
  const gl = new Float64Array(d);
  const al = new Float64Array(d);
  for (let r = 0; r < blk.rows; r++) {
    const lam = blk.lambda.subarray(r * d, (r + 1) * d);
    gl.fill(0);
    al.fill(0);
    for (let i = 0; i < d; i++) {
      const l = lam[i];
      if (l === 0) continue;
      const row = i * d;
      const la = Math.abs(l);
      for (let j = 0; j < d; j++) {
        gl[j] += l * g.gram[row + j];
        al[j] += la * g.gramAbs[row + j];
      }
    }
    let q = 0;
    let e = 0;
    for (let j = 0; j < d; j++) {
      q += lam[j] * gl[j];
      e += Math.abs(lam[j]) * al[j];
    }
    norm[r] = Math.sqrt(Math.max(q, 0) + g.errorScale * e);
  }
  return norm;
}

/** Λ_r·G for one row (the gradient of ‖Λ·W‖² / 2 in Λ), for the slope search. */
export function gramTimes(g: FirstLayerGram, lam: Float64Array, out: Float64Array): void {
  const d = g.width;
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const l = lam[i];
    if (l === 0) continue;
    for (let j = 0; j < d; j++) out[j] += l * g.gram[i * d + j];
  }
}

/** z₀ = W·x₀ (no bias) for the Gram form's Λ·W·x₀ = Λ·z₀. */
export function firstLayerProduct(net: EncoderNet, x0: Float64Array): Float64Array {
  const op = net.layers[0].ops[0];
  if (op.kind !== 'dense') throw new Error('firstLayerProduct: the first op is not dense');
  const n = x0.length;
  return Float64Array.from({ length: gridSize(op.out) }, (_, o) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += op.weight[o * n + j] * x0[j];
    return s;
  });
}
