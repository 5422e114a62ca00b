import * as tf from '@tensorflow/tfjs-core';

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
 * `symmetricOrthogonalise` of several matrices with the same number of rows K (one per modality):
 * W̃ᵐ = (Gᵐ)^{-1/2} Vᵐ with the inverse square roots of all Gram matrices Gᵐ = VᵐVᵐᵀ taken as one
 * [M, K, K] batch by `inverseSquareRoot`.
 */
export function symmetricOrthogonaliseAll(vs: tf.Tensor2D[], iterations = NEWTON_SCHULZ_ITERATIONS): tf.Tensor2D[] {
  return tf.tidy(() => {
    const k = vs[0].shape[0];
    const gram = tf.stack(vs.map((v) => tf.matMul(v, v, false, true))) as tf.Tensor3D;
    const root = inverseSquareRoot(gram, iterations);
    // tfjs's Unpack gradient breaks on a single output, hence the reshape for one matrix.
    const roots = (vs.length === 1 ? [tf.reshape(root, [k, k])] : tf.unstack(root)) as tf.Tensor2D[];
    return roots.map((r, m) => tf.matMul(r, vs[m]));
  });
}

/**
 * G^{-1/2} for a batch of symmetric positive definite [M, K, K] matrices, with a hand-written
 * gradient. Left to autodiff, the iterations' tape (every product saved, every product
 * differentiated twice) was most of a CRMT training step's kernels.
 *
 * Gradient: f(G) = G^{-1/2} is a primary matrix function, so for symmetric G its Fréchet
 * derivative L(G, ·) is self-adjoint, and the gradient with respect to G of ⟨Ḡ_out, f(G)⟩ is
 * L(G, Ḡ_out). L(G, E) is the upper-right block of f([[G, E], [0, G]]) (Higham, Functions of
 * Matrices, thm 3.6), which the same iteration computes on [M, 2K, 2K] blocks: one chain of 2K×2K
 * products instead of the tape's three K×K products per iteration. The scale ‖G‖_F is held fixed
 * there: f(G) does not depend on it, only the unconverged iterate would.
 */
function inverseSquareRoot(gram: tf.Tensor3D, iterations: number): tf.Tensor3D {
  const k = gram.shape[1];
  const frobenius = (g: tf.Tensor) => tf.sqrt(tf.sum(tf.square(g), [1, 2], true)) as tf.Tensor3D;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [g, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    save([g]);
    return {
      value: newtonSchulz(g, frobenius(g), iterations),
      gradFunc: (dy: tf.Tensor3D, [gSaved]: tf.Tensor[]) => {
        const block = tf.concat([tf.concat([gSaved, dy], 2), tf.concat([tf.zerosLike(gSaved), gSaved], 2)], 1);
        return tf.slice(newtonSchulz(block as tf.Tensor3D, frobenius(gSaved), iterations), [0, 0, k], [-1, k, k]);
      },
    };
  })(gram) as tf.Tensor3D;
}

/**
 * A^{-1/2} for a batch of matrices whose eigenvalues lie in (0, s] (s per matrix, [M, 1, 1]):
 * coupled Newton–Schulz Tᵢ = (3I − ZᵢYᵢ)/2, Yᵢ₊₁ = YᵢTᵢ, Zᵢ₊₁ = TᵢZᵢ from Y₀ = A/s, Z₀ = I,
 * then A^{-1/2} = Z/√s. Y is carried halved (Ŷ = Y/2, so T = 1.5I − ZŶ is one elementwise op,
 * and halving is exact in floating point); the first iteration, with Z₀ = I, needs no product
 * with Z and is always taken (`iterations` ≥ 1).
 */
function newtonSchulz(a: tf.Tensor3D, scale: tf.Tensor3D, iterations: number): tf.Tensor3D {
  const n = a.shape[1];
  const threeHalves = tf.tensor2d(
    Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1.5 : 0)),
    [n, n],
  );
  let y: tf.Tensor3D = tf.div(a, tf.mul(scale, 2));
  let z: tf.Tensor3D = tf.sub(threeHalves, y);
  y = tf.matMul(y, z);
  for (let i = 1; i < iterations; i++) {
    const t = tf.sub(threeHalves, tf.matMul(z, y)) as tf.Tensor3D;
    y = tf.matMul(y, t);
    z = tf.matMul(t, z);
  }
  return tf.div(z, tf.sqrt(scale));
}

/** Added to each row's norm in `unitRows`, so a zero row stays finite (also in crmt_lab_model.py). */
export const UNIT_ROWS_EPSILON = 1e-12;

/**
 * The official code's head (setting `headRows: unit`): each row centred and scaled to unit
 * norm. Rows then have norm 1 but are not mutually orthogonal.
 */
export function unitRows(v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const centred = tf.sub(v, tf.mean(v, 1, true));
    return tf.div(centred, tf.add(tf.norm(centred, 'euclidean', 1, true), UNIT_ROWS_EPSILON)) as tf.Tensor2D;
  });
}
