import { vectorNorm } from '../spectralNorm';
import type { EncoderNet } from './boundNetwork';
import { gramNorms, type FirstLayerGram } from './firstLayerGram';
import { accumulate, accumulateBias, backOp, boxIndex, boxSize, type Block } from './linearOps';
import type { Relaxation } from './relaxation';

/**
 * One CROWN back-substitution (docs/LOCAL-BOUND.md): rows Λ on layer s of an encoder are pushed
 * to the input through each linear op (Λ ↦ Λ·A, constant += Λ·b) and each activation's
 * relaxation (Λ ↦ Λ⁺·kLo + Λ⁻·kUp, constant += Λ⁺·tLo + Λ⁻·tUp), giving Λ_in·x + c ≤ the rows'
 * value for every x in the ball the relaxations were built for. Summarised at the centre x₀.
 */

/** Pre-activation bounds and relaxation of one layer, for one centre and radius. */
export interface LayerState {
  lower: Float64Array;
  upper: Float64Array;
  relax: Relaxation;
  /** max(|kLo|, |kUp|)·max(|l|, |u|) + max(|tLo|, |tUp|): a relaxation step's float-error weight (floatSlack.ts). */
  relaxMag: Float64Array;
  /** Per op of the layer, |A|·|input|max + |b|: a linear step's float-error weight. */
  opMags: Float64Array[];
}

export interface BackSubstitution {
  /** Λ_in·x₀ + c per row. */
  value: Float64Array;
  /** ‖Λ_in‖₂ per row: the ℓ2 ball's dual norm. */
  norm: Float64Array;
  /** Magnitude S per row (floatSlack.ts), the radius term excluded. */
  mag: Float64Array;
  /** Λ_in itself: on the input, or on the first layer's output when `centre.gram` took the last step. */
  input: Block;
  atFirstLayer: boolean;
}

/** The ball's centre, and for a wide first dense layer its Gram form with z₀ = W·x₀ (firstLayerGram.ts). */
export interface Centre {
  x0: Float64Array;
  gram: FirstLayerGram | null;
  z0: Float64Array | null;
}

export interface BackOptions {
  /** Per layer, [rows × neurons] lower slopes replacing kLo where a row's coefficient is ≥ 0 (optimised slopes). */
  slopes?: Float64Array[];
  /** Filled per layer with the rows' coefficients on its activations, before relaxing (for slope gradients). */
  trace?: Block[];
  /** β-CROWN's split multipliers (slopeOptimisation.ts): row r's coefficient on split neuron j moves by −side·coef[r]. */
  beta?: SplitMultiplier[];
}

/**
 * On a branch where neuron j of layer t is held at side·zⱼ ≥ 0, Λ·φ ≥ Λ·φ − β·side·zⱼ for any
 * β ≥ 0, so subtracting β·side from the rows' coefficient on zⱼ keeps a lower bound on the branch
 * and lets the bound use the split's constraint (Wang et al. 2021). Rounding the subtraction only
 * moves β, never its sign.
 */
export interface SplitMultiplier {
  layer: number;
  neuron: number;
  side: 1 | -1;
  /** β ≥ 0 per row. */
  coef: Float64Array;
}

/**
 * Back-substitutes `block` (on layer s's output: after its activation when `afterActivation`,
 * else before it) to the input. `currentOpMags` stands in for layer s's op magnitudes while its
 * own state is still being built (bounding layer s itself).
 */
export function backSubstitute(
  net: EncoderNet,
  states: LayerState[],
  block: Block,
  s: number,
  afterActivation: boolean,
  currentOpMags: Float64Array[],
  centre: Centre,
  o: BackOptions = {},
): BackSubstitution {
  const value = new Float64Array(block.rows);
  const mag = new Float64Array(block.rows);
  let blk = block;
  for (let t = s; t >= 0; t--) {
    if (t < s || afterActivation) {
      if (o.trace) o.trace[t] = { ...blk, lambda: Float64Array.from(blk.lambda) };
      relaxBack(blk, states[t], value, mag, o.slopes?.[t]);
      for (const b of o.beta ?? []) if (b.layer === t) addSplitTerm(blk, b);
    }
    const ops = net.layers[t].ops;
    const mags = t < states.length ? states[t].opMags : currentOpMags;
    for (let i = ops.length - 1; i >= 0; i--) {
      accumulateBias(ops[i], blk, value);
      accumulate(blk, mags[i], mag, true);
      if (t === 0 && centre.gram) {
        // Λ·W·x₀ = Λ·z₀, whose rounding the op's magnitude (≥ |W|·|x₀|) already covers.
        accumulate(blk, centre.z0!, value, false);
        return { value, norm: gramNorms(centre.gram, blk), mag, input: blk, atFirstLayer: true };
      }
      blk = backOp(ops[i], blk);
    }
  }
  const x0 = centre.x0;
  accumulate(blk, x0, value, false);
  accumulate(
    blk,
    Float64Array.from(x0, (v) => Math.abs(v)),
    mag,
    true,
  );
  const size = boxSize(blk.box, blk.grid);
  const norm = new Float64Array(blk.rows);
  for (let r = 0; r < blk.rows; r++) norm[r] = vectorNorm(blk.lambda.subarray(r * size, (r + 1) * size));
  return { value, norm, mag, input: blk, atFirstLayer: false };
}

/** Row r's coefficient on the split neuron −= side·β_r (nothing when the neuron is outside the rows' window). */
function addSplitTerm(blk: Block, b: SplitMultiplier): void {
  const at = boxIndex(blk, b.neuron);
  if (at < 0) return;
  const size = boxSize(blk.box, blk.grid);
  for (let r = 0; r < blk.rows; r++) blk.lambda[r * size + at] -= b.side * b.coef[r];
}

/** Λ·σ(z) ≥ Λ⁺·(kLo z + tLo) + Λ⁻·(kUp z + tUp), in place: the rows move from a to z. */
function relaxBack(blk: Block, st: LayerState, value: Float64Array, mag: Float64Array, slopes?: Float64Array): void {
  const { box, grid, lambda } = blk;
  const { kLo, tLo, kUp, tUp } = st.relax;
  const n = kLo.length;
  const c = grid.c;
  const span = box.w * c;
  const size = boxSize(box, grid);
  for (let r = 0; r < blk.rows; r++) {
    let cst = 0;
    let m = 0;
    for (let by = 0; by < box.h; by++) {
      const li = r * size + by * span;
      const gi = ((box.y + by) * grid.w + box.x) * c;
      for (let j = 0; j < span; j++) {
        const l = lambda[li + j];
        if (l === 0) continue;
        const g = gi + j;
        if (l > 0) {
          lambda[li + j] = l * (slopes ? slopes[r * n + g] : kLo[g]);
          cst += l * tLo[g];
          m += l * st.relaxMag[g];
        } else {
          lambda[li + j] = l * kUp[g];
          cst += l * tUp[g];
          m -= l * st.relaxMag[g];
        }
      }
    }
    value[r] += cst;
    mag[r] += m;
  }
}
