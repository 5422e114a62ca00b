import * as tf from '@tensorflow/tfjs-core';
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

/**
 * Stand-ins for backends Node lacks: the CPU kernels under another name (the selector times
 * whatever is registered). The WASM stand-in has no Conv2DBackpropFilter, as tfjs-backend-wasm
 * alone has none, so these tests see a backend that cannot train convolutions;
 * wasmConvolution.test.ts has the real WASM backend with the lab's kernel train one.
 */
function registerStandIn(name: 'wasm' | 'webgl'): void {
  const cpuCtor = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
  tf.registerBackend(name, () => new cpuCtor(), 0);
  for (const k of tf.getKernelsForBackend('cpu'))
    if (name !== 'wasm' || k.kernelName !== 'Conv2DBackpropFilter') tf.registerKernel({ ...k, backendName: name });
}

afterEach(async () => {
  await tf.setBackend('cpu');
  for (const name of ['wasm', 'webgl'])
    if (tf.findBackendFactory(name)) {
      for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
      tf.removeBackend(name);
    }
});

describe('BackendSelector, auto', () => {
  beforeEach(() => {
    registerStandIn('wasm');
    registerStandIn('webgl');
  });

  it('times every usable backend on the model and takes the fastest', async () => {
    const s = new BackendSelector('auto', {}, BUDGET);
    const change = (await s.fit(false, () => mlp))!;
    const { info } = change;
    expect(change.switched).toBe(true);
    expect(info.timings.map((t) => t.name).sort()).toEqual(['cpu', 'wasm', 'webgl']);
    expect(info.timings.every((t) => t.stepsPerSecond! > 0)).toBe(true);
    expect(info.name).toBe(fastestBackend(info.timings)!.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(info.reason).toMatch(
      new RegExp(
        `^auto: ${info.name} was (fastest|within 5% of the fastest) on this model( and comes first in the preference order)? \\(`,
      ),
    );
    // WebGPU is not registered in Node: tried, not timed.
    expect(info.attempts.filter((a) => !a.ok).map((a) => a.name)).toEqual(['webgpu']);
    // The same kind of model is not timed again.
    expect(await s.fit(false, notAgain)).toBeNull();
  });

  it('re-selects without WASM when the model gains convolutions, and goes back without timing again', async () => {
    const s = new BackendSelector('auto', {}, BUDGET);
    const first = (await s.fit(false, () => mlp))!.info;
    const conv = (await s.fit(true, () => cnn))!;
    expect(conv.info.canTrainConvolutions).toBe(true);
    expect(conv.info.name).toBe(fastestBackend(conv.info.timings, (n) => n !== 'wasm')!.name);
    expect(conv.switched).toBe(first.name !== conv.info.name);
    expect(conv.info.timings.map((t) => [t.name, t.stepsPerSecond === null]).sort()).toEqual([
      ['cpu', false],
      ['wasm', true],
      ['webgl', false],
    ]);
    expect(conv.info.reason).toContain('wasm not timed (cannot train convolutions)');
    expect(tf.getBackend()).toBe(conv.info.name);
    const back = (await s.fit(false, notAgain))!;
    expect(back.info).toEqual(first);
    expect(tf.getBackend()).toBe(first.name);
  });

  it('does not time a lone candidate, nor a backend it is told not to time', async () => {
    const s = new BackendSelector('auto', {}, BUDGET, () => ({ webgl: 'software-emulated GPU' }));
    const conv = (await s.fit(true, notAgain))!.info;
    expect(conv.name).toBe('cpu');
    expect(conv.reason).toBe(
      'auto: cpu is the only candidate for this model, so nothing was timed ' +
        '(webgl not timed (software-emulated GPU); wasm not timed (cannot train convolutions))',
    );
  });

  it('with onlyIfRequired, keeps a backend that can still train the model', async () => {
    const s = new BackendSelector('cpu', {}, BUDGET);
    await s.fit(false, notAgain);
    expect(await s.fit(true, notAgain, true)).toBeNull();
    expect(s.info!.name).toBe('cpu');
  });
});

describe('BackendSelector, forced', () => {
  beforeEach(() => registerStandIn('wasm'));

  it('a forced WASM hands a CNN to the fastest backend that can train it, then comes back', async () => {
    const s = new BackendSelector('wasm', {}, BUDGET);
    expect((await s.fit(false, notAgain))!.info).toMatchObject({ name: 'wasm', reason: 'forced by the user (wasm)' });
    const conv = (await s.fit(true, () => cnn))!;
    expect(conv.switched).toBe(true);
    expect(conv.info).toMatchObject({ name: 'cpu', choice: 'wasm', canTrainConvolutions: true });
    expect(conv.info.reason).toMatch(
      /^wasm was forced but cannot train this model's convolutions; auto: cpu is the only candidate for this model/,
    );
    const back = (await s.fit(false, notAgain))!;
    expect(back).toMatchObject({ switched: true, info: { name: 'wasm', reason: 'forced by the user (wasm)' } });
    expect(tf.getBackend()).toBe('wasm');
  });
});
