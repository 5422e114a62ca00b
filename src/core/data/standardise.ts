import { featureSize, SPLIT_CODE, type Dataset } from './dataset';

export interface Standardisation {
  /** Per modality, per feature. */
  mean: Float32Array[];
  std: Float32Array[];
}

/**
 * Per-feature mean and standard deviation from the training split only (spec §1); budgets ε
 * are measured in the standardised space. Constant features get std 1 so they map to 0.
 */
export function trainingStatistics(d: Dataset): Standardisation {
  const mean: Float32Array[] = [];
  const std: Float32Array[] = [];
  d.modalities.forEach((m, mi) => {
    const f = featureSize(m);
    const x = d.features[mi];
    const sum = new Float64Array(f);
    const sq = new Float64Array(f);
    let n = 0;
    for (let i = 0; i < d.labels.length; i++) {
      if (d.split[i] !== SPLIT_CODE.train) continue;
      n++;
      for (let j = 0; j < f; j++) {
        const v = x[i * f + j];
        sum[j] += v;
        sq[j] += v * v;
      }
    }
    const mu = new Float32Array(f);
    const sd = new Float32Array(f);
    for (let j = 0; j < f; j++) {
      const m1 = n > 0 ? sum[j] / n : 0;
      const v = n > 0 ? Math.max(sq[j] / n - m1 * m1, 0) : 0;
      mu[j] = m1;
      sd[j] = v > 1e-12 ? Math.sqrt(v) : 1;
    }
    mean.push(mu);
    std.push(sd);
  });
  return { mean, std };
}

export function applyStandardisation(d: Dataset, s: Standardisation): Dataset {
  const features = d.features.map((x, mi) => {
    const f = featureSize(d.modalities[mi]);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const j = i % f;
      out[i] = (x[i] - s.mean[mi][j]) / s.std[mi][j];
    }
    return out;
  });
  return { ...d, features };
}

/** Per modality, the smallest and the RMS standard deviation of its features (raw units per standardised unit). */
export function featureStd(s: Standardisation): { min: number[]; rms: number[] } {
  return {
    min: s.std.map((v) => v.reduce((a, b) => Math.min(a, b), Infinity)),
    rms: s.std.map((v) => Math.sqrt(v.reduce((a, b) => a + b * b, 0) / Math.max(1, v.length))),
  };
}
