import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { glorotUniform, variableFrom } from './init';

export interface HeadOutput {
  /** Fused logits h(x) [n, K]. */
  logits: tf.Tensor2D;
  /** Uni-modal logits per modality [n, K]: uᵐ = Wᵐφᵐ (joint head) or zᵐ (CRMT head). */
  uni: tf.Tensor2D[];
}

export interface Head {
  readonly params: Map<string, tf.Variable>;
  apply(features: tf.Tensor2D[]): HeadOutput;
}

/** Spec §2: h(x) = Σₘ Wᵐ φᵐ(xᵐ) + b, i.e. concatenation followed by one linear layer. */
export function createJointHead(featureDims: number[], classes: number, rng: Rng): Head {
  const params = new Map<string, tf.Variable>();
  const total = featureDims.reduce((a, b) => a + b, 0);
  const ws = featureDims.map((d, m) => {
    // Scale as one [Σd, K] layer would be, so the fused logits start at the usual size.
    const w = glorotUniform(d, classes, rng).map((v) => v * Math.sqrt((d + classes) / (total + classes)));
    const v = variableFrom(w, [d, classes], `head.w${m}`);
    params.set(v.name, v);
    return v;
  });
  const b = variableFrom(new Float32Array(classes), [classes], 'head.bias');
  params.set(b.name, b);
  return {
    params,
    apply: (features) => {
      const uni = features.map((f, m) => tf.matMul(f, ws[m] as tf.Tensor2D) as tf.Tensor2D);
      const logits = tf.add(tf.addN(uni), b) as tf.Tensor2D;
      return { logits, uni };
    },
  };
}
