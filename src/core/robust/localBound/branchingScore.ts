import type { EncoderRelaxation } from './encoderRelaxation';
import { boxIndex, boxSize, type Block } from './linearOps';

/**
 * Which unstable neuron branch-and-bound splits next (docs/LOCAL-BOUND.md §2). Splitting makes a
 * piecewise-linear neuron's relaxation exact on both sides, so the best split is the neuron whose
 * relaxation costs the failing margin rows the most.
 */

/** A neuron to split: its encoder (index among the moving ones), layer and index. */
export interface BranchPick {
  encoder: number;
  layer: number;
  neuron: number;
}

/**
 * `uncertain`: the largest triangle height −l·u/(u − l), whatever the rows. `intercept`
 * (BaBSR's main term, Bunel et al. 2020): the largest Σ over the failing rows of
 * max(0, −Λⱼ)·tUpⱼ, what the upper line's intercept takes from those rows' bounds, with Λ the
 * rows' coefficients on the neuron's activation (after slope optimisation).
 */
export type BranchingScore = 'uncertain' | 'intercept';

const splittable = (e: EncoderRelaxation, layer: number, l: number, u: number) =>
  e.net.layers[layer].activation !== 'tanh' && l < 0 && u > 0;

/** The neuron with the largest triangle height over the moving encoders; null when none is unstable. */
export function mostUncertain(encoders: EncoderRelaxation[]): BranchPick | null {
  return argmax(encoders, (e, _, layer, neuron) => {
    const [l, u] = [e.states[layer].lower[neuron], e.states[layer].upper[neuron]];
    return (-l * u) / (u - l);
  });
}

/**
 * The neuron whose upper intercept costs the failing rows most. `traces[i][t]`: encoder i's rows'
 * coefficients on layer t's activations (backSubstitution's trace); `failing`: which rows count.
 */
export function largestIntercept(
  encoders: EncoderRelaxation[],
  traces: Block[][],
  failing: boolean[],
): BranchPick | null {
  return argmax(encoders, (e, encoder, layer, neuron) => {
    const blk = traces[encoder][layer];
    const at = boxIndex(blk, neuron);
    if (at < 0) return 0;
    const size = boxSize(blk.box, blk.grid);
    let cost = 0;
    for (let r = 0; r < blk.rows; r++) if (failing[r]) cost += Math.max(0, -blk.lambda[r * size + at]);
    return cost * e.states[layer].relax.tUp[neuron];
  });
}

function argmax(
  encoders: EncoderRelaxation[],
  score: (e: EncoderRelaxation, encoder: number, layer: number, neuron: number) => number,
): BranchPick | null {
  let best: BranchPick | null = null;
  let top = 0;
  encoders.forEach((e, encoder) =>
    e.states.forEach((st, layer) => {
      for (let neuron = 0; neuron < st.lower.length; neuron++) {
        if (!splittable(e, layer, st.lower[neuron], st.upper[neuron])) continue;
        const s = score(e, encoder, layer, neuron);
        if (s > top) [top, best] = [s, { encoder, layer, neuron }];
      }
    }),
  );
  return best;
}
