import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, type TrainSettings } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { certifiedAccuracy, certifiedRadius } from '../../src/core/robust/certify';
import { soundConstants } from '../../src/core/robust/lipschitz';
import { collectOutputs } from '../../src/core/robust/modelOutputs';
import { OVERFIT_DROP, PhaseSelection } from '../../src/core/train/phaseSelection';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { heldRecord } from '../../src/core/train/snapshot';
import { evaluateSplit, Trainer } from '../../src/core/train/trainer';

function config(train: Partial<TrainSettings>): ExperimentConfig {
  return {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 400, noiseA: 1.2 } },
    train: { ...DEFAULT_CONFIG.train, liveEvaluation: false, ...train },
  };
}

async function train(c: ExperimentConfig): Promise<{ trainer: Trainer; history: EpochRecord[] }> {
  const trainer = new Trainer(prepareDataset(c).data, c);
  const history: EpochRecord[] = [];
  for await (const s of trainer.run()) if (s.kind === 'epoch') history.push(s.record);
  return { trainer, history };
}

describe('model selection on the validation split', () => {
  it('keeps the epoch with the best validation accuracy, and the model holds exactly its weights', async () => {
    const { trainer, history } = await train(config({ method: 'jt', epochs: 12, learningRate: 0.05 }));
    const sel = history.at(-1)!.selection!;
    expect(sel).toMatchObject({ phase: 'train', criterion: 'val-accuracy', lastEpoch: 12, stoppedEarly: false });
    const best = Math.max(...history.map((r) => r.val.accuracy));
    expect(sel.value).toBe(best);
    // The first epoch reaching the best is kept (a later tie is not an improvement).
    expect(sel.runEpoch).toBe(history.find((r) => r.val.accuracy === best)!.runEpoch);
    expect(heldRecord(history)!.runEpoch).toBe(sel.runEpoch);
    // Evaluated afresh, the model gives exactly the kept epoch's validation numbers.
    expect(await evaluateSplit(trainer.model, trainer.splits.val)).toEqual(heldRecord(history)!.val);
    trainer.dispose();
  });

  it('selection "last" keeps the last epoch, as the official code does', async () => {
    const { trainer, history } = await train(config({ method: 'jt', epochs: 5, selection: 'last' }));
    expect(history.some((r) => r.selection)).toBe(false);
    expect(await evaluateSplit(trainer.model, trainer.splits.val)).toEqual(history.at(-1)!.val);
    trainer.dispose();
  });

  it('patience stops a phase after that many epochs without improvement and restores the best', async () => {
    const { trainer, history } = await train(config({ method: 'jt', epochs: 60, patience: 2 }));
    const sel = history.at(-1)!.selection!;
    expect(sel.stoppedEarly).toBe(true);
    expect(history.length).toBeLessThan(60);
    expect(sel.lastEpoch - sel.epoch).toBe(2);
    expect(await evaluateSplit(trainer.model, trainer.splits.val)).toEqual(heldRecord(history)!.val);
    trainer.dispose();
  });

  it('CRMT: step 1 keeps its best epoch; step 2 fit on the validation split keeps its last', async () => {
    const { trainer, history } = await train(config({ method: 'crmt-jt', epochs: 6 }));
    const step1 = history.filter((r) => r.phase === 'step1');
    expect(step1.at(-1)!.selection).toMatchObject({ phase: 'step1', criterion: 'val-accuracy' });
    expect(history.filter((r) => r.phase === 'step2').some((r) => r.selection)).toBe(false);
    expect(heldRecord(history)).toBe(history.at(-1));
    trainer.dispose();
  });

  it('val-certified keeps the epoch with the best sound certified accuracy at its ε', async () => {
    const eps = 0.2;
    const { trainer, history } = await train(
      config({ method: 'ojt', epochs: 6, selection: 'val-certified', selectionEps: eps }),
    );
    const sel = history.at(-1)!.selection!;
    expect(sel.criterion).toBe('val-certified');
    const out = await collectOutputs(trainer.model, trainer.splits.val.x);
    const labels = new Int32Array(await trainer.splits.val.y.data());
    const r = certifiedRadius(out.logits, labels, (await soundConstants(trainer.model)).pair, out.K);
    expect(certifiedAccuracy(r.joint, [eps])[0]).toBe(sel.value);
    expect(sel.value).toBeGreaterThan(0);
    trainer.dispose();
  });
});

describe('the overfitting warning', () => {
  const record = (epoch: number, val: number, branches: number[], trainBranches = [0.9, 0.9]): EpochRecord => ({
    epoch,
    runEpoch: epoch,
    phase: 'step1',
    train: { loss: 0.1, accuracy: 0.95, branchAccuracy: trainBranches },
    val: { loss: 0.5, accuracy: val, branchAccuracy: branches },
    integration: null,
    evaluation: null,
  });

  it('says so once, with the fall, the branch that overfits and what is kept; restores the kept weights', async () => {
    const v = tf.variable(tf.scalar(1));
    const sel = new PhaseSelection('step1', DEFAULT_CONFIG.train, [v], ['image', 'text']);
    const dummy = {} as never;
    const val = {} as never;
    expect((await sel.observe(record(1, 0.69, [0.3, 0.62]), dummy, val)).warning).toBeNull();
    v.assign(tf.scalar(2));
    // A fall smaller than the threshold is noise.
    expect((await sel.observe(record(2, 0.69 - OVERFIT_DROP + 0.01, [0.25, 0.62]), dummy, val)).warning).toBeNull();
    v.assign(tf.scalar(3));
    const { warning } = await sel.observe(record(3, 0.44, [0.12, 0.6], [1, 0.8]), dummy, val);
    expect(warning).toBe(
      'step 1: uni-modal margins is overfitting: validation accuracy 69.0% (epoch 1) → 44.0% (epoch 3); modality ' +
        'image overfits (its branch: validation 30.0% → 12.0%, training 100.0%); the best epoch by val-accuracy is ' +
        'kept. Try a lower learning rate or fewer epochs.',
    );
    expect((await sel.observe(record(4, 0.4, [0.1, 0.6]), dummy, val)).warning).toBeNull();
    const kept = sel.finish(record(4, 0.4, [0.1, 0.6]), false)!;
    expect(kept).toMatchObject({ epoch: 1, value: 0.69, lastEpoch: 4 });
    expect(v.dataSync()[0]).toBe(1);
    v.dispose();
  });
});
