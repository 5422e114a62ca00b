import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendSelector } from '../../src/core/backend/backendSelector';
import { fastestBackend } from '../../src/core/backend/fastestBackend';
import { builtinTimingModel, type TimingModel } from '../../src/core/backend/timingModel';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';

const BUDGET = { measureMs: 60, totalMs: 400 };
const mlp = builtinTimingModel(DEFAULT_CONFIG);
const cnnConfig: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  data: {
    ...DEFAULT_CONFIG.data,
    kind: 'audioVisual',
    audioVisual: { ...DEFAULT_CONFIG.data.audioVisual, samples: 200 },
  },
  model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [2], outDim: 8 } },
};
const cnn = builtinTimingModel(cnnConfig);
const notAgain = (): TimingModel => {
  throw new Error('this kind of model was timed already');
};

/** A stand-in 'wasm' backend in Node: the CPU kernels under WASM's name (the selector goes by name). */
function registerFakeWasm(): void {
  const cpuCtor = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
  tf.registerBackend('wasm', () => new cpuCtor(), 0);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'wasm' });
}

afterEach(async () => {
  await tf.setBackend('cpu');
  if (tf.findBackendFactory('wasm')) {
    for (const k of tf.getKernelsForBackend('wasm')) tf.unregisterKernel(k.kernelName, 'wasm');
    tf.removeBackend('wasm');
  }
});

describe('BackendSelector, auto', () => {
  beforeEach(registerFakeWasm);

  it('times every usable backend on the model and takes the fastest', async () => {
    const s = new BackendSelector('auto', {}, BUDGET);
    const change = (await s.fit(false, () => mlp))!;
    const { info } = change;
    expect(change.switched).toBe(true);
    expect(info.timings.map((t) => t.name).sort()).toEqual(['cpu', 'wasm']);
    expect(info.timings.every((t) => t.stepsPerSecond! > 0)).toBe(true);
    expect(info.name).toBe(fastestBackend(info.timings, false)!.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(info.reason).toMatch(
      new RegExp(`^auto: ${info.name} was (fastest|within 5% of the fastest) on this model \\(`),
    );
    // WebGPU and WebGL are not registered in Node: tried, not timed.
    expect(info.attempts.filter((a) => !a.ok).map((a) => a.name)).toEqual(['webgpu', 'webgl']);
    // The same kind of model is not timed again.
    expect(await s.fit(false, notAgain)).toBeNull();
  });

  it('re-selects without WASM when the model gains convolutions, and goes back without timing again', async () => {
    const s = new BackendSelector('auto', {}, BUDGET);
    const first = (await s.fit(false, () => mlp))!.info;
    const conv = (await s.fit(true, () => cnn))!;
    expect(conv.info.name).toBe('cpu');
    expect(conv.info.canTrainConvolutions).toBe(true);
    expect(conv.switched).toBe(first.name !== 'cpu');
    expect(conv.info.timings.find((t) => t.name === 'wasm')).toMatchObject({
      stepsPerSecond: null,
      skipped: 'cannot train convolutions',
    });
    expect(conv.info.reason).toContain('wasm not timed (cannot train convolutions)');
    expect(tf.getBackend()).toBe('cpu');
    const back = (await s.fit(false, notAgain))!;
    expect(back.info).toEqual(first);
    expect(tf.getBackend()).toBe(first.name);
  });

  it('with onlyIfRequired, keeps a backend that can still train the model', async () => {
    const s = new BackendSelector('cpu', {}, BUDGET);
    await s.fit(false, notAgain);
    expect(await s.fit(true, notAgain, true)).toBeNull();
    expect(s.info!.name).toBe('cpu');
  });
});

describe('BackendSelector, forced', () => {
  beforeEach(registerFakeWasm);

  it('a forced WASM hands a CNN to the fastest backend that can train it, then comes back', async () => {
    const s = new BackendSelector('wasm', {}, BUDGET);
    expect((await s.fit(false, notAgain))!.info).toMatchObject({ name: 'wasm', reason: 'forced by the user (wasm)' });
    const conv = (await s.fit(true, () => cnn))!;
    expect(conv.switched).toBe(true);
    expect(conv.info).toMatchObject({ name: 'cpu', choice: 'wasm', canTrainConvolutions: true });
    expect(conv.info.reason).toMatch(
      /^wasm was forced but cannot train this model's convolutions, so auto: cpu was fastest on this model \(cpu /,
    );
    const back = (await s.fit(false, notAgain))!;
    expect(back).toMatchObject({ switched: true, info: { name: 'wasm', reason: 'forced by the user (wasm)' } });
    expect(tf.getBackend()).toBe('wasm');
  });
});
