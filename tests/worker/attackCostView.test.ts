import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { runExperiment } from '../../src/core/experiment/runExperiment';
import { exportModel, importModel } from '../../src/core/io/exportModel';
import { attackAccuracy, attackSpec } from '../../src/core/robust/attacks';
import { ViewStopped } from '../../src/core/robust/attackView';
import { median } from '../../src/core/robust/certify';
import { localBoundView } from '../../src/core/robust/localBoundView';
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

  it("puts the local bound beside the sound one: the page's local-bound view's sample and radii, never below sound", async () => {
    const view = await attackCostView(trainer, names, config.attack, config.train.seed, null, () => false);
    const { x, y, n } = trainer.splits.val;
    const local = view.local!;
    expect(local.samples).toBe(Math.min(config.attack.localBound!, n));
    expect(local.samples).toBeGreaterThan(0);
    expect(local.of).toBe(n);
    // The same seeded sample and radii as the page's local-bound view of the same model.
    const page = await localBoundView(trainer.model, x, y, config.attack.localBound, config.train.seed);
    expect(page.indices.length).toBe(local.samples);
    names.forEach((name, m) => {
      const radii = page.indices.map((i) => page.perModality[m][i]);
      expect(local.medianRadius[m], name).toBe(median(Float64Array.from(radii)));
      // Sample by sample the local radius is floored by the sound one, so the medians are ordered too.
      expect(local.medianRadius[m], name).toBeGreaterThanOrEqual(local.soundMedianRadius[m]);
      expect(local.soundMedianRadius[m], name).toBeGreaterThan(0);
    });

    const none = await attackCostView(
      trainer,
      names,
      { ...config.attack, localBound: 0 },
      config.train.seed,
      null,
      () => false,
    );
    expect(none.local).toBeNull();
    expect(none.preference.medianRadius.sound).toEqual(view.preference.medianRadius.sound);
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

  it('stops in the local bound too, between its samples, and leaves no tensor behind', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const before = tf.memory().numTensors;
    let inLocal = false;
    let chunks = 0;
    // Withdrawn once the local bound has certified its first sample: the next check stops it.
    const between = async () => {
      chunks++;
      inLocal = true;
    };
    await expect(
      attackCostView(trainer, names, config.attack, config.train.seed, null, () => inLocal, { between }),
    ).rejects.toBeInstanceOf(ViewStopped);
    expect(chunks).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model without a validation split, in words', async () => {
    const noVal = { ...trainer, splits: { ...trainer.splits, val: { ...trainer.splits.val, n: 0 } } } as Trainer;
    await expect(attackCostView(noVal, names, config.attack, 1, null, () => false)).rejects.toThrow(
      'There is no validation split to measure the attacks on.',
    );
  });
});
