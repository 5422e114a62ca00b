import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadData } from '../../src/cli/loadData';
import { builtinDataset } from '../../src/core/data/builtin/builtin';
import type { Dataset } from '../../src/core/data/dataset';
import { prepareDataset, standardised } from '../../src/core/data/prepare';
import { certifiedRadius } from '../../src/core/robust/certify';
import { soundConstants } from '../../src/core/robust/lipschitz';
import { collectOutputs } from '../../src/core/robust/modelOutputs';
import { pgdL2 } from '../../src/core/robust/pgd';
import { pgdLinf } from '../../src/core/robust/pgdLinf';
import type { MethodId } from '../../src/core/train/methods';
import { Trainer, uploadSplit } from '../../src/core/train/trainer';

/** max over k ≠ y of hₖ − h_y, summed: positive once any sample is misclassified. */
function marginLoss(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  const oh = tf.oneHot(y, logits.shape[1]);
  const hy = tf.sum(tf.mul(logits, oh), 1);
  const other = tf.max(tf.sub(logits, tf.mul(oh, 1e9)), 1);
  return tf.sum(tf.sub(other, hy));
}

/**
 * Attacks every test sample inside `scale` × its own radius: PGD in coordinates where the
 * per-sample budget is 1, so one batched attack gives each sample its own ball.
 */
function predictionsUnderAttack(
  trainer: Trainer,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  radius: Float64Array,
  targets: boolean[],
  scale: number,
  seed: number,
  kind: 'pgd' | 'pgd-zero-start' | 'fgm' | 'linf' = 'pgd',
): Int32Array {
  return tf.tidy(() => {
    const r = tf.tensor2d(
      Float32Array.from(radius, (v) => (Number.isFinite(v) ? v * scale : 0)),
      [radius.length, 1],
    );
    const toInput = (xa: tf.Tensor2D[]) => xa.map((x, m) => tf.add(xs[m], tf.mul(r, tf.sub(x, xs[m]))) as tf.Tensor2D);
    const loss = (xa: tf.Tensor2D[]) => marginLoss(trainer.model.forward(toInput(xa)).logits, y);
    // An ℓ∞ box of half-width 1/√d lies inside the unit ℓ2 ball over d attacked coordinates.
    const d = xs.reduce((s, x, m) => s + (targets[m] ? x.shape[1] : 0), 0);
    const attacked =
      kind === 'linf'
        ? pgdLinf(loss, xs, {
            eps: 1 / Math.sqrt(d),
            steps: 40,
            stepSize: 0.1 / Math.sqrt(d),
            randomStart: true,
            targets,
            seed,
          })
        : pgdL2(loss, xs, {
            eps: 1,
            steps: kind === 'fgm' ? 1 : 40,
            stepSize: kind === 'fgm' ? 1 : 0.1,
            randomStart: kind === 'pgd',
            targets,
            budget: 'joint',
            seed,
          });
    return tf.argMax(trainer.model.forward(toInput(attacked)).logits, 1).dataSync() as Int32Array;
  });
}

interface Setup {
  name: string;
  config: ExperimentConfig;
  /** The data, standardised; null when it is absent (a fresh clone without ../shared/data). */
  data: () => Promise<Dataset | null>;
  /** Share of the test split the model must get right for the check to mean something. */
  minCorrect: number;
  /** The scale of the radius at which the attack must flip something (the bound is 2–5× loose on real data). */
  outside: number;
}

// ../shared/data next to the repository; CRMT_SHARED_DATA points elsewhere.
const SHARED = (
  process.env.CRMT_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url))
).replace(/\/?$/, '/');

const setup = (method: MethodId, over: Partial<ExperimentConfig['train']> = {}): ExperimentConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 600 } },
  train: { ...DEFAULT_CONFIG.train, method, epochs: 6, ...over },
});

const SETUPS: Setup[] = [
  ...(['jt', 'crmt-jt'] as const).map((method) => ({
    name: `${method} on the toy`,
    config: setup(method),
    data: async () => prepareDataset(setup(method)).data,
    minCorrect: 0.8,
    outside: 4,
  })),
  {
    // A real multi-view dataset: 76 Fourier and 216 profile-correlation features of handwritten digits.
    name: 'crmt-jt on mfeat (fou + fac), MLP',
    config: { ...setup('crmt-jt', { epochs: 5 }), modalities: ['fou', 'fac'] },
    data: async () => {
      const path = `${SHARED}mfeat_handwritten`;
      if (!existsSync(path)) return null;
      const c = {
        ...setup('crmt-jt'),
        data: { ...DEFAULT_CONFIG.data, kind: 'upload' as const },
        modalities: ['fou', 'fac'],
      };
      return standardised(await loadData({ kind: 'path', path }, c)).data;
    },
    minCorrect: 0.8,
    outside: 12,
  },
  {
    // The CNN encoder on the audio-visual images and spectrograms (on the CPU backend the unit tests pin).
    name: 'jt on audio-visual, CNN encoders',
    config: {
      ...setup('jt', { epochs: 3 }),
      data: {
        ...DEFAULT_CONFIG.data,
        kind: 'audioVisual',
        audioVisual: { ...DEFAULT_CONFIG.data.audioVisual, samples: 200 },
      },
      model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [4, 8], outDim: 16 } },
    },
    data: async () =>
      standardised(
        builtinDataset({
          ...DEFAULT_CONFIG.data,
          kind: 'audioVisual',
          audioVisual: { ...DEFAULT_CONFIG.data.audioVisual, samples: 200 },
        }),
      ).data,
    minCorrect: 0.5,
    // The global bound of a CNN (√(kh·kw)·σ per convolution) is looser still.
    outside: 100,
  },
];

describe('soundness of certified radii on trained models (spec §6)', () => {
  for (const s of SETUPS)
    it(`${s.name}: no attack inside a sound radius changes a prediction; outside, attacks do`, async () => {
      const data = await s.data();
      if (!data) return console.warn(`skipped: ${s.name} needs ../shared/data, which is absent`);
      const trainer = new Trainer(data, s.config);
      for await (const snap of trainer.run()) if (snap.kind === 'diverged') throw new Error(snap.message);
      const test = uploadSplit(data, 'test');
      const labels = new Int32Array(await test.y.data());
      const out = await collectOutputs(trainer.model, test.x);
      const radii = certifiedRadius(out.logits, labels, (await soundConstants(trainer.model)).pair, out.K);
      const clean = Int32Array.from({ length: test.n }, (_, i) => {
        let best = 0;
        for (let k = 1; k < out.K; k++) if (out.logits[i * out.K + k] > out.logits[i * out.K + best]) best = k;
        return best;
      });
      const correct = [...radii.correct].filter(Boolean).length;
      expect(correct).toBeGreaterThan(test.n * s.minCorrect);
      const M = data.modalities.length;
      const cases: [Float64Array, boolean[]][] = [
        [radii.joint, new Array<boolean>(M).fill(true)],
        ...radii.perModality.map((r, m): [Float64Array, boolean[]] => [r, data.modalities.map((_, j) => j === m)]),
      ];
      let flippedOutside = 0;
      for (const [radius, targets] of cases) {
        // Three random-start PGD runs, one from the clean input, FGM and an ℓ∞ PGD inside the ball.
        const attacks = [0, 1, 2].map((seed) => ['pgd', seed] as const);
        for (const [kind, seed] of [...attacks, ['pgd-zero-start', 0], ['fgm', 0], ['linf', 0]] as const) {
          const inside = predictionsUnderAttack(trainer, test.x, test.y, radius, targets, 0.999, seed, kind);
          for (let i = 0; i < test.n; i++) if (radii.correct[i]) expect(inside[i]).toBe(clean[i]);
        }
        const outside = predictionsUnderAttack(trainer, test.x, test.y, radius, targets, s.outside, 0);
        for (let i = 0; i < test.n; i++) if (radii.correct[i] && outside[i] !== clean[i]) flippedOutside++;
      }
      // The attack is real: well outside the radii it does flip predictions.
      expect(flippedOutside).toBeGreaterThan(0);
      test.x.forEach((x) => x.dispose());
      test.y.dispose();
      trainer.dispose();
    }, 600_000);
});
