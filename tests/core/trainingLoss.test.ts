import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { createRng, permutation } from '../../src/core/random';
import { crmtMixupStep1Loss, crmtStep1Loss } from '../../src/core/train/losses';
import type { MethodId } from '../../src/core/train/methods';
import { sampleBeta } from '../../src/core/train/mixup';
import { Trainer } from '../../src/core/train/trainer';
import * as plain from '../oracle/plain';

/**
 * The loss the trainer's first step of a phase minimises, recomputed outside the trainer from
 * the same weights and the same batch (the trainer draws its batch order from seed + 1 and its
 * mixup draws from seed + 2): once with the tested loss function and once with the plain-array
 * oracle. If training ever rebuilds its loss apart from crmtStep1Loss, these fail.
 */

const BATCH = 32;

function config(method: MethodId, extra: Partial<ExperimentConfig['train']> = {}): ExperimentConfig {
  return {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
    train: { ...DEFAULT_CONFIG.train, method, epochs: 1, batchSize: BATCH, seed: 3, ...extra },
  };
}

const arrays = (ts: tf.Tensor[]) => ts.map((t) => t.arraySync() as number[][]);

/**
 * The trainer's first batch of the epoch after `epochsBefore` epochs of the training split: its
 * row order, as the trainer draws it, over a split of `n` rows (step 2 may draw from validation).
 */
function batchRows(trainer: Trainer, seed: number, epochsBefore = 0, n = trainer.splits.train.n): Int32Array {
  const rng = createRng(seed + 1);
  for (let e = 0; e < epochsBefore; e++) permutation(trainer.splits.train.n, rng);
  return permutation(n, rng).subarray(0, BATCH);
}

async function firstStepLoss(trainer: Trainer): Promise<number> {
  const s = await trainer.advance(1);
  expect(s.kind).toBe('progress');
  return s.progress.loss;
}

describe('training minimises the tested losses (spec §4, §7, §8)', () => {
  for (const [method, rho] of [
    ['crmt-jt', 2],
    ['jt', 0],
  ] as const)
    it(`${method}: the first step's loss is crmtStep1Loss (ρ = ${rho}) on the same forward pass, and the oracle's`, async () => {
      const c = config(method);
      const trainer = new Trainer(prepareDataset(c).data, c);
      const index = tf.tensor1d(batchRows(trainer, c.train.seed), 'int32');
      const xs = trainer.splits.train.x.map((x) => tf.gather(x, index) as tf.Tensor2D);
      const y = tf.gather(trainer.splits.train.y, index) as tf.Tensor1D;
      const out = trainer.model.forward(xs);
      const tested = crmtStep1Loss(out.logits, out.uni, y, rho, c.train.marginFloor).dataSync()[0];
      const labels = Array.from(y.dataSync());
      const oracle =
        plain.crossEntropy(arrays([out.logits])[0], labels) +
        rho * plain.marginTerm(arrays(out.uni), labels, c.train.marginFloor);
      const trained = await firstStepLoss(trainer);
      // jt takes the hand-written step (jtStep.ts), whose loss is summed in float64 on the host:
      // equal to the tape's float32 value up to its rounding, not bit for bit.
      if (method === 'jt') expect(trained).toBeCloseTo(tested, 6);
      else expect(trained).toBe(tested);
      expect(trained).toBeCloseTo(oracle, 5);
      tf.dispose([index, ...xs, y, out.logits, ...out.uni, ...out.features, ...out.contributions]);
      trainer.dispose();
    });

  for (const [method, rho] of [
    ['crmt-mix', 2],
    ['mixup', 0],
  ] as const)
    it(`${method}: the first step's loss is crmtMixupStep1Loss (ρ = ${rho}) on the same mixed batch, and the oracle's`, async () => {
      const c = config(method);
      const trainer = new Trainer(prepareDataset(c).data, c);
      const index = tf.tensor1d(batchRows(trainer, c.train.seed), 'int32');
      const mixRng = createRng(c.train.seed + 2);
      const lambda = sampleBeta(c.train.mixupAlpha, mixRng);
      const p = tf.tensor1d(permutation(BATCH, mixRng), 'int32');
      const mixed = trainer.splits.train.x.map((x) => {
        const b = tf.gather(x, index);
        return tf.add(tf.mul(lambda, b), tf.mul(1 - lambda, tf.gather(b, p))) as tf.Tensor2D;
      });
      const ya = tf.gather(trainer.splits.train.y, index) as tf.Tensor1D;
      const yb = tf.gather(ya, p) as tf.Tensor1D;
      const out = trainer.model.forward(mixed);
      const tested = crmtMixupStep1Loss(out.logits, out.uni, ya, yb, lambda, rho, c.train.marginFloor).dataSync()[0];
      const [la, lb] = [ya, yb].map((t) => Array.from(t.dataSync()));
      const h = arrays([out.logits])[0];
      const oracle =
        lambda * plain.crossEntropy(h, la) +
        (1 - lambda) * plain.crossEntropy(h, lb) +
        rho * (rho ? plain.mixupMarginTerm(arrays(out.uni), la, lb, lambda, c.train.marginFloor) : 0);
      const trained = await firstStepLoss(trainer);
      expect(trained).toBe(tested);
      expect(trained).toBeCloseTo(oracle, 5);
      tf.dispose([index, p, ...mixed, ya, yb, out.logits, ...out.uni, ...out.features, ...out.contributions]);
      trainer.dispose();
    });

  for (const data of ['validation', 'train'] as const)
    it(`crmt-jt step 2 on ${data}: the first step's loss is step 2's objective with the phase's constants, and the oracle's`, async () => {
      const c = config('crmt-jt', { step2: { ...DEFAULT_CONFIG.train.step2, data } });
      const trainer = new Trainer(prepareDataset(c).data, c);
      // Step 1's epoch, then the Lipschitz estimation: the next step is step 2's first.
      let s = await trainer.advance(1000);
      while (s.kind !== 'lipschitz') s = await trainer.advance(1000);
      expect(s.progress.phase).toBe('lipschitz');
      const tau = trainer.lipschitz!.tau;
      const a = arrays(trainer.model.head.integration()!.map((v) => tf.reshape(v, [1, -1]))).map((r) => r[0]);
      const split = data === 'validation' ? trainer.splits.val : trainer.splits.train;
      const index = tf.tensor1d(batchRows(trainer, c.train.seed, 1, split.n), 'int32');
      const xs = split.x.map((x) => tf.gather(x, index) as tf.Tensor2D);
      const labels = Array.from(tf.gather(split.y, index).dataSync());
      const out = trainer.model.forward(xs);
      // Paper form cᵐ_{y,k} = a_yᵐ τ_yᵐ + aₖᵐ τₖᵐ, from the estimated τ the phase recorded.
      const pair = tau.map((t, m) => t.map((_, yy) => t.map((__, k) => a[m][yy] * t[yy] + a[m][k] * t[k])));
      const decay = 0.5 * c.train.step2.weightDecay * a.flat().reduce((s, v) => s + v * v, 0);
      const oracle = plain.step2Objective(arrays([out.logits])[0], labels, pair, c.train.step2.classChoice) + decay;
      expect(await firstStepLoss(trainer)).toBeCloseTo(oracle, 4);
      tf.dispose([index, ...xs, out.logits, ...out.uni, ...out.features, ...out.contributions]);
      trainer.dispose();
    });
});
