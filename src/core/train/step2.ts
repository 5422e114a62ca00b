import * as tf from '@tensorflow/tfjs-core';
import type { Step2Settings } from '../config';
import type { Head } from '../model/head';
import type { MultiModalModel } from '../model/model';
import { encoderLipschitzBound, estimatedTau } from '../robust/lipschitz';
import { step2Loss } from './losses';
import type { LipschitzRecord } from './snapshot';

/**
 * What step 2 holds fixed while it moves a: either estimated τ (paper form
 * c = a_y τ_y + aₖ τₖ) or the Gram matrices G = W̃W̃ᵀ and encoder bounds L (sound pair form
 * c² = L² (a_y² G_yy + aₖ² G_kk − 2 a_y aₖ G_yk)).
 */
export type Step2Constants =
  { form: 'paper'; tau: tf.Tensor1D[] } | { form: 'pair'; gram: tf.Tensor2D[]; lipschitz: number[] };

/** The Lipschitz estimation phase: runs once, between step 1 and step 2. */
export async function estimateStep2Constants(
  model: MultiModalModel,
  trainX: tf.Tensor2D[],
  source: Step2Settings['tauSource'],
): Promise<{ constants: Step2Constants; record: LipschitzRecord }> {
  if (source === 'estimated') {
    const tau = await estimatedTau(model, trainX);
    return {
      constants: { form: 'paper', tau: tau.map((t) => tf.tensor1d(t)) },
      record: { kind: 'estimated', method: 'max over training samples of ‖∇ₓᵐ zₖᵐ‖', tau },
    };
  }
  const lipschitz = await Promise.all(model.encoders.map(encoderLipschitzBound));
  const gram = tf.tidy(() => model.head.rowMatrices().map((w) => tf.matMul(w, w, false, true) as tf.Tensor2D));
  // ‖W̃ₖᵐ‖ is the square root of the Gram matrix's diagonal.
  const rowNorms = tf.tidy(() => gram.map((g) => tf.sqrt(tf.sum(tf.mul(g, tf.eye(g.shape[0])), 1))));
  const diag = await Promise.all(rowNorms.map((r) => r.data()));
  rowNorms.forEach((r) => r.dispose());
  return {
    constants: { form: 'pair', gram, lipschitz },
    record: {
      kind: 'sound',
      method: '‖W̃ₖᵐ‖ · Π σ_max(layers)',
      tau: diag.map((d, m) => Array.from(d, (v) => v * lipschitz[m])),
    },
  };
}

/** cᵐ_{y,k} as [K, K] tensors, differentiable in a. */
export function pairConstantTensors(as: tf.Variable[], c: Step2Constants): tf.Tensor2D[] {
  return as.map((a, m) => {
    const K = a.shape[0] as number;
    if (c.form === 'paper') {
      const at = tf.mul(a, c.tau[m]);
      return tf.add(tf.reshape(at, [K, 1]), tf.reshape(at, [1, K])) as tf.Tensor2D;
    }
    const g = c.gram[m];
    const diag = tf.mul(tf.square(a), tf.sum(tf.mul(g, tf.eye(K)), 1));
    const cross = tf.mul(tf.mul(tf.reshape(a, [K, 1]), tf.reshape(a, [1, K])), g);
    const c2 = tf.sub(tf.add(tf.reshape(diag, [K, 1]), tf.reshape(diag, [1, K])), tf.mul(2, cross));
    return tf.mul(c.lipschitz[m], tf.sqrt(tf.add(tf.relu(c2), 1e-12))) as tf.Tensor2D;
  });
}

const ROWS = 2048;

/**
 * The uni-modal logits of every row of `xs`, [n, K] per modality. Step 2 freezes the encoders and
 * W̃ (spec §7), so these do not change during it: computed once, a step 2 batch is a gather of
 * them instead of a pass through the encoders and the orthogonalisation.
 */
export function frozenUniModalLogits(model: MultiModalModel, xs: tf.Tensor2D[]): tf.Tensor2D[] {
  return tf.tidy(() => {
    const n = xs[0].shape[0];
    const chunks: tf.Tensor2D[][] = [];
    for (let start = 0; start < n; start += ROWS) {
      const size = Math.min(ROWS, n - start);
      chunks.push(model.forward(xs.map((x) => x.slice([start, 0], [size, -1]))).uni);
    }
    return xs.map((_, m) => tf.concat(chunks.map((c) => c[m])) as tf.Tensor2D);
  });
}

/**
 * Step 2's objective for a batch of clean samples, given their (frozen) uni-modal logits, with
 * PyTorch-style weight decay on a.
 */
export function step2BatchLoss(
  head: Head,
  uni: tf.Tensor2D[],
  y: tf.Tensor1D,
  constants: Step2Constants,
  s: Step2Settings,
): tf.Scalar {
  const as = head.integration()!;
  const loss = step2Loss(head.fuse(uni), y, pairConstantTensors(as, constants), s.classChoice);
  const decay = tf.mul(0.5 * s.weightDecay, tf.addN(as.map((a) => tf.sum(tf.square(a)))));
  return tf.add(loss, decay) as tf.Scalar;
}

export function disposeStep2Constants(c: Step2Constants): void {
  if (c.form === 'paper') c.tau.forEach((t) => t.dispose());
  else c.gram.forEach((g) => g.dispose());
}
