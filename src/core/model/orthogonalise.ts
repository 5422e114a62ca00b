import * as tf from '@tensorflow/tfjs';

/**
 * Reaches float32 precision for Gram condition numbers up to about 1e4 (K = 4) or 5e3 (K = 10);
 * training keeps V's Gram matrix far better conditioned than that (cond ≤ 2.8 measured over 30
 * epochs of crmt-jt and ojt on the toy and mfeat-shaped data, where 8 iterations already reach the
 * float32 floor), and the tests check ‖W̃W̃ᵀ − I‖ after training. Each iteration is 3 of the
 * training step's matmuls and 6 more in its gradient, so no more are taken than that.
 */
export const NEWTON_SCHULZ_ITERATIONS = 16;

/**
 * Symmetric orthogonalisation W̃ = (V Vᵀ)^{-1/2} V (spec §2), differentiable and made only of
 * matmuls: coupled Newton–Schulz iterations on the K×K Gram matrix scaled by its Frobenius
 * norm, so its eigenvalues lie in (0, 1] where the iteration converges.
 */
export function symmetricOrthogonalise(v: tf.Tensor2D, iterations = NEWTON_SCHULZ_ITERATIONS): tf.Tensor2D {
  return tf.tidy(() => symmetricOrthogonaliseAll([v], iterations)[0]);
}

/**
 * `symmetricOrthogonalise` of several matrices with the same number of rows K (one per modality),
 * run as one batch of [M, K, K] Gram matrices: one chain of kernels for all modalities, in the
 * training step and its gradient.
 *
 * The iteration is Tᵢ = (3I − ZᵢYᵢ)/2, Yᵢ₊₁ = YᵢTᵢ, Zᵢ₊₁ = TᵢZᵢ from Y₀ = G/s, Z₀ = I, carried as
 * Ŷ = Y/2 so that T = 1.5I − ZŶ takes one elementwise op instead of three; halving is exact in
 * floating point, so the values are those of the plain form. The first iteration, with Z₀ = I,
 * needs no product with Z, and is always taken (`iterations` ≥ 1).
 */
export function symmetricOrthogonaliseAll(vs: tf.Tensor2D[], iterations = NEWTON_SCHULZ_ITERATIONS): tf.Tensor2D[] {
  return tf.tidy(() => {
    const k = vs[0].shape[0];
    const gram = tf.stack(vs.map((v) => tf.matMul(v, v, false, true))) as tf.Tensor3D;
    const scale = tf.sqrt(tf.sum(tf.square(gram), [1, 2], true));
    const threeHalves = tf.tensor2d(
      Float32Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1.5 : 0)),
      [k, k],
    );
    let y: tf.Tensor3D = tf.div(gram, tf.mul(scale, 2));
    let z: tf.Tensor3D = tf.sub(threeHalves, y);
    y = tf.matMul(y, z);
    for (let i = 1; i < iterations; i++) {
      const t = tf.sub(threeHalves, tf.matMul(z, y)) as tf.Tensor3D;
      y = tf.matMul(y, t);
      z = tf.matMul(t, z);
    }
    // z ≈ (G/s)^{-1/2}, so G^{-1/2} = z / √s.
    const all = tf.div(z, tf.sqrt(scale));
    // tfjs's Unpack gradient breaks on a single output, hence the reshape for one matrix.
    const inverseRoot = (vs.length === 1 ? [tf.reshape(all, [k, k])] : tf.unstack(all)) as tf.Tensor2D[];
    return inverseRoot.map((r, m) => tf.matMul(r, vs[m]));
  });
}

/**
 * The official code's head (setting `headRows: unit`): each row centred and scaled to unit
 * norm. Rows then have norm 1 but are not mutually orthogonal.
 */
export function unitRows(v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const centred = tf.sub(v, tf.mean(v, 1, true));
    return tf.div(centred, tf.add(tf.norm(centred, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
  });
}
