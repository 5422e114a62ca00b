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
 * The pair constants of one bound kind as a radius asks for them: `bound` is a cheap upper bound
 * on cᵐ_{y,k} (from per-class numbers), `exact` the constant itself.
 */
export interface PairSource {
  modalities: number;
  /** Never below the exact constant; 0 only where it is 0. */
  bound(m: number, y: number, k: number): number;
  exact(m: number, y: number, k: number): number;
}

/**
 * Exact pairs at most per sample before the rest is bounded. Up to K = MAX_EXACT_PAIRS + 1 classes
 * every radius is exact; above, a radius that would need more is the smallest bound left (sound).
 */
export const MAX_EXACT_PAIRS = 256;
/** Candidates found by a linear scan before the classes are sorted by bound once. */
const SCAN_STEPS = 4;

/** Full K×K matrices per modality (row-major cᵐ[y·K + k]) as a source: every bound is the value. */
export function matrixSource(pair: Float64Array[], K: number): PairSource {
  const at = (m: number, y: number, k: number) => pair[m][y * K + k];
  return { modalities: pair.length, bound: at, exact: at };
}

/**
 * r(x) = minₖ≠y (h_y − hₖ) / √(Σₘ (cᵐ_{y,k})²) and rᵐ(x) = minₖ≠y (h_y − hₖ) / cᵐ_{y,k}, by
 * branch and bound so the cost grows about linearly in K (K log K at worst): a class's margin over its bound is a lower
 * bound on its ratio, so classes are tried in the order of that bound and the search stops once
 * the smallest exact ratio is no larger than every bound left. The minimum is the one over all
 * classes; only the pairs tried need exact constants (at most MAX_EXACT_PAIRS per sample; beyond,
 * the smallest bound left stands in, which is sound). A zero constant means the share cannot
 * change, so that class never limits the radius.
 */
export function certifiedRadius(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  constants: Float64Array[] | PairSource,
  K: number,
): Radii {
  const source = Array.isArray(constants) ? matrixSource(constants, K) : constants;
  const M = source.modalities;
  const n = labels.length;
  const joint = new Float64Array(n);
  const perModality = Array.from({ length: M }, () => new Float64Array(n));
  const correct = new Uint8Array(n);
  // Per class of the sample at hand: its margin, bound ratios (joint, then each modality) and whether it was tried.
  const margin = new Float64Array(K);
  const low = Array.from({ length: M + 1 }, () => new Float64Array(K));
  const tried = new Uint8Array(K);
  const order = new Int32Array(K);
  const c = new Float64Array(M);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const hy = logits[i * K + y];
    let ok = true;
    for (let k = 0; k < K; k++) if (k !== y && logits[i * K + k] >= hy) ok = false;
    if (!ok) continue;
    correct[i] = 1;
    for (let k = 0; k < K; k++) {
      tried[k] = k === y ? 1 : 0;
      if (k === y) continue;
      margin[k] = hy - logits[i * K + k];
      let sq = 0;
      for (let m = 0; m < M; m++) {
        const b = source.bound(m, y, k);
        sq += b * b;
        low[m + 1][k] = b > 0 ? margin[k] / b : Infinity;
      }
      low[0][k] = sq > 0 ? margin[k] / Math.sqrt(sq) : Infinity;
    }
    // best[0]: the joint radius so far; best[m + 1]: modality m's. Each in turn tries classes in
    // the order of its lower bounds until the next bound is no smaller than the best ratio.
    const best = new Array<number>(M + 1).fill(Infinity);
    let budget = MAX_EXACT_PAIRS;
    for (let t = 0; t <= M; t++) {
      const lower = low[t];
      // The first few candidates by a scan; a search that goes on sorts the classes once.
      let sorted = -1;
      for (let step = 0; ; step++) {
        let next = -1;
        if (step === SCAN_STEPS) {
          for (let k = 0; k < K; k++) order[k] = k;
          order.sort((a, b) => lower[a] - lower[b] || a - b);
          sorted = 0;
        }
        if (sorted >= 0) {
          while (sorted < K && tried[order[sorted]]) sorted++;
          if (sorted < K) next = order[sorted];
        } else for (let k = 0; k < K; k++) if (!tried[k] && (next < 0 || lower[k] < lower[next])) next = k;
        if (next < 0 || !(lower[next] < best[t])) break;
        if (budget === 0) {
          best[t] = lower[next];
          break;
        }
        budget--;
        tried[next] = 1;
        let sq = 0;
        for (let m = 0; m < M; m++) {
          c[m] = source.exact(m, y, next);
          sq += c[m] * c[m];
          if (c[m] > 0) best[m + 1] = Math.min(best[m + 1], margin[next] / c[m]);
        }
        if (sq > 0) best[0] = Math.min(best[0], margin[next] / Math.sqrt(sq));
      }
    }
    joint[i] = best[0];
    for (let m = 0; m < M; m++) perModality[m][i] = best[m + 1];
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
