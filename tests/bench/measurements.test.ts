import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { benchConfig, benchData } from '../../src/bench/benchCases';
import type { BenchPlan } from '../../src/bench/benchTypes';
import { measureMemory } from '../../src/bench/memoryCheck';
import { measureThroughput, timeSteps } from '../../src/bench/trainingThroughput';
import { Trainer } from '../../src/core/train/trainer';

const plan: BenchPlan = {
  methods: ['jt'],
  models: ['mlp'],
  secondsPerCase: 0.2,
  secondsPerRepeat: 0.05,
  maxStepsPerRepeat: 10,
  minRepeats: 3,
  maxRepeats: 4,
  memoryEpochs: 2,
  memoryMethods: ['jt'],
  memoryBudgetSeconds: 60,
  evalSamples: 0,
  evalMethods: [],
  evalBudgetSeconds: 0,
  profile: false,
};

describe('bench measurements on the CPU backend', () => {
  const config = benchConfig('mlp', 'jt');
  const data = benchData(config);

  it('timeSteps: times exactly the steps asked for, in chunks that never reach an epoch end', async () => {
    const trainer = new Trainer(data, config);
    try {
      const perEpoch = trainer.stepsPerEpoch; // 13 on the default toy
      const seconds = await timeSteps(trainer, 25, 10);
      expect(seconds).toBeGreaterThan(0);
      // 10 timed, 3 untimed to the epoch end, 10 timed, 3 untimed, 5 timed: 31 steps run, 25 of them timed.
      expect(perEpoch).toBe(13);
      expect(trainer.position.step).toBe(31);
    } finally {
      trainer.dispose();
    }
  });

  it('throughput: repeats within bounds, each a positive rate, and nothing left allocated', async () => {
    const before = tf.memory().numTensors;
    const row = await measureThroughput('mlp', data, config, plan);
    expect(row.status).toBe('ok');
    expect(row.repeats!.length).toBeGreaterThanOrEqual(3);
    expect(row.repeats!.length).toBeLessThanOrEqual(4);
    expect(row.stepsPerRepeat).toBeGreaterThanOrEqual(1);
    expect(row.stepsPerRepeat).toBeLessThanOrEqual(10);
    expect(row.repeats!.every((r) => r > 0)).toBe(true);
    expect(row.stepsPerSecond! * 64).toBeCloseTo(row.samplesPerSecond!);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('memory: the lab loop is flat over epochs and dispose frees everything', async () => {
    const row = await measureMemory(data, benchConfig('mlp', 'jt', true), 2, 60);
    expect(row.flat).toBe(true);
    expect(row.tensors.afterFirstEpoch).toBeGreaterThan(row.tensors.before);
    expect(row.tensors.afterDispose).toBe(row.tensors.before);
  });

  it('memory: refuses a run that cannot fit its budget, and still frees the trainer', async () => {
    const before = tf.memory().numTensors;
    await expect(measureMemory(data, benchConfig('mlp', 'jt', true), 20, 1e-6)).rejects.toThrow(/skipped: 20 epochs/);
    // Up front, from a measured step rate: 20 epochs of 10+ steps at 1 step/s cannot fit 60 s.
    await expect(measureMemory(data, benchConfig('mlp', 'jt', true), 20, 60, 1)).rejects.toThrow(/1\.00 steps\/s/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
