import { describe, expect, it } from 'vitest';
import { checkDatasetSize, LIMITS } from '../../src/core/data/limits';

describe('upload size limits', () => {
  it('names the dataset or modality and the limit', () => {
    expect(() => checkDatasetSize('big', LIMITS.samples + 1, [{ name: 'a', size: 2 }])).toThrow(
      'big has 100001 samples, over the limit of 100,000',
    );
    expect(() => checkDatasetSize('d', 10, [{ name: 'photo', size: 512 * 512 }])).toThrow(
      'Modality photo has 262,144 values per sample, over the limit of 65,536',
    );
    expect(() => checkDatasetSize('d', 90_000, [{ name: 'a', size: 1000 }])).toThrow(
      'd holds 90,000,000 values, over the limit of 67,108,864',
    );
    expect(() => checkDatasetSize('d', 2000, [{ name: 'a', size: 784 }])).not.toThrow();
  });
});
