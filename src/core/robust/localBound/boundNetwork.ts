import type { Activation } from '../../model/activationNames';

/**
 * A trained model as plain float64 arrays, read back once (readBoundModel.ts), for the local
 * bound (docs/LOCAL-BOUND.md). Every node is an [H, W, C] grid flattened in HWC order, as tfjs
 * lays out NHWC rows; a feature vector is a 1×1×n grid.
 */
export interface Grid {
  h: number;
  w: number;
  c: number;
}

export const gridSize = (g: Grid) => g.h * g.w * g.c;

/** z = A·a + b for one of the lab's linear operators. Weights are the model's float32 values, held exactly in float64. */
export type LinearOp =
  | {
      kind: 'dense';
      in: Grid;
      out: Grid;
      /** Row-major [out, in]: row o is output o's weights. */
      weight: Float64Array;
      bias: Float64Array;
    }
  | {
      /** 3×3 convolution, stride 1, zero padding 1 ('same'). */
      kind: 'conv3x3';
      in: Grid;
      out: Grid;
      /** [3, 3, cin, cout], tfjs's layout. */
      kernel: Float64Array;
      bias: Float64Array;
    }
  | {
      /** 2×2 average pooling, stride 2, no padding (a trailing odd row or column is dropped). */
      kind: 'avgPool2';
      in: Grid;
      out: Grid;
    };

/** One pre-activation z = ops(a_prev) (composed in order) followed by its activation a = σ(z). */
export interface BoundLayer {
  ops: LinearOp[];
  activation: Activation;
}

/** An encoder φᵐ: input grid, then layers; the last layer's activations are the features. */
export interface EncoderNet {
  input: Grid;
  layers: BoundLayer[];
}

/**
 * The fused logits are affine in the features (spec §2): h(x) = Σₘ Hᵐ φᵐ(xᵐ) + b, with
 * Hᵐ = Wᵐ (joint head) or diag(aᵐ) W̃ᵐ (CRMT head, W̃ᵐ as the model applies it).
 */
export interface BoundModel {
  classes: number;
  encoders: EncoderNet[];
  /** Hᵐ, row-major [K, dₘ]. */
  head: Float64Array[];
  /** b, [K]. */
  bias: Float64Array;
}

export const layerOutput = (l: BoundLayer): Grid => l.ops[l.ops.length - 1].out;
export const featureSize = (e: EncoderNet) => gridSize(layerOutput(e.layers[e.layers.length - 1]));
