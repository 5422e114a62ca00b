import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import {
  ATTACK_KINDS,
  attackAccuracy,
  attackedLogits,
  attackSpec,
  perturb,
  pgdPaperPreset,
} from '../../src/core/robust/attacks';
import { accuracy, collectOutputs } from '../../src/core/robust/modelOutputs';
import { pgdL2 } from '../../src/core/robust/pgd';
import { pgdLinf } from '../../src/core/robust/pgdLinf';
import { crossEntropy } from '../../src/core/ops/crossEntropy';
import { Trainer, uploadSplit, type SplitTensors } from '../../src/core/train/trainer';

const A = DEFAULT_CONFIG.attack;
let trainer: Trainer;
let test: SplitTensors;

beforeAll(async () => {
  const config: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 800 } },
    train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 6 },
  };
  const { data } = prepareDataset(config);
  trainer = new Trainer(data, config);
  for await (const s of trainer.run()) if (s.kind === 'diverged') throw new Error(s.message);
  test = uploadSplit(data, 'test');
});

afterAll(() => {
  trainer.dispose();
  test.x.forEach((x) => x.dispose());
  test.y.dispose();
});

const TARGETS = [
  [true, false],
  [false, true],
  [true, true],
];

describe('attacks (spec §9)', () => {
  it('PGD-ℓ2 is at least as strong as FGM-ℓ2 (accuracy not higher, within 1% of the samples)', async () => {
    for (const targets of TARGETS)
      for (const eps of [0.25, 0.5, 1]) {
        const fgm = await attackAccuracy(trainer.model, test.x, test.y, attackSpec('fgm', targets, eps, A));
        const pgd = await attackAccuracy(trainer.model, test.x, test.y, attackSpec('pgd-l2', targets, eps, A));
        const paper = await attackAccuracy(trainer.model, test.x, test.y, {
          ...attackSpec('pgd-l2', targets, eps, A),
          ...pgdPaperPreset(eps),
        });
        expect(pgd).toBeLessThanOrEqual(fgm + 0.01);
        expect(pgd).toBeLessThanOrEqual(paper + 0.01);
      }
    // And it does something: at ε = 1 on all modalities accuracy drops well below clean.
    const clean = await attackAccuracy(trainer.model, test.x, test.y, attackSpec('pgd-l2', [true, true], 0, A));
    expect(await attackAccuracy(trainer.model, test.x, test.y, attackSpec('pgd-l2', [true, true], 1, A))).toBeLessThan(
      clean - 0.2,
    );
  });

  it('never modifies a modality it does not target, and respects every budget', () => {
    for (const kind of ATTACK_KINDS)
      for (const targets of TARGETS)
        for (const budget of ['joint', 'per-modality'] as const) {
          const eps = 0.7;
          const [d0, d1] = tf.tidy(() => {
            const adv = perturb(trainer.model, test.x, test.y, { ...attackSpec(kind, targets, eps, A, 3), budget });
            return adv.map((x, m) => tf.sub(x, test.x[m]).arraySync() as number[][]);
          });
          const deltas = [d0, d1];
          targets.forEach((t, m) => {
            if (!t) expect(deltas[m].flat().every((v) => v === 0)).toBe(true);
          });
          const rowNorm = (rows: number[][], i: number) => Math.hypot(...rows[i]);
          for (let i = 0; i < d0.length; i++) {
            if (kind === 'fgm' || kind === 'pgd-l2') {
              if (budget === 'joint')
                expect(Math.hypot(rowNorm(d0, i), rowNorm(d1, i))).toBeLessThanOrEqual(eps * (1 + 1e-5));
              else for (const d of deltas) expect(rowNorm(d, i)).toBeLessThanOrEqual(eps * (1 + 1e-5));
            }
            if (kind === 'pgd-linf')
              for (const d of deltas) for (const v of d[i]) expect(Math.abs(v)).toBeLessThanOrEqual(eps * (1 + 1e-6));
          }
          if (kind === 'fgm' && budget === 'joint') {
            // FGM takes one full step: the joint norm is ε (up to float error) where the gradient is nonzero.
            const norms = d0.map((_, i) => Math.hypot(rowNorm(d0, i), rowNorm(d1, i)));
            expect(Math.max(...norms)).toBeCloseTo(eps, 4);
          }
        }
  });

  it('ε = 0 gives the clean accuracy', async () => {
    const out = await collectOutputs(trainer.model, test.x);
    const clean = accuracy(out.logits, await test.y.data(), out.K);
    for (const kind of ['fgm', 'pgd-l2', 'pgd-linf', 'gaussian'] as const)
      expect(await attackAccuracy(trainer.model, test.x, test.y, attackSpec(kind, [true, true], 0, A))).toBe(clean);
  });

  it('missing modality: mean imputation zeroes the input; drop removes the share and keeps the bias', () => {
    tf.tidy(() => {
      const mean = attackedLogits(trainer.model, test.x, test.y, attackSpec('missing-mean', [false, true], 0, A));
      const zeroed = trainer.model.forward([test.x[0], tf.zerosLike(test.x[1])]).logits;
      expect(tf.max(tf.abs(tf.sub(mean, zeroed))).dataSync()[0]).toBe(0);
      const drop = attackedLogits(trainer.model, test.x, test.y, attackSpec('missing-drop', [false, true], 0, A));
      const out = trainer.model.forward(test.x);
      // What is left is modality A's share plus the bias.
      const bias = trainer.model.params.get('head.bias')!;
      const expected = tf.add(out.contributions[0], bias);
      expect(tf.max(tf.abs(tf.sub(drop, expected))).dataSync()[0]).toBeLessThan(1e-5);
    });
  });

  it('a zero gradient never produces NaN', () => {
    tf.tidy(() => {
      // Inputs far out in the ReLU's dead zone give exactly zero input gradients.
      const dead = test.x.map((x) => tf.fill(x.shape, -1e4) as tf.Tensor2D);
      const saved = [...trainer.model.params.entries()].filter(([k]) => k.endsWith('.l0.weight'));
      const backup = saved.map(([, v]) => v.clone());
      saved.forEach(([, v]) => v.assign(tf.onesLike(v)));
      try {
        for (const kind of ['fgm', 'pgd-l2', 'pgd-linf'] as const)
          for (const budget of ['joint', 'per-modality'] as const) {
            const adv = perturb(trainer.model, dead, test.y, {
              ...attackSpec(kind, [true, true], 0.5, A),
              budget,
              randomStart: false,
            });
            for (const a of adv) expect(a.dataSync().every(Number.isFinite)).toBe(true);
            adv.forEach((a, m) => expect(tf.max(tf.abs(tf.sub(a, dead[m]))).dataSync()[0]).toBe(0));
          }
      } finally {
        saved.forEach(([, v], i) => v.assign(backup[i]));
      }
    });
  });

  it('the paper preset is 4 steps of ε/3 from the clean input, one run, whatever the lab fields say', () => {
    const spec = attackSpec('pgd-l2', [true, true], 0.6, {
      ...A,
      preset: 'paper',
      steps: 50,
      restarts: 9,
      randomStart: true,
    });
    expect(spec).toMatchObject({ steps: 4, randomStart: false, restarts: 1 });
    expect(spec.stepSize).toBeCloseTo(0.2, 12);
    const lab = attackSpec('pgd-l2', [true, false], 0.6, { ...A, steps: 7, stepFraction: 0.5, budget: 'per-modality' });
    expect(lab).toMatchObject({ steps: 7, stepSize: 0.3, budget: 'per-modality', restarts: A.restarts });
  });

  it('every iterate counts: a sample is broken if any iterate of any run fooled it, and its attacked input shows it', async () => {
    for (const kind of ['pgd-l2', 'pgd-linf'] as const)
      for (const eps of [0.3, 0.6]) {
        const spec = attackSpec(kind, [true, true], eps, { ...A, steps: 8, stepFraction: 0.3, restarts: 1 });
        const tracked = await attackAccuracy(trainer.model, test.x, test.y, spec);
        const lastCorrect = tf.tidy(() => {
          const adv = perturb(trainer.model, test.x, test.y, spec);
          const pred = tf.argMax(trainer.model.forward(adv).logits, 1);
          return tf.mean(tf.cast(tf.equal(pred, test.y), 'float32')).dataSync()[0];
        });
        // The returned inputs are the fooling ones where there is one: accuracy on them is the tracked accuracy.
        expect(lastCorrect).toBeCloseTo(tracked, 6);
        // And tracking is never weaker than looking at the last iterate of a plain run.
        const plain = tf.tidy(() => {
          const loss = (xs: tf.Tensor2D[]) => crossEntropy(trainer.model.forward(xs).logits, test.y);
          const adv =
            kind === 'pgd-l2'
              ? pgdL2(loss, test.x, { ...spec, targets: [true, true] })
              : pgdLinf(loss, test.x, { ...spec, targets: [true, true] });
          const pred = tf.argMax(trainer.model.forward(adv).logits, 1);
          return tf.mean(tf.cast(tf.equal(pred, test.y), 'float32')).dataSync()[0];
        });
        expect(tracked).toBeLessThanOrEqual(plain + 1e-6);
      }
  });

  it("an attack run forms the CRMT head's rows once, and attacks exactly as when every pass forms them", async () => {
    // The same model with a head that has no fixed rows: every forward pass orthogonalises again.
    const plainHead = { ...trainer.model.head, withFixedRows: undefined };
    const everyPass = Object.assign(Object.create(trainer.model) as typeof trainer.model, { head: plainHead });
    const spec = attackSpec('pgd-l2', [true, true], 0.5, { ...A, steps: 8, restarts: 2, randomStart: true }, 5);
    const attacked = (model: typeof trainer.model) =>
      tf.tidy(() => perturb(model, test.x, test.y, spec).map((x) => x.arraySync()));
    expect(attacked(trainer.model)).toEqual(attacked(everyPass));
    expect(await attackAccuracy(trainer.model, test.x, test.y, spec)).toBe(
      await attackAccuracy(everyPass, test.x, test.y, spec),
    );
    const kernels = async (model: typeof trainer.model) =>
      (await tf.profile(() => tf.tidy(() => perturb(model, test.x, test.y, spec)))).kernels.length;
    const [fixed, perPass] = [await kernels(trainer.model), await kernels(everyPass)];
    // 2 runs × 8 steps of forward + backward: the fixed rows save the orthogonalisation of all but 2 of them.
    expect(fixed).toBeLessThan(perPass * 0.8);
  });

  it('more restarts never raise robust accuracy (the first run is the same run)', async () => {
    for (const kind of ['pgd-l2', 'pgd-linf'] as const) {
      const acc = async (restarts: number) =>
        attackAccuracy(trainer.model, test.x, test.y, attackSpec(kind, [true, true], 0.5, { ...A, restarts }, 7));
      const [one, three, five] = [await acc(1), await acc(3), await acc(5)];
      expect(three).toBeLessThanOrEqual(one);
      expect(five).toBeLessThanOrEqual(three);
    }
  });

  it('memory does not grow with the steps or runs: each step is freed before the next', async () => {
    // The most tensors alive at any forward pass of the attack, seen through a wrapped model.
    const most = async (steps: number, restarts: number) => {
      let top = 0;
      const model = Object.create(trainer.model) as typeof trainer.model;
      model.forward = (xs) => {
        top = Math.max(top, tf.memory().numTensors);
        return trainer.model.forward(xs);
      };
      const before = tf.memory().numTensors;
      await attackAccuracy(
        model,
        test.x,
        test.y,
        attackSpec('pgd-l2', [true, true], 0.5, { ...A, steps, restarts }, 3),
      );
      expect(tf.memory().numTensors).toBe(before);
      return top - before;
    };
    const short = await most(4, 1);
    // 25× the steps and 5× the runs: a held intermediate per step would multiply the count.
    const long = await most(100, 5);
    expect(long).toBeLessThanOrEqual(short + 20);
  });
});
