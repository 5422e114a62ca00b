import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { CURVE_EPS, histogram, quantiles } from '../../src/core/robust/epochEvaluation';
import { Trainer } from '../../src/core/train/trainer';

describe('live evaluation after each epoch', () => {
  it('quantiles interpolate and the histogram bins from 0 to the largest finite value', () => {
    expect(quantiles([4, 1, 3, 2, 5], [0, 0.5, 1, 0.25])).toEqual([1, 3, 5, 2]);
    expect(histogram([0, 0.5, 1, 1, Infinity], 2)).toEqual({ edges: [0, 0.5, 1], counts: [1, 4] });
  });

  it('each epoch record carries margin quantiles, a radius histogram and certified-accuracy curves', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 400 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 3 },
    };
    const trainer = new Trainer(prepareDataset(config).data, config);
    const evals = [];
    for await (const s of trainer.run()) if (s.kind === 'epoch') evals.push(s.record.evaluation!);
    trainer.dispose();
    expect(evals.length).toBe(4); // 3 epochs of step 1 and 1 of step 2
    const e = evals.at(-1)!;
    expect(e.marginQuantiles).toHaveLength(2);
    for (const q of e.marginQuantiles) expect([...q]).toEqual([...q].sort((a, b) => a - b));
    expect(e.radiusHistogram.counts.reduce((a, b) => a + b, 0)).toBe(trainer.splits.val.n);
    expect(e.certified.eps).toEqual(CURVE_EPS);
    // Certified accuracy falls with ε, and the per-modality curves sit above the joint one.
    const all = e.certified.sound.all;
    expect(all).toEqual([...all].sort((a, b) => b - a));
    e.certified.sound.perModality.forEach((curve) => curve.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(all[i])));
    expect(e.certified.estimatedOver).toBe(256);
    // The curves move as training goes on.
    expect(evals[0].certified.sound.all).not.toEqual(all);
  });
});
