import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
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
