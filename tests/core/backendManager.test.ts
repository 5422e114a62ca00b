import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { candidateOrder, initialiseBackends, selectBackend } from '../../src/core/backend/backendManager';

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('candidateOrder', () => {
  it('prefers WebGPU, then WebGL, WASM, CPU; a forced backend goes first', () => {
    expect(candidateOrder('auto')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(candidateOrder('wasm')).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
  });
});

describe('initialiseBackends', () => {
  it('tries every backend in preference order and says which work', async () => {
    const attempts = await initialiseBackends({ webgl: async () => 'no WebGL2 context can be created' });
    expect(attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', false],
      ['cpu', true],
    ]);
    expect(attempts[1].reason).toBe('no WebGL2 context can be created');
  });
});

describe('selectBackend', () => {
  it('falls through to the next backend and keeps every reason', async () => {
    // In Node only the CPU backend is registered here: the others fall through.
    const info = await selectBackend('auto', { webgl: async () => 'no WebGL2 context can be created' });
    expect(info.name).toBe('cpu');
    expect(info.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', false],
      ['cpu', true],
    ]);
    expect(info.attempts[1].reason).toBe('no WebGL2 context can be created');
    expect(info.reason).toMatch(/^fell back to cpu \(webgpu: .*; webgl: no WebGL2 context can be created; wasm: /);
  });

  it('says a forced backend was forced', async () => {
    const info = await selectBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', choice: 'cpu', reason: 'forced by the user (cpu)', timings: [] });
  });

  it('passes over a backend without a convolution gradient for a model with convolutions', async () => {
    // WASM is not registered in this file, so it has no Conv2DBackpropFilter kernel (as
    // tfjs-backend-wasm alone has none; wasmConvolution.test.ts selects the real one with the lab's).
    const info = await selectBackend('wasm', {}, true);
    expect(info.name).toBe('cpu');
    expect(info.attempts[0]).toMatchObject({ name: 'wasm', ok: false, reason: expect.stringMatching(/convolutions/) });
    expect(info.reason).toMatch(/^fell back to cpu \(wasm: cannot train this model's convolutions/);
  });

  it('rejects a backend that initialises but fails on first use, or computes a wrong gradient', async () => {
    const name = 'wasm';
    const cpuCtor = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    // A backend with no kernels at all: it initialises, then fails on its first op.
    tf.registerBackend(name, () => new cpuCtor(), 0);
    try {
      const info = await selectBackend('wasm');
      expect(info.name).toBe('cpu');
      expect(info.attempts[0].reason).toMatch(/^failed on first use: /);
    } finally {
      tf.removeBackend(name);
    }
    // The CPU kernels, except a Multiply that is off by 1%: every op runs, the gradient is wrong.
    tf.registerBackend(name, () => new cpuCtor(), 0);
    for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: name });
    tf.unregisterKernel('Multiply', name);
    const cpuMul = tf.getKernel('Multiply', 'cpu')!.kernelFunc;
    tf.registerKernel({
      kernelName: 'Multiply',
      backendName: name,
      kernelFunc: (args) => {
        const out = cpuMul(args) as tf.TensorInfo;
        const b = args.backend as unknown as {
          readSync(id: object): Float32Array;
          disposeData(id: object): void;
          makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo;
        };
        const values = b.readSync(out.dataId).map((v) => v * 1.01);
        b.disposeData(out.dataId);
        return b.makeTensorInfo(out.shape, out.dtype, values);
      },
    });
    try {
      const info = await selectBackend('wasm');
      expect(info.name).toBe('cpu');
      expect(info.attempts[0].reason).toMatch(/^first-use check computed a wrong gradient/);
    } finally {
      for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
      tf.removeBackend(name);
    }
  });
});
