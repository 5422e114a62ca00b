import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs's gradient of a matmul is two more matmuls with a transposed operand (dy·Bᵀ and Aᵀ·dy).
 * On the WASM backend of tfjs 4.22 a transposed operand takes a slow path: 4–10× the time of
 * transposing explicitly and multiplying plainly, for the layer shapes trained here
 * (`speedProbe.ts wasm matmul`). On the others it is as fast or faster as is, so only WASM gets
 * the explicit transposes.
 */
export function matMulGradients(
  dy: tf.Tensor,
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
  explicit: boolean,
): { a: () => tf.Tensor; b: () => tf.Tensor } {
  // x·yᵀ and xᵀ·y, either as flags or with the transposes done first.
  const mulT = (x: tf.Tensor, y: tf.Tensor) => (explicit ? tf.matMul(x, swapLast(y)) : tf.matMul(x, y, false, true));
  const tMul = (x: tf.Tensor, y: tf.Tensor) => (explicit ? tf.matMul(swapLast(x), y) : tf.matMul(x, y, true, false));
  const tMulT = (x: tf.Tensor, y: tf.Tensor) =>
    explicit ? tf.matMul(swapLast(x), swapLast(y)) : tf.matMul(x, y, true, true);
  if (!transposeA && !transposeB) return { a: () => mulT(dy, b), b: () => tMul(a, dy) };
  if (!transposeA && transposeB) return { a: () => tf.matMul(dy, b), b: () => tMul(dy, a) };
  if (transposeA && !transposeB) return { a: () => mulT(b, dy), b: () => tf.matMul(a, dy) };
  return { a: () => tMulT(b, dy), b: () => tMulT(dy, a) };
}

function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

let registered = false;

/** Replaces tfjs's BatchMatMul gradient by `matMulGradients`, explicit on WASM; idempotent. */
export function registerMatMulGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      return matMulGradients(dy as tf.Tensor, a, b, transposeA, transposeB, tf.getBackend() === 'wasm');
    },
  });
}
