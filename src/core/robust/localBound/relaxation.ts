import { LEAKY_RELU_SLOPE, type Activation } from '../../model/activationNames';
import { interceptSlack } from './floatSlack';

/**
 * Linear relaxations of the lab's activations (docs/LOCAL-BOUND.md, "Relaxations"): for a
 * pre-activation z known to lie in [l, u], two lines with
 *
 *     kLo·z + tLo ≤ σ(z) ≤ kUp·z + tUp   for every z ∈ [l, u].
 *
 * The slopes follow CROWN (Zhang et al., 2018): ReLU's upper line is the chord and its lower
 * slope is adaptive (1 when u ≥ −l, else 0); leaky ReLU likewise between α and 1; tanh takes a
 * tangent where σ is concave or convex over the whole interval and the chord on the other side,
 * and where the interval crosses 0 the tangent through the far endpoint. Whatever the slope k,
 * the intercept is then computed as the exact extreme of σ(z) − k·z over [l, u] (at an endpoint or
 * where σ′(z) = k), rounded outward, so a line is valid even if its slope came out slightly off.
 * A stable piecewise-linear neuron is exact (identity, zero or α·z), and so is the lower line k·z
 * of an unstable one for any k in [α, 1]: no rounding at all.
 */
export interface Relaxation {
  kLo: Float64Array;
  tLo: Float64Array;
  kUp: Float64Array;
  tUp: Float64Array;
}

export function activationValue(a: Activation, z: number): number {
  switch (a) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'leakyRelu':
      return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    case 'tanh':
      return Math.tanh(z);
  }
}

/** Relaxes every neuron of a layer whose pre-activations lie in [lower, upper] (elementwise). */
export function relaxLayer(a: Activation, lower: Float64Array, upper: Float64Array): Relaxation {
  const n = lower.length;
  const r: Relaxation = {
    kLo: new Float64Array(n),
    tLo: new Float64Array(n),
    kUp: new Float64Array(n),
    tUp: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) relaxNeuron(a, lower[i], upper[i], r, i);
  return r;
}

/** Writes neuron i's two lines into `out`. */
export function relaxNeuron(a: Activation, l: number, u: number, out: Relaxation, i: number): void {
  if (!(l <= u)) throw new Error(`relaxNeuron: empty or NaN interval [${l}, ${u}]`);
  if (a !== 'tanh') {
    const alpha = a === 'relu' ? 0 : LEAKY_RELU_SLOPE;
    if (l >= 0 || u <= 0) {
      // Stable: σ is the line itself on [l, u].
      const k = l >= 0 ? 1 : alpha;
      out.kLo[i] = out.kUp[i] = k;
      out.tLo[i] = out.tUp[i] = 0;
      return;
    }
    out.kUp[i] = (u - alpha * l) / (u - l);
    out.kLo[i] = u >= -l ? 1 : alpha;
    out.tUp[i] = interceptExtreme(a, l, u, out.kUp[i], 1);
    // k·z ≤ σ(z) for every z and every k in [α, 1], exactly: σ is convex with σ(0) = 0. So the
    // lower intercept is 0 for CROWN's slope and for any optimised one (slopeOptimisation.ts).
    out.tLo[i] = 0;
    return;
  } else {
    out.kUp[i] = tanhUpperSlope(l, u);
    // tanh is odd: its lower line on [l, u] mirrors the upper line on [−u, −l], with the same slope.
    out.kLo[i] = tanhUpperSlope(-u, -l);
  }
  out.tUp[i] = interceptExtreme(a, l, u, out.kUp[i], 1);
  out.tLo[i] = interceptExtreme(a, l, u, out.kLo[i], -1);
}

const tanhDerivative = (z: number) => {
  const t = Math.tanh(z);
  return 1 - t * t;
};

/** Below this width an interval is a point: the slope is the derivative at its middle. */
const POINT_WIDTH = 1e-9;

/** CROWN's upper-line slope for tanh on [l, u]; only a choice: the intercept makes the line valid. */
function tanhUpperSlope(l: number, u: number): number {
  if (u - l <= POINT_WIDTH * (1 + Math.abs(l) + Math.abs(u))) return tanhDerivative((l + u) / 2);
  // Concave on [0, ∞): a tangent lies above; the midpoint's is CROWN's choice.
  if (l >= 0) return tanhDerivative((l + u) / 2);
  const chord = (Math.tanh(u) - Math.tanh(l)) / (u - l);
  // Convex on (−∞, 0]: the chord lies above.
  if (u <= 0) return chord;
  // Crossing 0: the line through (l, tanh l) tangent at some d > 0, unless d is beyond u (then the
  // chord). g(d) = tanh d + tanh′(d)(l − d) − tanh l increases with d on (0, ∞) (g′ = tanh″(d)(l − d) > 0).
  const tl = Math.tanh(l);
  const g = (d: number) => Math.tanh(d) + tanhDerivative(d) * (l - d) - tl;
  if (g(u) <= 0) return chord;
  let lo = 0;
  let hi = u;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (g(mid) > 0) hi = mid;
    else lo = mid;
  }
  return tanhDerivative(hi);
}

/**
 * max (sign = 1) or min (sign = −1) of σ(z) − k·z over [l, u], rounded outward. The extremes
 * of this differentiable-or-kinked function lie at the endpoints, at ReLU's kink 0, or for tanh
 * where tanh′(z) = k, i.e. z = ±atanh(√(1 − k)) for 0 < k ≤ 1.
 */
function interceptExtreme(a: Activation, l: number, u: number, k: number, sign: 1 | -1): number {
  const f = (z: number) => activationValue(a, z) - k * z;
  let best = sign * Math.max(sign * f(l), sign * f(u));
  const consider = (z: number) => {
    if (z > l && z < u) {
      const v = f(z);
      if (sign * v > sign * best) best = v;
    }
  };
  if (a !== 'tanh') consider(0);
  else if (k > 0 && k <= 1) {
    const z = Math.atanh(Math.sqrt(1 - k));
    consider(z);
    consider(-z);
  }
  return best + sign * interceptSlack(k, Math.max(Math.abs(l), Math.abs(u)));
}
