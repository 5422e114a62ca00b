import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/nodeBackend';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import type { Activation } from '../../src/core/model/activationNames';
import { Trainer, type TrainerOptions } from '../../src/core/train/trainer';

const config = (activation: Activation = 'relu', weightDecay = 0, method = 'jt' as const): ExperimentConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 1200 } },
  model: { ...DEFAULT_CONFIG.model, activation },
  train: { ...DEFAULT_CONFIG.train, method, epochs: 4, weightDecay, liveEvaluation: false },
});

function trainer(c: ExperimentConfig, options: TrainerOptions = {}): Trainer {
  return new Trainer(prepareDataset(c).data, c, undefined, options);
}

const weights = (t: Trainer) => [...t.model.params.values()].map((v) => Array.from(v.dataSync()));

describe.each(['cpu', 'wasm'] as const)('Trainer on %s: the hand-written jt step', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') {
      await initNodeBackend('wasm');
      // As the lab runs: IS_TEST's kernel leak check trips on the tape's custom ops under WASM.
      tf.env().set('IS_TEST', false);
    } else await tf.setBackend('cpu');
  });
  afterAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it('is the path a default jt run takes, and the tape is the path of crmt-jt and of tapeOnly', async () => {
    const hand = trainer(config());
    const tape = trainer(config(), { tapeOnly: true });
    const crmt = trainer({ ...config(), train: { ...config().train, method: 'crmt-jt' } });
    for (const t of [hand, tape, crmt]) await t.advance(1);
    expect([hand.gradientPath, tape.gradientPath, crmt.gradientPath]).toEqual(['hand', 'tape', 'tape']);
    // Observable without the flag: far fewer kernels per step than the tape's.
    const kernels = async (t: Trainer) =>
      (
        await tf.profile(async () => {
          await t.advance(1);
        })
      ).kernels.length;
    const [handKernels, tapeKernels] = [await kernels(hand), await kernels(tape)];
    expect(handKernels).toBeLessThan(0.7 * tapeKernels);
    for (const t of [hand, tape, crmt]) t.dispose();
  });

  it.each([
    ['relu', 0],
    ['leakyRelu', 0.01],
    ['tanh', 0],
  ] as const)(
    '%s, λ = %s: weights and loss after 10 steps equal the tape path within float32 tolerance',
    async (a, wd) => {
      const hand = trainer(config(a, wd));
      const tape = trainer(config(a, wd), { tapeOnly: true });
      const start = weights(hand);
      const [h, t] = [await hand.advance(10), await tape.advance(10)];
      expect(hand.gradientPath).toBe('hand');
      expect(h.progress.step).toBe(10);
      expect(Math.abs(h.progress.loss - t.progress.loss)).toBeLessThan(1e-5 * Math.abs(t.progress.loss));
      const [wh, wt] = [weights(hand), weights(tape)];
      let moved = 0;
      wh.forEach((w, i) =>
        w.forEach((v, j) => {
          // lr 0.01 × 10 Adam steps moves a weight by up to 0.1; the two paths differ by float32 noise.
          expect(Math.abs(v - wt[i][j])).toBeLessThan(1e-5);
          moved = Math.max(moved, Math.abs(v - start[i][j]));
        }),
      );
      expect(moved).toBeGreaterThan(0.01);
      hand.dispose();
      tape.dispose();
    },
  );

  it('keeps the tensor count flat across steps and epochs', async () => {
    const t = trainer({ ...config(), train: { ...config().train, epochs: 100 } });
    // The first epoch's end makes the selection's copy of the best weights; from then on nothing grows.
    while ((await t.advance(5)).kind !== 'epoch');
    const counts: number[] = [];
    for (let i = 0; i < 12; i++) {
      await t.advance(5);
      counts.push(tf.memory().numTensors);
    }
    expect(t.gradientPath).toBe('hand');
    expect(t.position.epoch).toBeGreaterThan(3);
    expect(new Set(counts).size).toBe(1);
    t.dispose();
  });
});
