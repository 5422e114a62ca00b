import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random';
import type { Activation } from './activation';
import { denseStack, type DenseLayer } from './denseStack';
import type { Encoder } from './encoder';
import { denseGradientGram, denseGradientNorms } from './gradientGram';
import { addVariable, glorotUniform } from './init';

export interface MlpEncoderSpec {
  kind: 'mlp';
  /** Hidden widths; the last one is the feature dimension dₘ. */
  widths: number[];
  activation: Activation;
}

/** φᵐ with parameters `<prefix>.l<i>.weight` [in, out] and `<prefix>.l<i>.bias` [out]. Every layer is followed by the activation, the last one included, as in late-fusion MLPs. */
export function createMlpEncoder(prefix: string, inDim: number, spec: MlpEncoderSpec, rng: Rng): Encoder {
  if (spec.widths.length === 0) throw new Error(`Encoder ${prefix}: an MLP needs at least one layer width.`);
  const params = new Map<string, tf.Variable>();
  const layers: DenseLayer[] = [];
  let fanIn = inDim;
  spec.widths.forEach((width, i) => {
    const w = addVariable(params, `${prefix}.l${i}.weight`, glorotUniform(fanIn, width, rng), [fanIn, width]);
    const b = addVariable(params, `${prefix}.l${i}.bias`, new Float32Array(width), [width]);
    layers.push({ w, b });
    fanIn = width;
  });
  return {
    outDim: fanIn,
    params,
    apply: (x) => denseStack(x, layers, spec.activation),
    dense: { layers, activation: spec.activation },
    gradientNorms: (x, rows) => denseGradientNorms(x, layers, spec.activation, rows),
    gradientGram: (x, rows) => denseGradientGram(x, layers, spec.activation, rows),
    lipschitzFactors: () =>
      layers.map((l, i) => ({
        kind: 'matrix',
        weight: l.w,
        rows: l.w.shape[0],
        cols: l.w.shape[1] as number,
        scale: 1,
        what: `dense layer ${i}`,
      })),
  };
}
