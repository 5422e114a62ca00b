import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { Trainer } from '../core/train/trainer';
import type { KernelTime, StepProfile } from './benchTypes';

const TRIES = 5;

/**
 * Kernel count and kernel time of the training step against its wall time (tf.profile): on a CPU
 * backend the kernels run synchronously, so the profiled wall time minus the kernel time is what
 * op dispatch, autodiff bookkeeping and tensor allocation cost in JavaScript. The profiler slows
 * the step, so the unprofiled wall time is measured too. Both are the fastest of a few tries.
 */
export async function profileSteps(data: Dataset, config: ExperimentConfig, steps: number): Promise<StepProfile> {
  const trainer = new Trainer(data, config);
  try {
    if (steps >= trainer.stepsPerEpoch) throw new Error(`profile at most ${trainer.stepsPerEpoch - 1} steps`);
    await trainer.advance(trainer.stepsPerEpoch); // warm-up: one whole epoch
    // Each try starts at an epoch start; the least disturbed one counts (other work shares the cores).
    const tries = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
      let best: { ms: number; value: T } | null = null;
      for (let i = 0; i < TRIES; i++) {
        const t0 = performance.now();
        const value = await f();
        const ms = performance.now() - t0;
        if (!best || ms < best.ms) best = { ms, value };
        await trainer.advance(trainer.stepsPerEpoch);
      }
      return best!;
    };
    const wallMs = (await tries(() => trainer.advance(steps))).ms;
    const profiled = await tries(() =>
      tf.profile(async () => {
        await trainer.advance(steps);
        return [];
      }),
    );
    const info = profiled.value;
    const profiledMs = profiled.ms;
    const byName = new Map<string, KernelTime>();
    let kernelMs = 0;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      kernelMs += ms;
      const e = byName.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
      e.count++;
      e.ms += ms;
      byName.set(k.name, e);
    }
    const topKernels = [...byName.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8)
      .map((k) => ({ name: k.name, count: k.count / steps, ms: k.ms / steps }));
    return {
      method: config.train.method,
      steps,
      kernelsPerStep: info.kernels.length / steps,
      kernelMsPerStep: kernelMs / steps,
      wallMsPerStep: wallMs / steps,
      profiledWallMsPerStep: profiledMs / steps,
      topKernels,
    };
  } finally {
    trainer.dispose();
  }
}
