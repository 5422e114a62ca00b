import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { METHOD_IDS, METHODS, type MethodId } from '../../src/core/train/methods';
import type { Snapshot } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';

function config(method: MethodId, epochs = 3, extra: Partial<ExperimentConfig['train']> = {}): ExperimentConfig {
  return {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
    train: { ...DEFAULT_CONFIG.train, method, epochs, ...extra },
  };
}

async function run(c: ExperimentConfig, each?: (s: Snapshot, t: Trainer) => void | Promise<void>) {
  const trainer = new Trainer(prepareDataset(c).data, c);
  const snaps: Snapshot[] = [];
  for await (const s of trainer.run()) {
    snaps.push(s);
    await each?.(s, trainer);
  }
  return { trainer, snaps };
}

const PHASES: Record<MethodId, string[]> = {
  jt: ['train'],
  ojt: ['train'],
  'crmt-jt': ['step1', 'lipschitz', 'step2'],
  at: ['train'],
  'crmt-at': ['step1', 'lipschitz', 'step2'],
  mixup: ['train'],
  'crmt-mix': ['step1', 'lipschitz', 'step2'],
  ume: ['train'],
  umt: ['teachers', 'train'],
  'crmt-step1': ['step1'],
  'crmt-step2': ['train', 'lipschitz', 'step2'],
};

describe('every method (spec §8)', () => {
  for (const method of METHOD_IDS)
    it(`${method}: runs its phases in order, learns, keeps tensors flat, and frees them all`, async () => {
      const start = tf.memory().numTensors;
      const counts: number[] = [];
      const { trainer, snaps } = await run(config(method, 6), (s) => {
        if (s.kind === 'epoch' || s.kind === 'lipschitz') counts.push(tf.memory().numTensors);
      });
      const phases = [...new Set(snaps.map((s) => s.progress.phase))];
      expect(phases).toEqual(PHASES[method]);
      const lip = snaps.find((s) => s.kind === 'lipschitz');
      expect(Boolean(lip)).toBe(METHODS[method].step2);
      const last = snaps.filter((s) => s.kind === 'epoch').at(-1)!;
      expect(last.kind === 'epoch' && last.record.val.accuracy).toBeGreaterThan(0.7);
      expect(snaps.at(-1)!.kind).toBe('done');
      // Within a phase the count is constant; it may only fall when a phase frees its optimiser.
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(Math.max(...counts.slice(0, i)));
      trainer.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
});

describe('CRMT specifics', () => {
  it('‖W̃W̃ᵀ − I‖ stays small after training (Newton–Schulz converged)', async () => {
    const { trainer } = await run(config('crmt-jt', 8));
    const err = tf.tidy(() =>
      Math.max(
        ...trainer.model.head
          .rowMatrices()
          .map((w) => tf.max(tf.abs(tf.sub(tf.matMul(w, w, false, true), tf.eye(w.shape[0])))).dataSync()[0]),
      ),
    );
    expect(err).toBeLessThan(1e-4);
    trainer.dispose();
  });

  it('step 2 leaves every parameter but a bit-identical, and does move a', async () => {
    let atStep2: Map<string, Float32Array> | null = null;
    const { trainer } = await run(config('crmt-jt', 3), async (s, t) => {
      if (s.kind === 'lipschitz') {
        atStep2 = new Map();
        for (const [name, v] of t.model.params) atStep2.set(name, (await v.data()) as Float32Array);
      }
    });
    expect(atStep2).not.toBeNull();
    let aMoved = false;
    for (const [name, v] of trainer.model.params) {
      const now = (await v.data()) as Float32Array;
      const before = atStep2!.get(name)!;
      if (/^head\.a\d$/.test(name)) aMoved ||= now.some((x, i) => x !== before[i]);
      else expect(Buffer.from(now.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    }
    expect(aMoved).toBe(true);
    trainer.dispose();
  });

  it('keeps a ≥ 0 throughout', async () => {
    const { trainer, snaps } = await run(config('crmt-jt', 3));
    for (const s of snaps)
      if (s.kind === 'epoch')
        for (const a of s.record.integration!) for (const v of a) expect(v).toBeGreaterThanOrEqual(0);
    trainer.dispose();
  });

  it('the same seed gives the same numbers; another seed, other numbers', async () => {
    const losses = async (seed: number) =>
      (await run(config('crmt-mix', 2, { seed }))).snaps.map((s) => s.progress.loss);
    const a = await losses(4);
    expect(await losses(4)).toEqual(a);
    expect(await losses(5)).not.toEqual(a);
  });

  it('UMT trains its teachers first, then the student with feature distillation', async () => {
    const { trainer, snaps } = await run(config('umt', 2));
    expect(trainer.teacher).not.toBeNull();
    const teacherEpochs = snaps.filter((s) => s.kind === 'epoch' && s.record.phase === 'teachers');
    expect(teacherEpochs.length).toBe(2);
    trainer.dispose();
  });
});
