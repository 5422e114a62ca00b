/** Per-sample margins of spec §3 on read-back [n, K] arrays. */

/** minₖ≠y ζₖᵐ with ζₖᵐ = z_yᵐ − zₖᵐ, for one modality's uni-modal logits. */
export function minimalUniModalMargins(uni: ArrayLike<number>, labels: ArrayLike<number>, K: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    let best = Infinity;
    for (let k = 0; k < K; k++) if (k !== y) best = Math.min(best, uni[i * K + y] - uni[i * K + k]);
    out[i] = best;
  }
  return out;
}

export interface MarginShares {
  /** Runner-up class argmaxₖ≠y hₖ per sample. */
  runnerUp: Int32Array;
  /** Per modality: a_yᵐ z_yᵐ − aₖᵐ zₖᵐ (joint head: u_yᵐ − uₖᵐ) against the runner-up. */
  shares: Float64Array[];
  /** b_y − bₖ against the runner-up: fused margin = Σ shares + bias. */
  bias: Float64Array;
  /** h_y − hₖ against the runner-up. */
  fused: Float64Array;
}

/** Each modality's share of the fused margin against the runner-up class (spec §3). */
export function marginShares(
  logits: ArrayLike<number>,
  contributions: ArrayLike<number>[],
  labels: ArrayLike<number>,
  K: number,
): MarginShares {
  const n = labels.length;
  const runnerUp = new Int32Array(n);
  const shares = contributions.map(() => new Float64Array(n));
  const bias = new Float64Array(n);
  const fused = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    let k = -1;
    for (let j = 0; j < K; j++) if (j !== y && (k < 0 || logits[i * K + j] > logits[i * K + k])) k = j;
    runnerUp[i] = k;
    fused[i] = logits[i * K + y] - logits[i * K + k];
    let sum = 0;
    contributions.forEach((c, m) => {
      shares[m][i] = c[i * K + y] - c[i * K + k];
      sum += shares[m][i];
    });
    bias[i] = fused[i] - sum;
  }
  return { runnerUp, shares, bias, fused };
}
