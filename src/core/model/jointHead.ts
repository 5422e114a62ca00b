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
  const fuse = (uni: tf.Tensor2D[]) => (perModalityBias ? (tf.addN(uni) as tf.Tensor2D) : sumPlusBias(uni, biases[0]));
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
    ...(perModalityBias ? {} : { linear: { weights: ws, bias: biases[0] } }),
  };
}

/**
 * Σₘ uᵐ + b with a hand-written gradient (dy to every term, dy summed over rows to b): the kernels
 * and values of the tape's, without the copies it saves of every input of addN and add, which their
 * gradients never read, and its reshapes (6 kernels of a training step).
 */
function sumPlusBias(uni: tf.Tensor2D[], bias: tf.Variable): tf.Tensor2D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const terms = args.slice(0, uni.length) as tf.Tensor2D[];
    return {
      value: tf.add(tf.addN(terms), bias) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor) => [...terms.map(() => tf.clone(dy)), tf.sum(dy, 0)],
    };
  })(...uni, bias) as tf.Tensor2D;
}
