import { describe, expect, it } from 'vitest';
import { splitIndices, SPLIT_CODE } from '../../src/core/data/dataset';
import { stratifiedSplit } from '../../src/core/data/splits';
import { applyStandardisation, trainingStatistics } from '../../src/core/data/standardise';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { generateToy2d } from '../../src/core/data/builtin/toy2d';

const TOY2D_DEFAULTS = DEFAULT_CONFIG.data.toy2d;
import { createRng } from '../../src/core/random';

describe('stratifiedSplit', () => {
  it('keeps each class in every split in proportion', () => {
    const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const split = stratifiedSplit(labels, { val: 0.2, test: 0.1 }, createRng(1));
    for (let k = 0; k < 3; k++) {
      const idx = [...labels.keys()].filter((i) => labels[i] === k);
      const count = (code: number) => idx.filter((i) => split[i] === code).length;
      expect(count(SPLIT_CODE.test)).toBe(10);
      expect(count(SPLIT_CODE.val)).toBe(20);
      expect(count(SPLIT_CODE.train)).toBe(70);
    }
  });
});

describe('generateToy2d', () => {
  it('is seeded: same parameters give the same data, another seed other data', () => {
    const a = generateToy2d(TOY2D_DEFAULTS);
    const b = generateToy2d(TOY2D_DEFAULTS);
    const c = generateToy2d({ ...TOY2D_DEFAULTS, seed: 2 });
    expect(a.features[0]).toEqual(b.features[0]);
    expect(a.split).toEqual(b.split);
    expect(a.features[0]).not.toEqual(c.features[0]);
  });

  it('has two 2-D modalities, the asked-for classes and samples, and centres at the separation', () => {
    const p = { ...TOY2D_DEFAULTS, classes: 3, samples: 3000, noiseA: 0.1, noiseB: 0.1 };
    const d = generateToy2d(p);
    expect(d.modalities.map((m) => m.shape)).toEqual([[2], [2]]);
    expect(d.labels.length).toBe(3000);
    expect(new Set(d.labels).size).toBe(3);
    // Mean of class 0 in modality A lies at angle 0 on the circle of radius separationA.
    const xs = [...d.labels.keys()].filter((i) => d.labels[i] === 0).map((i) => d.features[0][2 * i]);
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean).toBeCloseTo(p.separationA, 1);
  });
});

describe('standardisation', () => {
  it('uses training-split statistics only and maps the training split to mean 0, std 1', () => {
    const d = generateToy2d(TOY2D_DEFAULTS);
    // Poison the test split: it must not move the statistics.
    const poisoned = { ...d, features: d.features.map((x) => x.slice()) };
    for (const i of splitIndices(d, 'test')) poisoned.features[0][2 * i] = 1e6;
    const s = trainingStatistics(d);
    expect(trainingStatistics(poisoned).mean[0]).toEqual(s.mean[0]);
    const z = applyStandardisation(d, s);
    const train = splitIndices(d, 'train');
    for (let j = 0; j < 2; j++) {
      const col = [...train].map((i) => z.features[1][2 * i + j]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(sd).toBeCloseTo(1, 4);
    }
  });

  it('maps a constant feature to 0 instead of dividing by zero', () => {
    const d = generateToy2d({ ...TOY2D_DEFAULTS, samples: 100 });
    d.features[0] = d.features[0].map((v, i) => (i % 2 === 0 ? 3 : v));
    const z = applyStandardisation(d, trainingStatistics(d));
    expect(z.features[0][0]).toBe(0);
  });
});
