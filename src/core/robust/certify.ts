/**
 * Certified radii and certified accuracy (spec §6), in plain arrays: inputs are the fused
 * logits read back once, the labels, and the pair constants cᵐ_{y,k} of one bound kind.
 */

export interface Radii {
  /** Joint-ℓ2 radius per sample; 0 when the sample is misclassified. */
  joint: Float64Array;
  /** Radius when only modality m is attacked, per modality and sample; 0 when misclassified. */
  perModality: Float64Array[];
  correct: Uint8Array;
}

/**
 * r(x) = minₖ≠y (h_y − hₖ) / √(Σₘ (cᵐ_{y,k})²) and rᵐ(x) = minₖ≠y (h_y − hₖ) / cᵐ_{y,k}.
 * A zero constant means the share cannot change, so that class never limits the radius.
 */
export function certifiedRadius(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  pair: Float64Array[],
  K: number,
): Radii {
  const n = labels.length;
  const M = pair.length;
  const joint = new Float64Array(n);
  const perModality = pair.map(() => new Float64Array(n));
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const hy = logits[i * K + y];
    let ok = true;
    for (let k = 0; k < K; k++) if (k !== y && logits[i * K + k] >= hy) ok = false;
    if (!ok) continue;
    correct[i] = 1;
    let r = Infinity;
    const rm = new Array<number>(M).fill(Infinity);
    for (let k = 0; k < K; k++) {
      if (k === y) continue;
      const margin = hy - logits[i * K + k];
      let sq = 0;
      for (let m = 0; m < M; m++) {
        const c = pair[m][y * K + k];
        sq += c * c;
        if (c > 0) rm[m] = Math.min(rm[m], margin / c);
      }
      if (sq > 0) r = Math.min(r, margin / Math.sqrt(sq));
    }
    joint[i] = r;
    for (let m = 0; m < M; m++) perModality[m][i] = rm[m];
  }
  return { joint, perModality, correct };
}

/** CA(ε): share of samples classified correctly with radius > ε (a misclassified sample has radius 0). */
export function certifiedAccuracy(radius: ArrayLike<number>, eps: number[]): number[] {
  return eps.map((e) => {
    let count = 0;
    for (let i = 0; i < radius.length; i++) if (radius[i] > e) count++;
    return radius.length ? count / radius.length : NaN;
  });
}

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
