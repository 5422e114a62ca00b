/**
 * Exact dyadic rationals n·2^e with BigInt n: every float64 is one, and sums and products of
 * them stay exact. For checking float64 bounds against the exact value of the same expression.
 */
export interface Dyadic {
  n: bigint;
  e: number;
}

const view = new DataView(new ArrayBuffer(8));

export function dyadic(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new Error(`dyadic: ${x} is not finite`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Normal: (2^52 + m)·2^(exp − 1075); subnormal: m·2^−1074.
  return exp === 0 ? { n: sign * mant, e: -1074 } : { n: sign * ((1n << 52n) | mant), e: exp - 1075 };
}

export const ZERO: Dyadic = { n: 0n, e: 0 };

export function add(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.e, b.e);
  return { n: (a.n << BigInt(a.e - e)) + (b.n << BigInt(b.e - e)), e };
}

export const neg = (a: Dyadic): Dyadic => ({ n: -a.n, e: a.e });
export const sub = (a: Dyadic, b: Dyadic) => add(a, neg(b));
export const mul = (a: Dyadic, b: Dyadic): Dyadic => ({ n: a.n * b.n, e: a.e + b.e });
export const sign = (a: Dyadic) => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);

/** a ≤ b exactly. */
export const lessOrEqual = (a: Dyadic, b: Dyadic) => sign(sub(a, b)) <= 0;

export const dot = (a: Dyadic[], b: Dyadic[]) => a.reduce((s, v, i) => add(s, mul(v, b[i])), ZERO);
