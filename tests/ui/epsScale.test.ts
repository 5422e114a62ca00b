import { describe, expect, it } from 'vitest';
import { featureCount, perFeatureDivisor } from '../../src/ui/charts/EpsScale';

/** The RMS change per attacked feature of a perturbation that spends its whole ℓ2 budget, computed from the vector itself. */
function rmsPerFeature(eps: number, dims: number[], attacked: number[], budget: 'joint' | 'per-modality'): number {
  // Spread evenly: every attacked feature moves by the same amount.
  const features = attacked.reduce((s, m) => s + dims[m], 0);
  const delta: number[] = [];
  for (const m of attacked) {
    const share = budget === 'joint' ? eps / Math.sqrt(features) : eps / Math.sqrt(dims[m]);
    for (let i = 0; i < dims[m]; i++) delta.push(share);
  }
  return Math.sqrt(delta.reduce((s, v) => s + v * v, 0) / delta.length);
}

describe('ε per feature (the ε axes read per feature)', () => {
  const dims = [10, 128, 3];
  it('divides an ℓ2 budget by √ of the features it spreads over: one modality, or all under either budget', () => {
    for (const budget of ['joint', 'per-modality'] as const) {
      dims.forEach((_, m) =>
        expect(0.7 / perFeatureDivisor(dims, m, budget)).toBeCloseTo(rmsPerFeature(0.7, dims, [m], budget), 12),
      );
      expect(0.7 / perFeatureDivisor(dims, 'all', budget)).toBeCloseTo(rmsPerFeature(0.7, dims, [0, 1, 2], budget), 12);
    }
  });
  it('counts the features of a modality of any shape', () => {
    expect(featureCount([2])).toBe(2);
    expect(featureCount([28, 28])).toBe(784);
    expect(featureCount([16, 16, 3])).toBe(768);
  });
});
