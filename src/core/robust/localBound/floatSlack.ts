/**
 * The float64 safety margin of the local bound (docs/LOCAL-BOUND.md, "Sound in floating point").
 *
 * The bound is a sum of many products computed in float64. Rather than round every operation
 * outward, each bound carries a magnitude S: a computed upper bound on the sum of the absolute
 * values of every term that entered it (|Λ|·(|A|·|a|max + |b|) for each linear step, |Λ|·(|k|·|z|max + |t|)
 * for each relaxation, |Λ|·|x₀| and r·‖Λ‖ at the input). The standard bound on a floating-point
 * sum of n products, |fl(Σ) − Σ| ≤ γₙ·Σ|terms| with γₙ = n·u/(1 − n·u), applied to each step on
 * its own (the next step treats the rounded Λ as exact, so errors do not compound), gives
 * |computed − exact| ≤ γ_N·S for N the longest sum. The bound subtracts
 *
 *     slack = RELATIVE · S + ABSOLUTE,   RELATIVE = 2·(N + 16)·u,   u = 2⁻⁵³,
 *
 * i.e. twice γ_N plus room for the few additions that join the steps (at most 16 per bound for
 * the lab's depths) and for vectorNorm's ≤ (n/2 + 3)·u. ABSOLUTE covers gradual underflow: each
 * operation loses at most 2⁻¹⁰⁷⁵ there, so even 10¹⁰ operations lose < 1e-300.
 * For the lab's sizes (N ≤ 8192) RELATIVE ≤ 2e-12: far below anything a radius shows, and far
 * below the bisection's tolerance. Tests check it covers the real error (tests/core/localBoundFloat.test.ts).
 */

export const UNIT_ROUNDOFF = 2 ** -53;

export const ABSOLUTE_SLACK = 1e-290;

/** The relative slack for bounds whose longest floating-point sum has `longestSum` terms. */
export function relativeSlack(longestSum: number): number {
  return 2 * (longestSum + 16) * UNIT_ROUNDOFF;
}

/**
 * Outward rounding of one evaluation of an activation's relaxation intercept σ(c) − k·c at a
 * point c with |c| ≤ zMax: the product and difference round by u each, Math.tanh is within a
 * few ulps (V8's fdlibm port: < 1 ulp), and |σ(c)| ≤ 1 + |c|. Four units of each is generous.
 */
export function interceptSlack(k: number, zMax: number): number {
  return 4 * UNIT_ROUNDOFF * (1 + zMax * (1 + Math.abs(k)));
}
