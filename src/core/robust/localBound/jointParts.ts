import type { AffineBound } from './encoderBound';

/**
 * The joint ball ‖δ‖ ≤ r covered in n parts by how the budget splits between modality 0 and the
 * others (docs/LOCAL-BOUND.md §2): with θ = asin(‖δ⁰‖/r), part p holds θ ∈ [θ_p, θ_{p+1}],
 * θ_p = (π/2)·p/n, so there ‖δ⁰‖ ≤ r·sin θ_{p+1} and ‖δ^{rest}‖ = r·cos θ ≤ r·cos θ_p. Each
 * encoder is then relaxed over a smaller ball than r, which makes far fewer neurons unstable when
 * the budget goes mostly to one side; jointPartMargins (marginBound.ts) bounds the margins there.
 */

/** Part p of n: [radius of modality 0, radius of the others together], widened by 1e-12 (at most to r) so that the parts' union covers the ball in floating point too. */
export function partRadii(r: number, p: number, n: number): [number, number] {
  const theta = (q: number) => (Math.PI / 2) * (q / n);
  const widen = (v: number) => Math.min(r, v * (1 + 1e-12));
  return [p + 1 === n ? r : widen(r * Math.sin(theta(p + 1))), p === 0 ? r : widen(r * Math.cos(theta(p)))];
}

/**
 * The point (t₀, t₁) of the part {t₀ ≤ ρ₀, t₁ ≤ ρ₁, t₀² + t₁² ≤ r², t ≥ 0} where t₀·n₀ + t₁·n₁ is
 * largest: the ball's maximiser r·(n₀, n₁)/‖n‖ when it fits, else on the edge it crosses (the
 * objective rises along the arc up to the ball's maximiser, so the best feasible point is where
 * the arc meets that edge, or the box's corner when the corner is inside the ball).
 */
export function partMaximiser(n0: number, n1: number, rho: [number, number], r: number): [number, number] {
  const n = Math.hypot(n0, n1);
  const [t0, t1] = n > 0 ? [(r * n0) / n, (r * n1) / n] : [0, 0];
  const rest = (t: number) => Math.sqrt(Math.max(0, r * r - t * t));
  if (t0 > rho[0]) return [rho[0], Math.min(rho[1], rest(rho[0]))];
  if (t1 > rho[1]) return [Math.min(rho[0], rest(rho[1])), rho[1]];
  return [t0, t1];
}

/** d(dual term)/dΛ_in = scale·Λ_in per share and row, for jointPartMargins's dual term. */
export function partScales(b: AffineBound[], rho: [number, number], r: number): Float64Array[] {
  const rows = b[0].norm.length;
  const scales = b.map(() => new Float64Array(rows));
  for (let i = 0; i < rows; i++) {
    const n0 = b[0].norm[i];
    const n1 = restNorm(b, i);
    const [t0, t1] = partMaximiser(n0, n1, rho, r);
    b.forEach((_, m) => (scales[m][i] = m === 0 ? (n0 > 0 ? t0 / n0 : 0) : n1 > 0 ? t1 / n1 : 0));
  }
  return scales;
}

/** √Σ_{m>0} Nₘ² of row i: the dual norm of the modalities other than 0 together. */
export const restNorm = (b: AffineBound[], i: number) =>
  Math.sqrt(b.reduce((sq, s, m) => (m > 0 ? sq + s.norm[i] * s.norm[i] : sq), 0));
