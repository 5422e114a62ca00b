import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random';
import type { Head } from './head';
import { addVariable, glorotUniform } from './init';

/**
 * Spec §2: h(x) = Σₘ Wᵐ φᵐ(xᵐ) + b, i.e. concatenation followed by one linear layer.
 * `perModalityBias` gives each uni-modal logit its own bias (uᵐ = Wᵐφᵐ + bᵐ, h = Σ uᵐ): the
 * uni-modal ensemble, whose members are trained alone.
 */
export function createJointHead(featureDims: number[], classes: number, rng: Rng, perModalityBias = false): Head {
  const params = new Map<string, tf.Variable>();
  const total = featureDims.reduce((a, b) => a + b, 0);
  const ws = featureDims.map((d, m) => {
    // Scaled as one [Σd, K] layer would be, so the fused logits start at the usual size.
    const w = glorotUniform(d, classes, rng).map((v) => v * Math.sqrt((d + classes) / (total + classes)));
    return addVariable(params, `head.w${m}`, w, [d, classes]);
  });
  const biases = (perModalityBias ? featureDims.map((_, m) => `head.bias${m}`) : ['head.bias']).map((name) => {
    return addVariable(params, name, new Float32Array(classes), [classes]);
  });
  const fuse = (uni: tf.Tensor2D[]) => {
    const sum = tf.addN(uni);
    return (perModalityBias ? sum : tf.add(sum, biases[0])) as tf.Tensor2D;
  };
  return {
    kind: 'joint',
    params,
    apply: (features) => {
      const uni = features.map((f, m) => {
        const u = tf.matMul(f, ws[m] as tf.Tensor2D);
        return (perModalityBias ? tf.add(u, biases[m]) : u) as tf.Tensor2D;
      });
      return { logits: fuse(uni), uni, contributions: uni };
    },
    fuse,
    rowMatrices: () => ws.map((w) => tf.transpose(w) as tf.Tensor2D),
    integration: () => null,
  };
}
