/**
 * Mean softmax cross-entropy of logits z [n, K] (row-major) against integer labels, and its gradient
 * with respect to z, on the host in float64: loss = mean over rows of logSumExp(zᵢ) − zᵢ,yᵢ, and
 * dz = (softmax(z) − onehot(y)) / n, the softmax taken from the same log-sum-exp. The value is
 * crossEntropy.ts's; this form is for the hand-written training step (train/jtStep.ts), on backends
 * where reading a [n, K] tensor is a memory copy: a dozen kernels of a few µs each become one loop.
 */
export function softmaxCrossEntropy(
  z: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
): { loss: number; dLogits: Float32Array } {
  const n = labels.length;
  if (z.length !== n * k) throw new Error(`softmaxCrossEntropy: ${z.length} logits for ${n} rows of ${k} classes.`);
  const dLogits = new Float32Array(n * k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, z[row + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(z[row + j] - max);
    const lse = max + Math.log(sum);
    const y = labels[i];
    if (!(y >= 0 && y < k && Number.isInteger(y)))
      throw new Error(`softmaxCrossEntropy: row ${i} has label ${y}, not a class in 0…${k - 1}.`);
    total += lse - z[row + y];
    for (let j = 0; j < k; j++) dLogits[row + j] = (Math.exp(z[row + j] - lse) - (j === y ? 1 : 0)) / n;
  }
  return { loss: total / n, dLogits };
}
