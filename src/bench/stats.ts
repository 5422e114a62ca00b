/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * Steps per repeat and repeats for a case whose warm-up step took `stepSeconds`: each repeat
 * aims at `secondsPerRepeat` and the repeats together at `secondsPerCase`, within the bounds.
 */
export function sizeRepeats(
  stepSeconds: number,
  b: {
    secondsPerRepeat: number;
    secondsPerCase: number;
    maxStepsPerRepeat: number;
    minRepeats: number;
    maxRepeats: number;
  },
): { stepsPerRepeat: number; repeats: number } {
  const step = Math.max(stepSeconds, 1e-6);
  const stepsPerRepeat = clamp(Math.round(b.secondsPerRepeat / step), 1, Math.max(1, b.maxStepsPerRepeat));
  const repeats = clamp(Math.floor(b.secondsPerCase / (stepsPerRepeat * step)), b.minRepeats, b.maxRepeats);
  return { stepsPerRepeat, repeats };
}

/** Median, quartiles (linear interpolation between order statistics) and extremes of a non-empty list. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { median: median(s), q1: at(0.25), q3: at(0.75), min: s[0], max: s[s.length - 1] };
}
