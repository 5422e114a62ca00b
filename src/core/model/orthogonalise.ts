import * as tf from '@tensorflow/tfjs';

/** Enough for Gram condition numbers up to ~1e4; the tests check ‖W̃W̃ᵀ − I‖ after training. */
export const NEWTON_SCHULZ_ITERATIONS = 24;

/**
 * Symmetric orthogonalisation W̃ = (V Vᵀ)^{-1/2} V (spec §2), differentiable and made only of
 * matmuls: coupled Newton–Schulz iterations on the K×K Gram matrix scaled by its Frobenius
 * norm, so its eigenvalues lie in (0, 1] where the iteration converges.
 */
export function symmetricOrthogonalise(v: tf.Tensor2D, iterations = NEWTON_SCHULZ_ITERATIONS): tf.Tensor2D {
  return tf.tidy(() => {
    const k = v.shape[0];
    const gram = tf.matMul(v, v, false, true);
    const scale = tf.norm(gram);
    const eye = tf.eye(k);
    let y: tf.Tensor2D = tf.div(gram, scale);
    let z: tf.Tensor2D = eye;
    for (let i = 0; i < iterations; i++) {
      const t = tf.mul(0.5, tf.sub(tf.mul(3, eye), tf.matMul(z, y))) as tf.Tensor2D;
      y = tf.matMul(y, t);
      z = tf.matMul(t, z);
    }
    // z ≈ (G/s)^{-1/2}, so G^{-1/2} = z / √s.
    return tf.matMul(tf.div(z, tf.sqrt(scale)), v);
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
