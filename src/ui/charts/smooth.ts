/**
 * TensorBoard's smoothing: an exponential moving average divided by 1 − weightⁿ after n points,
 * so the start is not pulled towards 0 (the debiased EMA of Adam's moments). Weight 0 leaves the
 * series as it is; non-finite points stay as they are and do not count; a constant series stays
 * constant.
 */
export function smooth(values: number[], weight: number): number[] {
  if (values.every((v) => v === values[0])) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return weight === 1 ? last : last / (1 - weight ** n);
  });
}

/** The slider's range, as TensorBoard's. */
export const MAX_SMOOTHING = 0.999;
