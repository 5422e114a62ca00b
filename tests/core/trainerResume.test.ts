import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import type { Snapshot } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';

/**
 * A stored run goes on in a fresh worker (after a crash or on another backend): a trainer built
 * on the run's weights skips the phases and epochs before the stored epoch, makes a Lipschitz
 * estimation in between again, and numbers its epochs on from there.
 */

function config(method: ExperimentConfig['train']['method'], extra: Partial<ExperimentConfig['train']> = {}) {
  return {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 120 } },
    train: { ...DEFAULT_CONFIG.train, method, epochs: 3, liveEvaluation: false, ...extra },
  } satisfies ExperimentConfig;
}

/** What a run shows from here on: each epoch as phase:epoch/runEpoch, and a Lipschitz estimation as `lipschitz`. */
async function rest(t: Trainer): Promise<string[]> {
  const out: string[] = [];
  for await (const s of t.run() as AsyncGenerator<Snapshot>) {
    if (s.kind === 'epoch') out.push(`${s.record.phase}:${s.record.epoch}/${s.record.runEpoch}`);
    if (s.kind === 'lipschitz') out.push('lipschitz');
  }
  return out;
}

/** A trainer on the same data that starts from `from`'s weights and goes on after run epoch `epoch`. */
function resumed(c: ExperimentConfig, from: Trainer, epoch: number): Trainer {
  const data = prepareDataset(c).data;
  const t = new Trainer(data, c);
  for (const [name, v] of from.model.params) t.model.params.get(name)!.assign(v);
  t.resumeAfter(epoch);
  return t;
}

describe('Trainer.resumeAfter', () => {
  it('crmt-jt: goes on in step 1, before or after the Lipschitz estimation, or not at all when done', async () => {
    const c = config('crmt-jt', { step2: { ...DEFAULT_CONFIG.train.step2, epochs: 2 } });
    const whole = new Trainer(prepareDataset(c).data, c);
    expect(await rest(whole)).toEqual(['step1:1/1', 'step1:2/2', 'step1:3/3', 'lipschitz', 'step2:1/4', 'step2:2/5']);
    const cases: [number, string[]][] = [
      [0, ['step1:1/1', 'step1:2/2', 'step1:3/3', 'lipschitz', 'step2:1/4', 'step2:2/5']],
      [2, ['step1:3/3', 'lipschitz', 'step2:1/4', 'step2:2/5']],
      [3, ['lipschitz', 'step2:1/4', 'step2:2/5']],
      // In step 2: its constants are estimated again from the stored weights, then epoch 2 follows.
      [4, ['lipschitz', 'step2:2/5']],
      [5, []],
    ];
    for (const [epoch, want] of cases) {
      const t = resumed(c, whole, epoch);
      expect(t.isFinished).toBe(epoch === 5);
      expect(await rest(t)).toEqual(want);
      t.dispose();
    }
    whole.dispose();
  });

  it('the weights it goes on from are the stored ones, and step 2 moves only the integration weights', async () => {
    const c = config('crmt-jt');
    const whole = new Trainer(prepareDataset(c).data, c);
    await rest(whole);
    const t = resumed(c, whole, 3);
    const before = new Map([...t.model.params].map(([k, v]) => [k, v.dataSync().slice()]));
    for (const [k, v] of whole.model.params) if (!/^head\.a/.test(k)) expect(before.get(k)).toEqual(v.dataSync());
    await rest(t);
    for (const [k, v] of t.model.params)
      if (/^head\.a/.test(k)) expect(v.dataSync()).not.toEqual(before.get(k));
      else expect(v.dataSync()).toEqual(before.get(k));
    t.dispose();
    whole.dispose();
  });

  it('umt: past the teachers, the student goes on (its teachers come from the store, see the session)', async () => {
    const c = config('umt', { teacherEpochs: 2 });
    const t = new Trainer(prepareDataset(c).data, c);
    t.resumeAfter(3);
    expect(await rest(t)).toEqual(['train:2/4', 'train:3/5']);
    t.dispose();
  });
});
