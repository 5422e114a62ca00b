import { featureSize, type BoundModel } from './boundNetwork';
import { boundEncoder, type AffineBound } from './encoderBound';
import { ABSOLUTE_SLACK } from './floatSlack';
import { partMaximiser, restNorm } from './jointParts';

/**
 * Lower bounds on the fused margins h_y − hₖ over an ℓ2 ball (docs/LOCAL-BOUND.md). The margin
 * is Σₘ (H_yᵐ − Hₖᵐ)·φᵐ(xᵐ) + (b_y − bₖ), so each modality's share is one functional on its
 * encoder's output, bounded by back-substitution through that encoder alone; the ball couples
 * them only at the end, through the dual norm.
 */

/** `joint`: ‖δ‖ = √Σₘ‖δᵐ‖² ≤ r; a number m: only modality m moves, ‖δᵐ‖ ≤ r. */
export type BoundTarget = 'joint' | number;

/** Lower bounds per competitor class k ≠ y (in class order), and the float slack already subtracted. */
export interface MarginLowerBounds {
  lower: Float64Array;
  slack: Float64Array;
}

/** The K − 1 classes a sample of label y competes with, in order. */
export const competitors = (K: number, y: number) => Array.from({ length: K - 1 }, (_, i) => (i < y ? i : i + 1));

/** Modality m's share of every margin of label y as functionals on φᵐ: one row (H_yᵐ − Hₖᵐ) per competitor. */
export function shareRows(model: BoundModel, m: number, y: number): Float64Array {
  const d = featureSize(model.encoders[m]);
  const H = model.head[m];
  const ks = competitors(model.classes, y);
  const rows = new Float64Array(ks.length * d);
  ks.forEach((k, i) => {
    for (let j = 0; j < d; j++) rows[i * d + j] = H[y * d + j] - H[k * d + j];
  });
  return rows;
}

/**
 * The rows are rounded differences, off by ≤ u·(|H_y| + |Hₖ|), times |φ| ≤ outputMax; as the
 * bound's γ > u, adding that product to its magnitude covers it. In place; returns b.
 */
export function withRowRounding(model: BoundModel, m: number, y: number, b: AffineBound): AffineBound {
  const d = featureSize(model.encoders[m]);
  const H = model.head[m];
  competitors(model.classes, y).forEach((k, i) => {
    for (let j = 0; j < d; j++) b.mag[i] += (Math.abs(H[y * d + j]) + Math.abs(H[k * d + j])) * b.outputMax[j];
  });
  return b;
}

/** Modality m's share of every margin of label y, over ‖xᵐ − x₀ᵐ‖ ≤ ρ, with CROWN's slopes. */
export function shareBound(model: BoundModel, m: number, x0: Float64Array, y: number, rho: number): AffineBound {
  const rows = shareRows(model, m, y);
  return withRowRounding(model, m, y, boundEncoder(model.encoders[m], x0, rho, rows, model.classes - 1));
}

/** Joint ball: every share bounded with radius r (each ‖δᵐ‖ ≤ r), concretised together: Σ valueₘ − r·√Σ normₘ². */
export function jointMargins(model: BoundModel, shares: AffineBound[], y: number, r: number): MarginLowerBounds {
  return combine(
    model,
    shares,
    y,
    (row) => r * Math.sqrt(shares.reduce((sq, s) => sq + s.norm[row] * s.norm[row], 0)),
    () => r,
  );
}

/**
 * One part of the joint ball of radius r (jointParts.ts): modality 0 within ρ₀ (its share bounded
 * with radius ρ₀), the others together within ρ₁ (each share bounded with radius ρ₁). The dual
 * term is the largest t₀·N₀ + t₁·N_rest over the part, exact (partMaximiser).
 */
export function jointPartMargins(
  model: BoundModel,
  shares: AffineBound[],
  y: number,
  r: number,
  rho: [number, number],
): MarginLowerBounds {
  return combine(
    model,
    shares,
    y,
    (row) => {
      const [n0, n1] = [shares[0].norm[row], restNorm(shares, row)];
      const [t0, t1] = partMaximiser(n0, n1, rho, r);
      return t0 * n0 + t1 * n1;
    },
    (m) => rho[m === 0 ? 0 : 1],
  );
}

/** Only modality m moves: its share bounded with radius r, the others' (`centre`, bounded with ρ = 0) fixed. */
export function singleMargins(
  model: BoundModel,
  m: number,
  share: AffineBound,
  centre: AffineBound[],
  y: number,
  r: number,
): MarginLowerBounds {
  const shares = centre.map((c, i) => (i === m ? share : c));
  return combine(
    model,
    shares,
    y,
    (row) => r * share.norm[row],
    (i) => (i === m ? r : 0),
  );
}

/**
 * Σₘ valueₘ + (b_y − bₖ) − dual, minus the slack: each share's γ·(S + |value| + ρₘ·norm) and
 * the last sum's own rounding. `dual(row)`: the ball's dual term; `shareRadius(m)`: the radius
 * share m was bounded with (0 for a share held at its centre).
 */
function combine(
  model: BoundModel,
  shares: AffineBound[],
  y: number,
  dual: (row: number) => number,
  shareRadius: (m: number) => number,
): MarginLowerBounds {
  const ks = competitors(model.classes, y);
  const lower = new Float64Array(ks.length);
  const slack = new Float64Array(ks.length);
  const gammaMax = Math.max(...shares.map((s) => s.gamma));
  ks.forEach((k, i) => {
    const bias = model.bias[y] - model.bias[k];
    const t = dual(i);
    let value = bias;
    let sl = ABSOLUTE_SLACK + gammaMax * (Math.abs(bias) + t);
    shares.forEach((s, m) => {
      value += s.value[i];
      sl += s.gamma * (s.mag[i] + Math.abs(s.value[i]) + shareRadius(m) * s.norm[i]);
    });
    slack[i] = sl;
    lower[i] = value - t - sl;
  });
  return { lower, slack };
}

/** One-shot convenience: every margin's lower bound for one sample (x per modality), label y, radius r. */
export function marginLowerBounds(
  model: BoundModel,
  x: Float64Array[],
  y: number,
  r: number,
  target: BoundTarget,
): MarginLowerBounds {
  if (target === 'joint')
    return jointMargins(
      model,
      x.map((xm, m) => shareBound(model, m, xm, y, r)),
      y,
      r,
    );
  const centre = x.map((xm, m) => shareBound(model, m, xm, y, m === target ? r : 0));
  return singleMargins(model, target, centre[target], centre, y, r);
}
