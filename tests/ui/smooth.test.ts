import { describe, expect, it } from 'vitest';
import { smooth } from '../../src/ui/charts/LearningCurves';

describe('smooth', () => {
  it('is an exponential moving average; weight 0 leaves the series as it is', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(smooth([0, 10, 10], 0.5)).toEqual([0, 5, 7.5]);
  });
});
