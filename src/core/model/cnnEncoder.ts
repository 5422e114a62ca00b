import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random';
import { activate, type Activation } from './activation';
import { convBiasActivation } from './convLayer';
import type { Encoder, LinearFactor } from './encoder';
import { glorotUniform, addVariable } from './init';

export interface CnnEncoderSpec {
  kind: 'cnn';
  /** Filters of each 3×3 convolution; each is followed by the activation and 2×2 average pooling. */
  filters: number[];
  /** Width of the dense layer after flattening: the feature dimension dₘ. */
  outDim: number;
  activation: Activation;
}

const KERNEL = 3;
const POOL = 2;

/**
 * A small CNN for image and spectrogram modalities: (conv 3×3 same → activation → avg-pool 2×2)ⁿ
 * → flatten → dense → activation. Input rows are flattened [H·W·C] images.
 * Average pooling, not max pooling: its operator norm is exactly 1/2, which keeps the certified
 * bound tight (spec §5).
 */
export function createCnnEncoder(prefix: string, inputShape: number[], spec: CnnEncoderSpec, rng: Rng): Encoder {
  const [h0, w0, c0 = 1] = inputShape;
  if (inputShape.length < 2 || inputShape.length > 3)
    throw new Error(
      `Encoder ${prefix}: a CNN needs an image shape [H, W] or [H, W, C], got [${inputShape.join(', ')}].`,
    );
  const params = new Map<string, tf.Variable>();
  let [h, w, c] = [h0, w0, c0];
  const convs = spec.filters.map((f, i) => {
    if (h < POOL || w < POOL)
      throw new Error(`Encoder ${prefix}: the image is too small for ${spec.filters.length} poolings.`);
    const fanIn = KERNEL * KERNEL * c;
    const kernel = addVariable(params, `${prefix}.conv${i}.weight`, glorotUniform(fanIn, f, rng), [
      KERNEL,
      KERNEL,
      c,
      f,
    ]);
    const bias = addVariable(params, `${prefix}.conv${i}.bias`, new Float32Array(f), [f]);
    [h, w, c] = [Math.floor(h / POOL), Math.floor(w / POOL), f];
    return { kernel, bias };
  });
  const flat = h * w * c;
  const dense = addVariable(params, `${prefix}.dense.weight`, glorotUniform(flat, spec.outDim, rng), [
    flat,
    spec.outDim,
  ]);
  const denseBias = addVariable(params, `${prefix}.dense.bias`, new Float32Array(spec.outDim), [spec.outDim]);
  return {
    outDim: spec.outDim,
    params,
    apply: (x) =>
      tf.tidy(() => {
        let t: tf.Tensor4D = tf.reshape(x, [-1, h0, w0, c0]);
        for (const conv of convs) {
          const y = convBiasActivation(t, conv.kernel as tf.Tensor4D, conv.bias as tf.Tensor1D, spec.activation);
          t = tf.avgPool(y, POOL, POOL, 'valid');
        }
        return activate(tf.add(tf.matMul(tf.reshape(t, [-1, flat]), dense as tf.Tensor2D), denseBias), spec.activation);
      }),
    lipschitzFactors: () => {
      const factors: LinearFactor[] = [];
      convs.forEach((conv, i) => {
        const [kh, kw, cin, cout] = conv.kernel.shape;
        // With stride 1 and zero padding each input pixel appears in at most kh·kw patches, so
        // ‖conv x‖ ≤ √(kh·kw) · σ_max(kernel as a [kh·kw·cin, cout] matrix) · ‖x‖.
        factors.push({
          kind: 'matrix',
          weight: conv.kernel,
          rows: kh * kw * cin,
          cols: cout,
          scale: Math.sqrt(kh * kw),
          what: `conv layer ${i}`,
        });
        factors.push({ kind: 'constant', value: 1 / POOL, what: `average pooling ${i}` });
      });
      factors.push({ kind: 'matrix', weight: dense, rows: flat, cols: spec.outDim, scale: 1, what: 'dense layer' });
      return factors;
    },
  };
}
