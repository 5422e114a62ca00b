import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import type { Progress } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';
import { createRng } from '../../src/core/random';
import { pointAfterChunk } from '../../src/worker/pausePoint';

describe('pointAfterChunk: where a paused chunk ends, told before it ends', () => {
  it('matches what the trainer reports after every chunk of random size, across every phase of crmt-jt', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 3, liveEvaluation: false },
    };
    const trainer = new Trainer(prepareDataset(config).data, config);
    const rng = createRng(9);
    let last: Progress | null = null;
    let checked = 0;
    let lipschitz = 0;
    while (!trainer.isFinished) {
      const steps = 1 + rng.int(7);
      const predicted = pointAfterChunk(last, trainer.plan, trainer.stepsPerEpoch, steps);
      const s = await trainer.advance(steps);
      if (s.kind === 'lipschitz') {
        expect(predicted).toBeNull();
        lipschitz++;
      } else {
        const { phase, phaseIndex, epoch, epochs, step } = s.progress;
        expect(predicted).toEqual({ phase, phaseIndex, epoch, epochs, step });
        checked++;
      }
      last = s.progress;
    }
    trainer.dispose();
    expect(lipschitz).toBe(1);
    // Step 1 and step 2 over 3 + 1 epochs of 3 steps, in chunks of 1 to 7 steps.
    expect(checked).toBeGreaterThan(4);
  });

  it('starts at the first phase with nothing done, and has nothing to say when nothing is planned', () => {
    expect(pointAfterChunk(null, [{ phase: 'train', epochs: 2 }], 5, 3)).toEqual({
      phase: 'train',
      phaseIndex: 0,
      epoch: 0,
      epochs: 2,
      step: 3,
    });
    expect(pointAfterChunk(null, [{ phase: 'train', epochs: 2 }], 5, 9)).toMatchObject({ epoch: 1, step: 5 });
    expect(pointAfterChunk(null, [], 5, 3)).toBeNull();
  });
});
