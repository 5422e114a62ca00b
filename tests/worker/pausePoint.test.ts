import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { Trainer } from '../../src/core/train/trainer';
import { createRng } from '../../src/core/random';
import { pointAfterChunk } from '../../src/worker/pausePoint';

/** Advances in chunks of random size, checking each prediction against what the trainer then reports. */
async function checkEveryChunk(config: ExperimentConfig, seed: number) {
  const trainer = new Trainer(prepareDataset(config).data, config);
  const rng = createRng(seed);
  let checked = 0;
  let lipschitz = 0;
  let epochSteps = new Set<number>();
  let stoppedEarly = false;
  while (!trainer.isFinished) {
    const steps = 1 + rng.int(7);
    epochSteps = epochSteps.add(trainer.position.epochSteps);
    const predicted = pointAfterChunk(trainer.position, trainer.plan, steps);
    const s = await trainer.advance(steps);
    if (s.kind === 'lipschitz') {
      expect(predicted).toBeNull();
      lipschitz++;
    } else {
      const { phase, phaseIndex, epoch, epochs, step } = s.progress;
      expect(predicted).toEqual({ phase, phaseIndex, epoch, epochs, step });
      checked++;
      if (s.kind === 'epoch' && s.record.selection?.stoppedEarly) stoppedEarly = true;
    }
  }
  trainer.dispose();
  return { checked, lipschitz, epochSteps, stoppedEarly };
}

describe('pointAfterChunk: where a paused chunk ends, told before it ends', () => {
  it('matches what the trainer reports after every chunk of random size, across every phase of crmt-jt', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 3, liveEvaluation: false },
    };
    expect(config.train.step2.data).toBe('validation');
    const { checked, lipschitz, epochSteps } = await checkEveryChunk(config, 9);
    expect(lipschitz).toBe(1);
    // Step 1 on the training split and step 2 on the validation split: epochs of different lengths.
    expect(epochSteps.size).toBeGreaterThan(1);
    expect(checked).toBeGreaterThan(4);
  });

  it('follows a phase that early stopping ended before its planned epochs', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 400, noiseA: 1.2 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 40, patience: 1, liveEvaluation: false },
    };
    const { checked, stoppedEarly } = await checkEveryChunk(config, 4);
    expect(stoppedEarly).toBe(true);
    expect(checked).toBeGreaterThan(4);
  });

  it('starts at the first phase with nothing done, and has nothing to say when nothing is planned', () => {
    const start = { phaseIndex: 0, epoch: 0, step: 0, stepInEpoch: 0, epochSteps: 5 };
    expect(pointAfterChunk(start, [{ phase: 'train', epochs: 2 }], 3)).toEqual({
      phase: 'train',
      phaseIndex: 0,
      epoch: 0,
      epochs: 2,
      step: 3,
    });
    expect(pointAfterChunk(start, [{ phase: 'train', epochs: 2 }], 9)).toMatchObject({ epoch: 1, step: 5 });
    expect(pointAfterChunk({ ...start, step: 8, stepInEpoch: 3 }, [{ phase: 'train', epochs: 2 }], 9)).toMatchObject({
      epoch: 1,
      step: 10,
    });
    expect(pointAfterChunk(start, [], 3)).toBeNull();
  });
});
