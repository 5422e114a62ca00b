import { describe, expect, it } from 'vitest';
import { smooth } from '../../src/ui/charts/smooth';

/** Independent form: point n is the average of points 1..n weighted w^(n−i) (TensorBoard's debiased EMA). */
function weightedAverage(values: number[], w: number): number[] {
  return values.map((_, n) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i <= n; i++) {
      num += w ** (n - i) * values[i];
      den += w ** (n - i);
    }
    return num / den;
  });
}

describe('smooth (TensorBoard)', () => {
  it('weight 0 leaves the series as it is', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('is the debiased exponential moving average: no pull towards 0 at the start', () => {
    const values = [0.9, 0.2, 0.5, 0.7, 0.1, 0.4, 0.8];
    for (const w of [0.3, 0.6, 0.9, 0.999]) {
      const s = smooth(values, w);
      weightedAverage(values, w).forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
    }
    expect(smooth([0, 10, 10], 0.5)).toEqual([0, 10 / 1.5, 10 * (1.5 / 1.75)]);
    // The first point is itself, whatever the weight (a plain EMA from 0 would give (1 − w)·x).
    expect(smooth([4, 5], 0.99)[0]).toBeCloseTo(4, 12);
  });

  it('keeps constant series and non-finite points as they are', () => {
    expect(smooth([0.5, 0.5, 0.5], 0.9)).toEqual([0.5, 0.5, 0.5]);
    const s = smooth([1, NaN, 3], 0.5);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo((0.5 * 1 + 3) / 1.5, 12);
  });
});
