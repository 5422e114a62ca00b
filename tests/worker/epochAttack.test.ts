import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import * as tf from '@tensorflow/tfjs-core';
import { attackAccuracy, attackSpec } from '../../src/core/robust/attacks';
import { attackView, ViewStopped } from '../../src/core/robust/attackView';
import { Trainer } from '../../src/core/train/trainer';
import { epochAttack } from '../../src/worker/epochAttack';

let trainer: Trainer;
/** The experiment's attack settings: the lab's PGD, no random start, so PGD is deterministic. */
const settings = DEFAULT_CONFIG.attack;

beforeAll(async () => {
  // 1,800 samples: a validation split of 270, so two slices of at most 256.
  const config: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 1800 } },
    train: { ...DEFAULT_CONFIG.train, epochs: 2, liveEvaluation: false },
  };
  trainer = new Trainer(prepareDataset(config).data, config);
  for await (const s of trainer.run()) if (s.kind === 'diverged') throw new Error(s.message);
});

afterAll(() => trainer.dispose());

describe("the attack recorded after each epoch (the worker's sliced evaluation)", () => {
  it("gives attackAccuracy's own number for the deterministic attacks, over slices of the validation split", async () => {
    const { x, y, n } = trainer.splits.val;
    expect(n).toBeGreaterThan(256);
    for (const [kind, targets, eps] of [
      ['pgd-l2', [true, false], 1],
      ['fgm', [false, true], 0.5],
      ['pgd-linf', [true, true], 0.3],
      ['missing-mean', [true, false], 0],
    ] as const) {
      const whole = await attackAccuracy(trainer.model, x, y, attackSpec(kind, [...targets], eps, settings));
      const sliced = await epochAttack(trainer.model, x, y, ['A', 'B'], { kind, targets: [...targets], eps }, settings);
      expect(sliced.accuracy, kind).toBeCloseTo(whole, 10);
      expect(sliced.targets).toEqual(['A', 'B'].filter((_, m) => targets[m]));
    }
  });
});

describe('the watched attack with random draws', () => {
  it('a random attack draws per slice of 256 samples, each slice seeded by its index, as before', async () => {
    const { x, y, n } = trainer.splits.val;
    // A second run from a random start. (Not Gaussian noise: tfjs takes a seed of 0, which the
    // first slice's first modality gets, as no seed, so that draw is not reproducible.)
    const random = { ...settings, restarts: 2, steps: 3 };
    const w = { kind: 'pgd-l2' as const, targets: [true, true], eps: 1.5 };
    // The oracle: attackAccuracy on each 256-sample slice with the slice's index as its seed.
    let correct = 0;
    for (let start = 0, b = 0; start < n; start += 256, b++) {
      const size = Math.min(256, n - start);
      const xb = x.map((t) => t.slice([start, 0], [size, -1]));
      const yb = y.slice(start, size);
      const spec = attackSpec(w.kind, w.targets, w.eps, random, b);
      correct += Math.round(size * (await attackAccuracy(trainer.model, xb, yb, spec)));
      tf.dispose([...xb, yb]);
    }
    const sliced = await epochAttack(trainer.model, x, y, ['A', 'B'], w, random);
    expect(sliced.accuracy).toBe(correct / n);
  });
});

describe('attackView', () => {
  it('stops between points once its caller no longer wants it, and answers in full otherwise', async () => {
    const { x, y } = trainer.splits.val;
    const request = { kind: 'pgd-l2' as const, targets: [true, false], eps: 0.5, sample: 0 };
    let asked = 0;
    await expect(
      attackView(trainer.model, x, y, ['A', 'B'], request, settings, () => ++asked > 3),
    ).rejects.toBeInstanceOf(ViewStopped);
    expect(asked).toBe(4);
    const view = await attackView(trainer.model, x, y, ['A', 'B'], request, settings);
    expect(view.curves).toHaveLength(3);
    expect(view.accuracy).toBeCloseTo(
      await attackAccuracy(trainer.model, x, y, attackSpec('pgd-l2', [true, false], 0.5, settings)),
      10,
    );
  });
});
