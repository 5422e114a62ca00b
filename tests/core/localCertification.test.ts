import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { runExperiment } from '../../src/core/experiment/runExperiment';
import { metricsCsv } from '../../src/core/io/report';
import { certifiedAccuracyOf, certifiedAt } from '../../src/core/robust/certification';
import { certifiedRadius, median } from '../../src/core/robust/certify';
import { ViewStopped } from '../../src/core/robust/attackView';
import { CURVE_EPS } from '../../src/core/robust/epochEvaluation';
import { soundConstants } from '../../src/core/robust/lipschitz';
import { localCertify, localCoverage, type LocalCertification } from '../../src/core/robust/localCertification';
import { BUDGET_TOLERANCE } from '../../src/core/robust/localBound/localBoundSetting';
import type { LocalRadii } from '../../src/core/robust/localBound/localRadii';
import { localSample, localSampleCount } from '../../src/core/robust/localSample';
import { collectOutputs } from '../../src/core/robust/modelOutputs';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';
import { formatSummary } from '../../src/cli/summary';

const config: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
  train: { ...DEFAULT_CONFIG.train, method: 'jt', epochs: 4, liveEvaluation: false },
};
const COUNT = 30;

describe('localSample', () => {
  it('reads the setting: null is every sample, 0 none, N at most the split', () => {
    expect(localSampleCount(null, 90)).toBe(90);
    expect(localSampleCount(0, 90)).toBe(0);
    expect(localSampleCount(30, 90)).toBe(30);
    expect(localSampleCount(500, 90)).toBe(90);
    expect(Array.from(localSample(null, 5, 3))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(localSample(500, 5, 3))).toEqual([0, 1, 2, 3, 4]);
    expect(localSample(0, 90, 3)).toHaveLength(0);
  });
  it('draws N distinct samples at random, in split order: the same for the same seed, others for another', () => {
    const a = Array.from(localSample(30, 1000, 7));
    expect(a).toHaveLength(30);
    expect(new Set(a).size).toBe(30);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(a[0]).toBeGreaterThanOrEqual(0);
    expect(a[29]).toBeLessThan(1000);
    // Spread over the split, not its first rows (30 of 1000 uniform: the largest is below 500 with chance 2^-30).
    expect(a[29]).toBeGreaterThan(500);
    expect(Array.from(localSample(30, 1000, 7))).toEqual(a);
    const b = Array.from(localSample(30, 1000, 8));
    expect(b).not.toEqual(a);
    expect(b.filter((i) => a.includes(i)).length).toBeLessThan(10);
    // A larger N for the same seed draws from the same permutation, so it keeps the smaller sample.
    const c = Array.from(localSample(60, 1000, 7));
    expect(a.every((i) => c.includes(i))).toBe(true);
  });
  it('says how much of the split the local kind covers, and that it is a random sample', () => {
    expect(localCoverage({ samples: 100, of: 900 }, 'test')).toBe('local: 100 random test samples of 900');
    expect(localCoverage({ samples: 900, of: 900 }, 'validation')).toBe('local: all 900 validation samples');
  });
});

describe('localCertify on a trained toy model', () => {
  let trainer: Trainer;
  let local: LocalCertification;
  let sound: ReturnType<typeof certifiedRadius>;
  let labels: Int32Array;
  let chosen: Int32Array;
  let pauses = 0;
  let holds = 0;
  beforeAll(async () => {
    trainer = new Trainer(prepareDataset(config).data, config);
    for await (const s of trainer.run()) if (s.kind === 'diverged') throw new Error(s.message);
    const { x, y } = trainer.splits.val;
    labels = new Int32Array(await y.data());
    chosen = localSample(COUNT, labels.length, config.train.seed);
    local = await localCertify(trainer.model, x, labels, chosen, CURVE_EPS, {
      chunk: 7,
      between: async () => void pauses++,
      holdWeights: async (read) => {
        holds++;
        return read();
      },
    });
    // The sound radii of the same samples, from tfjs's own logits (float32), picked one by one.
    const xs = x.map((t) => tf.concat(Array.from(chosen, (i) => t.slice([i, 0], [1, -1]))));
    const out = await collectOutputs(trainer.model, xs);
    xs.forEach((t) => t.dispose());
    const pair = (await soundConstants(trainer.model)).pair;
    sound = certifiedRadius(
      out.logits,
      Array.from(chosen, (i) => labels[i]),
      pair,
      out.K,
    );
  }, 120_000);
  afterAll(() => trainer.dispose());

  it('covers the N samples drawn, in chunks with a pause between each', () => {
    expect(Array.from(local.indices)).toEqual(Array.from(chosen));
    expect(chosen.at(-1)).toBeGreaterThanOrEqual(COUNT);
    expect(local.radii.joint).toHaveLength(COUNT);
    expect(local.curves.samples).toBe(COUNT);
    expect(local.curves.of).toBe(labels.length);
    expect(labels.length).toBeGreaterThan(COUNT);
    expect(pauses).toBe(Math.ceil(COUNT / 7) - 1);
    // Every read of the weights in one hold (the worker's model lock), so the bound and the sound
    // radii it is floored by and compared with come from one training step.
    expect(holds).toBe(1);
    expect(Array.from(local.sound.joint)).toEqual(Array.from(sound.joint));
    expect(local.radii.evaluations).toBeGreaterThan(COUNT);
    expect(local.seconds).toBeGreaterThan(0);
  });

  it('branches when asked (attack.localBoundBranching, attack.localBoundBudget): more evaluations, larger radii', async () => {
    const few = chosen.slice(0, 8);
    const settings = [
      { localBoundBranching: 0, localBoundBudget: 0 },
      { localBoundBranching: 2, localBoundBudget: 0 },
      { localBoundBranching: 0, localBoundBudget: 16 },
    ];
    const [plain, ...branched] = await Promise.all(
      settings.map((bound) => localCertify(trainer.model, trainer.splits.val.x, labels, few, CURVE_EPS, { bound })),
    );
    const total = (r: LocalRadii) => [r.joint, ...r.perModality].reduce((a, v) => a + v.reduce((b, x) => b + x, 0), 0);
    // Depth-first bisects to 1e-3, the budget to 1e-2 (BUDGET_TOLERANCE) above the unbranched radius.
    branched.forEach((b, k) => {
      const tolerance = k === 0 ? 2e-3 : 2 * BUDGET_TOLERANCE;
      expect(b.radii.evaluations).toBeGreaterThan(plain.radii.evaluations);
      expect(total(b.radii)).toBeGreaterThan(total(plain.radii));
      for (let i = 0; i < few.length; i++) {
        expect(b.radii.joint[i]).toBeGreaterThanOrEqual(plain.radii.joint[i] * (1 - tolerance));
        plain.radii.perModality.forEach((p, m) =>
          expect(b.radii.perModality[m][i]).toBeGreaterThanOrEqual(p[i] * (1 - tolerance)),
        );
      }
    });
  }, 120_000);

  it('is never below the sound radius, per sample, joint and per modality (up to float32 logits)', () => {
    expect(Array.from(local.radii.correct)).toEqual(Array.from(sound.correct));
    let tighter = 0;
    for (let i = 0; i < COUNT; i++) {
      const slack = (r: number) => r * 1e-5 + 1e-7;
      expect(local.radii.joint[i]).toBeGreaterThanOrEqual(sound.joint[i] - slack(sound.joint[i]));
      local.radii.perModality.forEach((p, m) =>
        expect(p[i]).toBeGreaterThanOrEqual(sound.perModality[m][i] - slack(sound.perModality[m][i])),
      );
      if (local.radii.joint[i] > 1.2 * sound.joint[i]) tighter++;
    }
    // Not merely equal: on the toy the local bound certifies clearly more for most samples.
    expect(tighter).toBeGreaterThan(COUNT / 2);
  });

  it('gives certified accuracy curves that start at clean accuracy, never rise with ε, and lie above the sound ones', () => {
    const soundCurves = certifiedAccuracyOf({ sound, estimated: sound }, CURVE_EPS, 0).sound;
    const clean = Array.from(local.radii.correct).filter(Boolean).length / COUNT;
    expect(local.curves.all[0]).toBeCloseTo(clean, 12);
    for (const curve of [local.curves.all, ...local.curves.perModality]) {
      expect(curve).toHaveLength(CURVE_EPS.length);
      for (let j = 1; j < curve.length; j++) expect(curve[j]).toBeLessThanOrEqual(curve[j - 1]);
    }
    CURVE_EPS.forEach((_, j) => expect(local.curves.all[j]).toBeGreaterThanOrEqual(soundCurves.all[j]));
    expect(local.curves.medianRadius).toBe(median(local.radii.joint));
    expect(local.curves.medianRadius).toBeGreaterThan(median(sound.joint));
  });

  it('stops when the page withdraws it', async () => {
    const { x } = trainer.splits.val;
    await expect(
      localCertify(trainer.model, x, labels, chosen, CURVE_EPS, { chunk: 5, withdrawn: () => true }),
    ).rejects.toBeInstanceOf(ViewStopped);
  });

  it('is read by certifiedAt, the metrics CSV and nowhere invented when absent', () => {
    const eps = [0.1, 0.5];
    const ca = certifiedAccuracyOf({ sound, estimated: sound }, eps, 10);
    expect(certifiedAt(ca, ['A', 'B'], 'local', 'all', 0.1)).toBeUndefined();
    const withLocal = {
      ...ca,
      local: {
        ...local.curves,
        all: [0.9, 0.4],
        perModality: [
          [0.9, 0.5],
          [0.8, 0.3],
        ],
      },
    };
    expect(certifiedAt(withLocal, ['A', 'B'], 'local', 'all', 0.5)).toBe(0.4);
    expect(certifiedAt(withLocal, ['A', 'B'], 'local', 'B', 0.1)).toBe(0.8);
    const record = (certified: typeof ca, runEpoch: number): EpochRecord =>
      ({
        runEpoch,
        phase: 'step1',
        epoch: runEpoch,
        train: { loss: 1, accuracy: 0.5, branchAccuracy: [0.5, 0.5] },
        val: { loss: 1, accuracy: 0.5, branchAccuracy: [0.5, 0.5] },
        evaluation: {
          marginQuantiles: [
            [1, 2, 3, 4, 5],
            [1, 2, 3, 4, 5],
          ],
          radiusHistogram: { edges: [], counts: [] },
          certified,
        },
        integration: null,
      }) as unknown as EpochRecord;
    const [header, first, second] = metricsCsv([record(ca, 1), record(withLocal, 2)], ['A', 'B'])
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    expect(col('ca_local_all_0.50_std_l2')).toBeGreaterThan(0);
    expect(first[col('ca_local_all_0.50_std_l2')]).toBe('');
    expect(second[col('ca_local_all_0.50_std_l2')]).toBe('0.4');
    expect(second[col('local_samples')]).toBe(String(COUNT));
    expect(second[col('local_of')]).toBe(String(labels.length));
    expect(metricsCsv([record(ca, 1)], ['A', 'B'])).not.toContain('local');
  });
});

describe('runExperiment with the local bound', () => {
  it('computes it on N random test samples, reports it and its cost, and leaves it out at 0', async () => {
    const on = { ...config, attack: { ...config.attack, localBound: 12 } };
    const data = prepareDataset(on).data;
    const r = await runExperiment(data, on, { eps: [0.1, 0.5], backend: 'cpu', measureAttackCost: false });
    expect(r.certified.local).toMatchObject({ samples: 12, of: r.samples });
    expect(r.certified.local!.all).toHaveLength(2);
    expect(r.certified.local!.perModality).toHaveLength(2);
    expect(r.evalSeconds.localBound).toBeGreaterThan(0);
    const text = formatSummary(r);
    expect(text).toContain('local = guaranteed (local: CROWN');
    expect(text).toContain(`local: 12 random test samples of ${r.samples}, drawn with the run's seed (${r.seed})`);
    expect(text).toMatch(/\n {2}local {6}all {10}/);
    const off = { ...config, attack: { ...config.attack, localBound: 0 } };
    const r0 = await runExperiment(prepareDataset(off).data, off, {
      eps: [0.1],
      backend: 'cpu',
      measureAttackCost: false,
    });
    expect(r0.certified).not.toHaveProperty('local');
    expect(r0.evalSeconds).not.toHaveProperty('localBound');
    expect(formatSummary(r0)).not.toMatch(/local/);
    tf.disposeVariables();
  }, 120_000);
});
