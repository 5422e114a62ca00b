import { gridSize, layerOutput, type EncoderNet } from './boundNetwork';
import {
  backSubstitute,
  type BackOptions,
  type BackSubstitution,
  type Centre,
  type LayerState,
} from './backSubstitution';
import { searchSlopes, type SlopeSearch } from './slopeOptimisation';
import { firstLayerGram, firstLayerProduct } from './firstLayerGram';
import { ABSOLUTE_SLACK, relativeSlack } from './floatSlack';
import { fullBox, magnitudeOp } from './linearOps';
import { activationValue, relaxLayer } from './relaxation';

/**
 * An encoder relaxed around one centre x₀ for one radius ρ (docs/LOCAL-BOUND.md): every layer's
 * pre-activations bounded over ‖x − x₀‖ ≤ ρ, layer by layer, each neuron by back-substituting
 * ±eᵢ to the input through the layers below (CROWN's intermediate bounds), then relaxed. The
 * costly part of a bound; the final rows (encoderBound.ts) reuse it.
 */
export interface EncoderRelaxation {
  net: EncoderNet;
  centre: Centre;
  rho: number;
  states: LayerState[];
  /** An upper bound on |φ(x)| over the ball, per feature. */
  outputMax: Float64Array;
  /** floatSlack's RELATIVE for this encoder. */
  gamma: number;
  /** A split left no input of the ball in the subdomain (some split neuron cannot take its side): nothing to bound. */
  empty: boolean;
}

/**
 * A branch of branch-and-bound: neuron `neuron` of layer `layer` held on one side of 0 (1: z ≥ 0,
 * −1: z ≤ 0). The two sides cover the ball, so a margin certified on both is certified on it;
 * within a side the neuron's activation is linear, so its relaxation is exact.
 */
export interface NeuronSplit {
  layer: number;
  neuron: number;
  side: 1 | -1;
}

/** The longest floating-point sum any bound of this encoder involves (for floatSlack's RELATIVE). */
export function longestSum(net: EncoderNet): number {
  let n = gridSize(net.input);
  for (const l of net.layers)
    for (const op of l.ops)
      n = Math.max(n, gridSize(op.in), gridSize(op.out), op.kind === 'conv3x3' ? 9 * op.out.c : 0);
  return n;
}

/**
 * Cost: layer s's 2·nₛ rows (±eᵢ) are back-substituted through layers s … 0; for a convolution
 * one pixel's rows at a time, on its receptive field only.
 */
export function relaxEncoder(
  net: EncoderNet,
  x0: Float64Array,
  rho: number,
  search?: SlopeSearch,
  splits: NeuronSplit[] = [],
): EncoderRelaxation {
  if (x0.length !== gridSize(net.input))
    throw new Error(`relaxEncoder: input has ${x0.length} values, expected ${gridSize(net.input)}`);
  if (!(rho >= 0)) throw new Error(`relaxEncoder: radius must be ≥ 0, got ${rho}`);
  const gamma = relativeSlack(longestSum(net));
  const gram = firstLayerGram(net);
  const centre: Centre = { x0, gram, z0: gram && firstLayerProduct(net, x0) };
  const states: LayerState[] = [];
  let inputMax: Float64Array = Float64Array.from(x0, (v) => Math.abs(v) + rho);
  for (let s = 0; s < net.layers.length; s++) {
    const layer = net.layers[s];
    const opMags: Float64Array[] = [];
    let v = inputMax;
    for (const op of layer.ops) opMags.push((v = magnitudeOp(op, v)));
    const { lower, upper } = preActivationBounds(net, s, states, opMags, centre, rho, gamma, search);
    for (const split of splits)
      if (split.layer === s) {
        const i = split.neuron;
        if (split.side > 0) lower[i] = Math.max(lower[i], 0);
        else upper[i] = Math.min(upper[i], 0);
        if (lower[i] > upper[i]) return { net, centre, rho, states, outputMax: inputMax, gamma, empty: true };
      }
    const relax = relaxLayer(layer.activation, lower, upper);
    const n = lower.length;
    const relaxMag = new Float64Array(n);
    inputMax = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Every slope used (CROWN's or optimised) is in [0, 1]: σ′ ≤ 1 for every activation offered.
      relaxMag[i] =
        Math.max(Math.abs(lower[i]), Math.abs(upper[i])) + Math.max(Math.abs(relax.tLo[i]), Math.abs(relax.tUp[i]));
      // Every activation is monotone, so |σ| is largest at an end of [l, u].
      inputMax[i] = Math.max(
        Math.abs(activationValue(layer.activation, lower[i])),
        Math.abs(activationValue(layer.activation, upper[i])),
      );
    }
    states.push({ lower, upper, relax, relaxMag, opMags });
  }
  return { net, centre, rho, states, outputMax: inputMax, gamma, empty: false };
}

/** Lower and upper bounds of layer s's pre-activations, each widened by its float slack. */
function preActivationBounds(
  net: EncoderNet,
  s: number,
  states: LayerState[],
  opMags: Float64Array[],
  centre: Centre,
  rho: number,
  gamma: number,
  search?: SlopeSearch,
): { lower: Float64Array; upper: Float64Array } {
  const grid = layerOutput(net.layers[s]);
  const n = gridSize(grid);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  // A dense layer's neurons are one block; a convolution's, one block per pixel (its receptive field).
  const perPixel = grid.h * grid.w > 1;
  const c = perPixel ? grid.c : n;
  for (let p = 0; p < (perPixel ? grid.h * grid.w : 1); p++) {
    const box = perPixel ? { y: Math.floor(p / grid.w), x: p % grid.w, h: 1, w: 1 } : fullBox(grid);
    const lambda = new Float64Array(2 * c * c);
    for (let i = 0; i < c; i++) {
      lambda[i * c + i] = 1;
      lambda[(c + i) * c + i] = -1;
    }
    const bound = (o: BackOptions = {}) =>
      backSubstitute(
        net,
        states,
        { rows: 2 * c, grid, box, lambda: Float64Array.from(lambda) },
        s,
        false,
        opMags,
        centre,
        o,
      );
    const lowerBounds = (b: BackSubstitution) =>
      Float64Array.from(b.value, (v, r) => {
        const t = rho * b.norm[r];
        return v - t - (gamma * (b.mag[r] + t) + ABSOLUTE_SLACK);
      });
    // Optimised slopes (when asked) for a dense layer above at least one activation: every row its own.
    const best =
      search && s > 0 && !perPixel
        ? searchSlopes(
            [{ net, states, centre, depth: s, bound }],
            2 * c,
            ([b]) => ({ lower: lowerBounds(b), dualNorm: b.norm, radius: rho }),
            new Array<boolean>(2 * c).fill(false),
            search,
          ).best
        : lowerBounds(bound());
    for (let i = 0; i < c; i++) {
      lower[p * c + i] = best[i];
      upper[p * c + i] = -best[c + i];
    }
  }
  return { lower, upper };
}
