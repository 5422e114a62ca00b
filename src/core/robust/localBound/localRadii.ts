import type { Radii } from '../certify';
import { gridSize, type BoundModel } from './boundNetwork';
import { localRadiiOfSample, type LocalRadiusOptions } from './localRadius';

export interface LocalRadii extends Radii {
  /** Bound evaluations over all samples and targets: the cost driver. */
  evaluations: number;
}

/**
 * Local radii of a whole split, in certify.ts's shape (0 for a misclassified sample), so
 * certifiedAccuracy and median apply unchanged. `xs` per modality is row-major [n, dₘ] in
 * standardised units, as the model sees it.
 */
export function localRadii(
  model: BoundModel,
  xs: ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: LocalRadiusOptions = {},
): LocalRadii {
  const n = labels.length;
  const dims = model.encoders.map((e) => gridSize(e.input));
  xs.forEach((x, m) => {
    if (x.length !== n * dims[m])
      throw new Error(`localRadii: modality ${m} has ${x.length} values, expected ${n} samples × ${dims[m]}.`);
  });
  const joint = new Float64Array(n);
  const perModality = dims.map(() => new Float64Array(n));
  const correct = new Uint8Array(n);
  let evaluations = 0;
  for (let i = 0; i < n; i++) {
    const x = xs.map((v, m) => Float64Array.from({ length: dims[m] }, (_, j) => v[i * dims[m] + j]));
    const r = localRadiiOfSample(model, x, labels[i], options);
    correct[i] = r.correct ? 1 : 0;
    joint[i] = r.joint;
    r.perModality.forEach((v, m) => (perModality[m][i] = v));
    evaluations += r.evaluations;
  }
  return { joint, perModality, correct, evaluations };
}
