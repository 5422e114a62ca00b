import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { runExperiment } from '../../src/core/experiment/runExperiment';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { attackAccuracy, attackSpec } from '../../src/core/robust/attacks';
import { ViewStopped } from '../../src/core/robust/attackView';
import { Trainer } from '../../src/core/train/trainer';
import { attackCostView } from '../../src/worker/attackCostView';

const config: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 600 } },
  train: { ...DEFAULT_CONFIG.train, epochs: 4, liveEvaluation: false },
};
const prepared = prepareDataset(config);
const names = prepared.data.modalities.map((m) => m.name);
let trainer: Trainer;

beforeAll(async () => {
  trainer = new Trainer(prepared.data, config);
  for await (const s of trainer.run()) if (s.kind === 'diverged') throw new Error(s.message);
});

afterAll(() => trainer.dispose());

describe("the attack panel's measured cheapest modality (computed in the worker)", () => {
  it("gives the CLI's numbers for the same model on the validation split: bound and measurement", async () => {
    const view = await attackCostView(trainer, names, config.attack, config.train.seed, prepared.stats, () => false);
    // The CLI's path: the exported model evaluated as it stands (--weights … --epochs 0 --eval-split val).
    const files = await exportModel(trainer.model, {
      dataset: prepared.data.name,
      modalities: prepared.data.modalities,
      classes: prepared.data.classNames,
      experiment: config,
      standardisation: prepared.stats,
    });
    const cli = await runExperiment(
      prepared.data,
      { ...config, train: { ...config.train, epochs: 0 } },
      {
        model: importModel(files).model,
        evalSplit: 'val',
        eps: [0.1],
        backend: 'cpu',
        standardisation: prepared.stats,
      },
    );
    expect(view.clean).toBe(cli.clean.accuracy);
    expect(view.preference.measured).toEqual(cli.preference.measured);
    expect(view.preference.medianRadius.sound).toEqual(cli.preference.medianRadius.sound);
    expect(view.preference.cheapest.sound).toBe(cli.preference.cheapest.sound);
    expect(view.dims).toEqual([2, 2]);
    // Raw units as the CLI's result states them.
    expect(view.featureStd).toEqual(cli.units.featureStd);
    expect(view.featureStd!.rms.every((s) => s > 0 && Number.isFinite(s))).toBe(true);

    // What the numbers mean: at each halving ε, PGD on that modality alone leaves at most half the clean accuracy.
    const m = view.preference.measured!;
    expect(m.targetAccuracy).toBeCloseTo(view.clean / 2, 12);
    const { x, y } = trainer.splits.val;
    for (let i = 0; i < names.length; i++) {
      const eps = m.halvingEps[i];
      expect(eps, names[i]).not.toBeNull();
      expect(eps!).toBeGreaterThan(0);
      const mask = names.map((_, j) => j === i);
      const acc = (e: number) =>
        attackAccuracy(trainer.model, x, y, attackSpec('pgd-l2', mask, e, config.attack, config.train.seed));
      expect(await acc(eps!)).toBeLessThanOrEqual(m.targetAccuracy);
      expect(m.halvingEpsPerFeature[i]).toBeCloseTo(eps! / Math.sqrt(2), 12);
    }
  }, 120_000);

  it('stops when the page withdraws it, and leaves no tensor behind', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const before = tf.memory().numTensors;
    let asked = 0;
    // Withdrawn after the bound and the first attacks: the search ends at its next attack.
    const stop = () => ++asked > 3;
    await expect(attackCostView(trainer, names, config.attack, config.train.seed, null, stop)).rejects.toBeInstanceOf(
      ViewStopped,
    );
    expect(asked).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model without a validation split, in words', async () => {
    const noVal = { ...trainer, splits: { ...trainer.splits, val: { ...trainer.splits.val, n: 0 } } } as Trainer;
    await expect(attackCostView(noVal, names, config.attack, 1, null, () => false)).rejects.toThrow(
      'There is no validation split to measure the attacks on.',
    );
  });
});
