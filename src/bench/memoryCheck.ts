import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { Trainer } from '../core/train/trainer';
import type { MemoryRow } from './benchTypes';
import { median } from './stats';

/**
 * Tensor count and bytes across `epochs` epochs of the lab's own loop (live evaluation on): after
 * the first epoch every buffer (optimizer moments, kernels' scratch) exists, so the counts must
 * not move afterwards, and dispose must return to where the trainer started. A backend too slow
 * for `epochs` epochs within the budget is refused up front (from its measured step rate) or
 * after its second epoch.
 */
export async function measureMemory(
  data: Dataset,
  config: ExperimentConfig,
  epochs: number,
  budgetSeconds: number,
  stepsPerSecond?: number,
): Promise<MemoryRow> {
  const snap = () => tf.memory();
  const before = snap();
  const trainer = new Trainer(data, config);
  const epochSeconds: number[] = [];
  let afterFirst = before;
  let afterEpochs = before;
  const skip = (seconds: number, why: string) =>
    new Error(
      `skipped: ${epochs} epochs would take at least ${Math.round(seconds)} s here (${why}), over the ${budgetSeconds} s budget`,
    );
  try {
    // The measured step rate bounds an epoch from below (live evaluation comes on top).
    const lowerBound = stepsPerSecond ? (epochs * trainer.stepsPerEpoch) / stepsPerSecond : 0;
    if (lowerBound > budgetSeconds) throw skip(lowerBound, `${stepsPerSecond!.toFixed(2)} steps/s`);
    for (let e = 0; e <= epochs; e++) {
      const t0 = performance.now();
      for (;;) {
        const s = await trainer.advance(config.train.progressEvery);
        if (s.kind === 'diverged') throw new Error(s.message);
        if (s.kind === 'epoch') break;
      }
      if (e === 0) afterFirst = snap();
      else epochSeconds.push((performance.now() - t0) / 1000);
      if (e === 1 && epochs * epochSeconds[0] > budgetSeconds)
        throw skip(epochs * epochSeconds[0], `${epochSeconds[0].toFixed(1)} s per epoch`);
    }
    afterEpochs = snap();
  } finally {
    trainer.dispose();
  }
  const afterDispose = snap();
  const tensors = {
    before: before.numTensors,
    afterFirstEpoch: afterFirst.numTensors,
    afterEpochs: afterEpochs.numTensors,
    afterDispose: afterDispose.numTensors,
  };
  const bytes = {
    before: before.numBytes,
    afterFirstEpoch: afterFirst.numBytes,
    afterEpochs: afterEpochs.numBytes,
    afterDispose: afterDispose.numBytes,
  };
  return {
    method: config.train.method,
    samples: data.labels.length,
    epochs,
    tensors,
    bytes,
    flat:
      tensors.afterEpochs === tensors.afterFirstEpoch &&
      bytes.afterEpochs === bytes.afterFirstEpoch &&
      tensors.afterDispose === tensors.before &&
      bytes.afterDispose === bytes.before,
    secondsPerEpoch: median(epochSeconds),
  };
}
