import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { activate, type Activation } from './activation';
import { glorotUniform, variableFrom } from './init';

export interface MlpEncoderSpec {
  kind: 'mlp';
  /** Hidden widths; the last one is the feature dimension dₘ. */
  widths: number[];
  activation: Activation;
}

export interface Encoder {
  readonly outDim: number;
  /** Named, in layer order: `<prefix>.l<i>.weight` [in, out] and `<prefix>.l<i>.bias` [out]. */
  readonly params: Map<string, tf.Variable>;
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/** φᵐ: every layer is followed by the activation, the last one included, as in late-fusion MLPs. */
export function createMlpEncoder(prefix: string, inDim: number, spec: MlpEncoderSpec, rng: Rng): Encoder {
  if (spec.widths.length === 0) throw new Error(`Encoder ${prefix}: an MLP needs at least one layer width.`);
  const params = new Map<string, tf.Variable>();
  const layers: { w: tf.Variable; b: tf.Variable }[] = [];
  let fanIn = inDim;
  spec.widths.forEach((width, i) => {
    const w = variableFrom(glorotUniform(fanIn, width, rng), [fanIn, width], `${prefix}.l${i}.weight`);
    const b = variableFrom(new Float32Array(width), [width], `${prefix}.l${i}.bias`);
    params.set(w.name, w);
    params.set(b.name, b);
    layers.push({ w, b });
    fanIn = width;
  });
  return {
    outDim: fanIn,
    params,
    apply: (x) =>
      tf.tidy(() =>
        layers.reduce<tf.Tensor2D>(
          (h, l) => activate(tf.add(tf.matMul(h, l.w as tf.Tensor2D), l.b), spec.activation),
          x,
        ),
      ),
  };
}
