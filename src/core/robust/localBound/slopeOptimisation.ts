import type { BackOptions, BackSubstitution, Centre, LayerState, SplitMultiplier } from './backSubstitution';
import type { EncoderNet, LinearOp } from './boundNetwork';
import { gramTimes } from './firstLayerGram';
import { forwardOp, type Block } from './linearOps';
import { LEAKY_RELU_SLOPE } from '../../model/activationNames';

/**
 * α-CROWN on the margin rows (Xu et al., 2021; docs/LOCAL-BOUND.md): the lower slope of an
 * unstable ReLU or leaky ReLU may be any k in [α, 1] (k·z ≤ σ(z) for all z), so each margin row
 * gets its own slopes, moved by projected Adam ascent on its lower bound. Every iterate is a
 * valid bound, so a row counts as certified as soon as any iterate is positive. Intermediate
 * bounds keep CROWN's slopes (optimising them too would multiply the cost by the iterations).
 */
export interface SlopeSearch {
  /** Gradient steps after CROWN's own bound; 0 turns the search off. */
  iterations: number;
  learningRate: number;
}

export const DEFAULT_SLOPE_SEARCH: SlopeSearch = { iterations: 10, learningRate: 0.1 };

/** One back-substitution whose lower slopes may move: it crosses the relaxations of layers 0 … depth − 1. */
export interface SlopeProblem<B extends BackSubstitution> {
  net: EncoderNet;
  states: LayerState[];
  centre: Centre;
  depth: number;
  /** Back-substitutes the rows with the given slopes (recording its trace when asked). */
  bound: (o: BackOptions) => B;
  /** Branch-and-bound splits on this encoder: each gets a multiplier β ≥ 0 per row (β-CROWN), optimised with the slopes. */
  splits?: { layer: number; neuron: number; side: 1 | -1 }[];
}

/**
 * Maximises every row's lower bound (`combine` turns the problems' bounds into the rows' lower
 * bounds and their dual norms). Returns per row the best lower bound seen, CROWN's own slopes
 * first, and the last slopes, to start the next search from (`warm`, e.g. the previous radius of
 * a bisection). Stops early once every row is positive or `done`.
 */
export function searchSlopes<B extends BackSubstitution>(
  problems: SlopeProblem<B>[],
  rowCount: number,
  combine: (bounds: B[]) => {
    lower: Float64Array;
    dualNorm: Float64Array;
    radius: number;
    /** Per problem and row, d(−dual term)/dΛ_in = −scale·Λ_in; default radius/dualNorm for every problem. */
    scales?: Float64Array[];
  },
  done: boolean[],
  search: SlopeSearch,
  warm?: Float64Array[][],
): { best: Float64Array; slopes: Float64Array[][] } {
  const best = new Float64Array(rowCount).fill(-Infinity);
  const slopes = problems.map((p) => p.states.slice(0, p.depth).map((st) => tile(st.relax.kLo, rowCount)));
  const masks = problems.map((p) =>
    p.states.slice(0, p.depth).map((st, t) => optimisable(p.net, t, st.lower, st.upper)),
  );
  const betas = problems.map((p) =>
    (p.splits ?? []).filter((sp) => sp.layer < p.depth).map((sp) => ({ ...sp, coef: new Float64Array(rowCount) })),
  );
  const moments = (a: Float64Array) => ({ m: new Float64Array(a.length), v: new Float64Array(a.length) });
  const adam = slopes.map((perLayer) => perLayer.map(moments));
  const adamBeta = betas.map((perSplit) => perSplit.map((b) => moments(b.coef)));
  for (let it = 0; ; it++) {
    const traces = problems.map(() => [] as Block[]);
    const bounds = problems.map((p, i) => p.bound({ slopes: slopes[i], trace: traces[i], beta: betas[i] }));
    const c = combine(bounds);
    for (let r = 0; r < rowCount; r++) best[r] = Math.max(best[r], c.lower[r]);
    if (best.every((v, r) => v > 0 || done[r]) || it >= search.iterations) return { best, slopes };
    if (it === 0 && warm) {
      // Unstable neurons take the slopes the last search ended with; stable ones keep their exact line.
      slopes.forEach((perLayer, i) =>
        perLayer.forEach((a, t) => {
          const n = masks[i][t].length;
          for (let j = 0; j < a.length; j++) if (masks[i][t][j % n]) a[j] = warm[i][t][j];
        }),
      );
      continue;
    }
    problems.forEach((p, i) => {
      const scale = c.scales?.[i] ?? Float64Array.from(c.dualNorm, (d) => (d > 0 ? c.radius / d : 0));
      const grad = slopeGradient(p, bounds[i], traces[i], slopes[i], masks[i], betas[i], scale);
      slopes[i].forEach((a, t) => {
        const n = masks[i][t].length;
        adamStep(
          a,
          grad.slopes[t],
          adam[i][t],
          it + 1,
          search.learningRate,
          minSlope(p.net, t),
          1,
          (j) => masks[i][t][j % n] === 1,
        );
      });
      betas[i].forEach((b, k) =>
        adamStep(b.coef, grad.beta[k], adamBeta[i][k], it + 1, search.learningRate, 0, Infinity),
      );
    });
  }
}

const tile = (v: Float64Array, rows: number) => {
  const out = new Float64Array(v.length * rows);
  for (let r = 0; r < rows; r++) out.set(v, r * v.length);
  return out;
};

/** Neurons whose lower slope may move: unstable, under a piecewise-linear activation. */
function optimisable(net: EncoderNet, t: number, lower: Float64Array, upper: Float64Array): Uint8Array {
  const pl = net.layers[t].activation !== 'tanh';
  return Uint8Array.from(lower, (l, j) => (pl && l < 0 && upper[j] > 0 ? 1 : 0));
}

const minSlope = (net: EncoderNet, t: number) => (net.layers[t].activation === 'relu' ? 0 : LEAKY_RELU_SLOPE);

/**
 * d(lower bound)/d(slope) per row and neuron. The bound is value − (dual term) with
 * value = Λ_in·x₀ + c and d(dual term)/dΛ_in = scale·Λ_in (scale = radius/dualNorm for one ball);
 * walking the back-substitution forwards, G = d bound / dΛ starts at the input as
 * x₀ − scale·Λ_in, passes each op as A·G + b and each relaxation as
 * G·k + t, and a lower slope kⱼ used by row r gets G_j·Λ_post,j.
 */
export function slopeGradient(
  p: SlopeProblem<BackSubstitution>,
  b: BackSubstitution,
  trace: Block[],
  slopes: Float64Array[],
  masks: Uint8Array[],
  betas: SplitMultiplier[],
  scale: Float64Array,
): { slopes: Float64Array[]; beta: Float64Array[] } {
  const { net, states, centre } = p;
  const grads = slopes.map((s) => new Float64Array(s.length));
  const betaGrads = betas.map(() => new Float64Array(b.input.rows));
  const gram = b.atFirstLayer ? centre.gram : null;
  const lam = gram ? new Float64Array(gram.width) : null;
  for (let r = 0; r < b.input.rows; r++) {
    let g: Float64Array;
    if (gram) {
      // Already through the first layer: W·(x₀ − s·WᵀΛ) + b = z₀ + b − s·G·Λ.
      lam!.set(b.input.lambda.subarray(r * gram.width, (r + 1) * gram.width));
      g = new Float64Array(gram.width);
      gramTimes(gram, lam!, g);
      const op = net.layers[0].ops[0] as Extract<LinearOp, { kind: 'dense' }>;
      for (let j = 0; j < g.length; j++) g[j] = centre.z0![j] + op.bias[j] - scale[r] * g[j];
    } else {
      g = Float64Array.from(centre.x0);
      forEachInBox(b.input, r, (j, l) => (g[j] -= scale[r] * l));
    }
    for (let t = 0; t < p.depth; t++) {
      if (t > 0 || !gram) for (const op of net.layers[t].ops) g = forwardOp(op, g);
      // The rows' coefficient on zⱼ moved by −side·β, so d bound/dβ = −side·(zⱼ at the minimiser).
      betas.forEach((sp, k) => sp.layer === t && (betaGrads[k][r] = -sp.side * g[sp.neuron]));
      const n = g.length;
      const { kUp, tLo, tUp } = states[t].relax;
      const post = new Float64Array(n);
      forEachInBox(trace[t], r, (j, lam) => (post[j] = lam));
      for (let j = 0; j < n; j++) {
        const lower = post[j] >= 0;
        if (lower && masks[t][j]) grads[t][r * n + j] = g[j] * post[j];
        g[j] = lower ? g[j] * slopes[t][r * n + j] + tLo[j] : g[j] * kUp[j] + tUp[j];
      }
    }
  }
  return { slopes: grads, beta: betaGrads };
}

/** Calls f(index on the grid, coefficient) for row r's entries inside the block's box. */
function forEachInBox(blk: Block, r: number, f: (j: number, lam: number) => void): void {
  const { box, grid } = blk;
  const c = grid.c;
  const size = box.h * box.w * c;
  for (let by = 0; by < box.h; by++)
    for (let bx = 0; bx < box.w; bx++)
      for (let ch = 0; ch < c; ch++)
        f(((box.y + by) * grid.w + box.x + bx) * c + ch, blk.lambda[r * size + (by * box.w + bx) * c + ch]);
}

const BETA1 = 0.9;
const BETA2 = 0.999;

/** One projected Adam ascent step on x (entries where `active` holds), clipped to [lo, hi]. */
function adamStep(
  x: Float64Array,
  g: Float64Array,
  state: { m: Float64Array; v: Float64Array },
  step: number,
  lr: number,
  lo: number,
  hi: number,
  active: (i: number) => boolean = () => true,
): void {
  const c1 = 1 - BETA1 ** step;
  const c2 = 1 - BETA2 ** step;
  const { m, v } = state;
  for (let i = 0; i < x.length; i++) {
    if (!active(i)) continue;
    m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
    v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
    const next = x[i] + (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-12);
    x[i] = Math.min(hi, Math.max(lo, next));
  }
}
