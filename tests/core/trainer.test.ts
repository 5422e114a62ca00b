import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import type { Snapshot } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';

const small = (epochs: number, seed = 3): ExperimentConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 400 } },
  train: { ...DEFAULT_CONFIG.train, epochs, seed },
});

async function runAll(config: ExperimentConfig): Promise<Snapshot[]> {
  const trainer = new Trainer(prepareDataset(config).data, config);
  const out: Snapshot[] = [];
  for await (const s of trainer.run()) out.push(s);
  trainer.dispose();
  return out;
}

describe('Trainer', () => {
  it('learns the toy data: validation accuracy well above chance after a few epochs', async () => {
    const snaps = await runAll(small(8));
    const last = snaps.filter((s) => s.kind === 'epoch').at(-1)!;
    expect(last.kind === 'epoch' && last.record.val.accuracy).toBeGreaterThan(0.8);
    expect(snaps.at(-1)!.kind).toBe('done');
  });

  it('is deterministic for a seed, and another seed gives other numbers', async () => {
    const losses = (s: Snapshot[]) => s.map((x) => x.progress.loss);
    const a = await runAll(small(2, 5));
    const b = await runAll(small(2, 5));
    const c = await runAll(small(2, 6));
    expect(losses(a)).toEqual(losses(b));
    expect(losses(a)).not.toEqual(losses(c));
  });

  it('reports progress between epochs and an epoch record at each epoch end', async () => {
    const config = small(2);
    const snaps = await runAll(config);
    const epochs = snaps.filter((s) => s.kind === 'epoch');
    expect(epochs.map((s) => s.progress.epoch)).toEqual([1, 2]);
    const steps = snaps.map((s) => s.progress.step);
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    expect(snaps.at(-1)!.progress.step).toBe(snaps.at(-1)!.progress.totalSteps);
  });

  it('keeps the tensor count flat across epochs', async () => {
    const config = small(6);
    const trainer = new Trainer(prepareDataset(config).data, config);
    const counts: number[] = [];
    for await (const s of trainer.run()) if (s.kind === 'epoch') counts.push(tf.memory().numTensors);
    // The last epoch ends the phase and frees its optimiser, so the count may only fall.
    expect(new Set(counts.slice(0, -1)).size).toBe(1);
    expect(counts.at(-1)).toBeLessThanOrEqual(counts[0]);
    const before = tf.memory().numTensors;
    trainer.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('releases every tensor it made on dispose', async () => {
    const start = tf.memory().numTensors;
    await runAll(small(1));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('releases the rest of the epoch batches when disposed mid-epoch', async () => {
    const start = tf.memory().numTensors;
    const config = small(2);
    const trainer = new Trainer(prepareDataset(config).data, config);
    const s = await trainer.advance(3);
    expect(s.kind).toBe('progress');
    expect(s.progress.step).toBe(3);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('stops a diverging run with a message naming the phase and epoch', async () => {
    const config = small(3);
    const { data } = prepareDataset(config);
    data.features[0][0] = Infinity;
    const trainer = new Trainer(data, config);
    const out: Snapshot[] = [];
    for await (const s of trainer.run()) out.push(s);
    trainer.dispose();
    const last = out.at(-1)!;
    expect(last.kind).toBe('diverged');
    expect(last.kind === 'diverged' && last.message).toMatch(
      /^Training diverged: the loss became NaN in phase "train" at epoch 1 \(step \d+\)\./,
    );
  });
});
