import { layerOutput, type EncoderNet } from './boundNetwork';
import { backSubstitute, type BackOptions } from './backSubstitution';
import { relaxEncoder, type EncoderRelaxation } from './encoderRelaxation';
import { fullBox, type Block } from './linearOps';
import type { SlopeProblem } from './slopeOptimisation';

/**
 * Linear functionals of an encoder's output bounded over a ball (docs/LOCAL-BOUND.md): for rows
 * Λ_out, min over ‖x − x₀‖ ≤ ρ′ of Λ_out·φ(x) ≥ value − ρ′·norm − slack for any ρ′ ≤ ρ (the
 * radius the encoder was relaxed for), slack = gamma·(mag + ρ′·norm) + ABSOLUTE_SLACK.
 */
export interface AffineBound {
  /** Λ_in·x₀ + c: the linear bound at the centre. */
  value: Float64Array;
  /** ‖Λ_in‖₂, the ℓ2 ball's dual norm. */
  norm: Float64Array;
  /** Magnitude S of every term summed (floatSlack.ts), the radius term excluded. */
  mag: Float64Array;
  /** An upper bound on |φ(x)| over the ball, per feature. */
  outputMax: Float64Array;
  /** floatSlack's RELATIVE for this encoder. */
  gamma: number;
}

/** Bounds row-major [rowCount, dₘ] functionals on φ's output with an encoder relaxed once. */
export function boundRows(
  enc: EncoderRelaxation,
  rows: Float64Array,
  rowCount: number,
  o: BackOptions = {},
): AffineBound & { input: Block; atFirstLayer: boolean } {
  const out = layerOutput(enc.net.layers[enc.net.layers.length - 1]);
  const block: Block = { rows: rowCount, grid: out, box: fullBox(out), lambda: Float64Array.from(rows) };
  const b = backSubstitute(enc.net, enc.states, block, enc.states.length - 1, true, [], enc.centre, o);
  return { ...b, outputMax: enc.outputMax, gamma: enc.gamma };
}

/** Relaxes the encoder for (x₀, ρ) and bounds the rows: one evaluation of the local bound. */
export function boundEncoder(
  net: EncoderNet,
  x0: Float64Array,
  rho: number,
  rows: Float64Array,
  rowCount: number,
): AffineBound {
  return boundRows(relaxEncoder(net, x0, rho), rows, rowCount);
}

/** The margin rows [rows, dₘ] of one moving modality, as a slope problem over its whole encoder. */
export function marginProblem(
  enc: EncoderRelaxation,
  rows: Float64Array,
  rowCount: number,
  splits?: SlopeProblem<ReturnType<typeof boundRows>>['splits'],
): SlopeProblem<ReturnType<typeof boundRows>> {
  return {
    splits,
    net: enc.net,
    states: enc.states,
    centre: enc.centre,
    depth: enc.states.length,
    bound: (o: BackOptions) => boundRows(enc, rows, rowCount, o),
  };
}
