import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendName, BackendTiming } from '../../src/core/backend/backendNames';
import {
  autoReason,
  describeTimings,
  fastestBackend,
  sortTimings,
  TIE_FRACTION,
} from '../../src/core/backend/fastestBackend';
import { modelHasConvolutions } from '../../src/core/backend/modelHasConvolutions';
import { timeBackends } from '../../src/core/backend/timeBackends';
import { builtinTimingModel, standInTimingModel } from '../../src/core/backend/timingModel';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { builtinDataset } from '../../src/core/data/builtin/builtin';
import { summarise } from '../../src/core/data/summary';
import { buildModelSpec, headFor } from '../../src/core/model/buildModelSpec';

afterEach(async () => {
  await tf.setBackend('cpu');
});

const timed = (name: BackendName, stepsPerSecond: number | null, skipped?: string): BackendTiming => ({
  name,
  stepsPerSecond,
  steps: stepsPerSecond === null ? 0 : 50,
  warmupMs: 10,
  ...(skipped ? { skipped } : {}),
});

describe('fastestBackend', () => {
  it('takes the highest rate and ignores backends that were not timed', () => {
    const t = [timed('webgpu', 5), timed('webgl', 30), timed('wasm', 140), timed('cpu', 80)];
    expect(fastestBackend(t)).toEqual({ name: 'wasm', tie: false });
    expect(fastestBackend([timed('webgpu', null, 'software'), timed('cpu', 3)])).toEqual({
      name: 'cpu',
      tie: false,
    });
    expect(fastestBackend([timed('cpu', null, 'failed')])).toBeNull();
  });

  it('passes over a backend that cannot train the model, even when it is fastest', () => {
    const t = [timed('wasm', 140), timed('cpu', 2), timed('webgl', 9)];
    const withoutWasm = (name: BackendName) => name !== 'wasm';
    expect(fastestBackend(t, withoutWasm)).toEqual({ name: 'webgl', tie: false });
    expect(fastestBackend([timed('wasm', 140)], withoutWasm)).toBeNull();
  });

  it('breaks a near tie by preference order (GPU first), not by noise', () => {
    const close = 100 * (1 - TIE_FRACTION / 2);
    expect(fastestBackend([timed('wasm', 100), timed('webgl', close)])).toEqual({ name: 'webgl', tie: true });
    const apart = 100 * (1 - 2 * TIE_FRACTION);
    expect(fastestBackend([timed('wasm', 100), timed('webgl', apart)])).toEqual({ name: 'wasm', tie: false });
  });
});

describe('the chip text', () => {
  it('lists the rates fastest first and groups the untimed by reason', () => {
    const t = [
      timed('cpu', 80.4),
      timed('webgpu', null, 'software-emulated GPU'),
      timed('wasm', 140.2),
      timed('webgl', null, 'software-emulated GPU'),
    ];
    expect(sortTimings(t).map((x) => x.name)).toEqual(['wasm', 'cpu', 'webgpu', 'webgl']);
    expect(describeTimings(t)).toBe('wasm 140 steps/s, cpu 80; webgpu, webgl not timed (software-emulated GPU)');
    expect(autoReason({ name: 'wasm', tie: false }, [timed('wasm', 140.2), timed('webgpu', 5.23)])).toBe(
      'auto: wasm was fastest on this model (wasm 140 steps/s, webgpu 5.2)',
    );
    expect(autoReason({ name: 'webgl', tie: true }, [timed('wasm', 100), timed('webgl', 99)])).toMatch(
      /^auto: webgl was within 5% of the fastest on this model and comes first in the preference order \(wasm 100/,
    );
  });
});

const cnnConfig: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  data: {
    ...DEFAULT_CONFIG.data,
    kind: 'audioVisual',
    audioVisual: { ...DEFAULT_CONFIG.data.audioVisual, samples: 200 },
  },
  model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [2], outDim: 8 } },
};

describe('modelHasConvolutions', () => {
  it('agrees with the model the trainer builds', () => {
    for (const config of [DEFAULT_CONFIG, cnnConfig, { ...cnnConfig, model: DEFAULT_CONFIG.model }]) {
      const data = builtinDataset(config.data);
      const spec = buildModelSpec(data, config.model, headFor('joint', 'orthonormal'), 1);
      const built = spec.encoders.some((e) => e.kind === 'cnn');
      expect(modelHasConvolutions(config.model, data.modalities)).toBe(built);
    }
    expect(modelHasConvolutions(cnnConfig.model, [{ shape: [2] }, { shape: [4] }])).toBe(false);
  });
});

describe('timeBackends', () => {
  it('trains each backend for a moment, reports steps/s and leaves no tensors behind', async () => {
    const model = builtinTimingModel(DEFAULT_CONFIG);
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const timings = await timeBackends(
      ['webgpu', 'cpu'],
      model,
      { measureMs: 150, totalMs: 1000 },
      {
        webgpu: 'software-emulated GPU',
      },
    );
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(tf.memory().numTensors).toBe(before);
    const cpu = timings.find((t) => t.name === 'cpu')!;
    expect(cpu.stepsPerSecond).toBeGreaterThan(0);
    expect(cpu.steps).toBeGreaterThanOrEqual(1);
    expect(cpu.warmupMs).toBeGreaterThan(0);
    expect(timings.find((t) => t.name === 'webgpu')).toMatchObject({
      stepsPerSecond: null,
      skipped: 'software-emulated GPU',
    });
  });

  it('does not time a backend without a convolution gradient on a CNN, and reports one that fails to train', async () => {
    // WASM is not registered in this file, so it has no Conv2DBackpropFilter kernel (as
    // tfjs-backend-wasm alone has none; wasmConvolution.test.ts times the real one with the lab's).
    const model = builtinTimingModel(cnnConfig);
    const timings = await timeBackends(['wasm', 'webgl'], model, { measureMs: 50, totalMs: 500 });
    expect(timings.find((t) => t.name === 'wasm')).toMatchObject({
      stepsPerSecond: null,
      skipped: 'cannot train convolutions',
    });
    // WebGL is not registered in Node: it is reported, not thrown.
    expect(timings.find((t) => t.name === 'webgl')?.skipped).toMatch(/^failed while training: /);
  });

  it('times a stand-in of the loaded data: same shapes, classes and split sizes', () => {
    const data = builtinDataset(cnnConfig.data);
    const summary = summarise(data);
    const m = standInTimingModel(summary, cnnConfig);
    expect(m.data.modalities.map((x) => x.shape)).toEqual(data.modalities.map((x) => x.shape));
    expect(summarise(m.data).counts).toEqual(summary.counts);
    expect(m.data.features.map((f) => f.length)).toEqual(data.features.map((f) => f.length));
    expect(m.data.classNames).toEqual(data.classNames);
  });
});
