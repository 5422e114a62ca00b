import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { standardised } from '../core/data/prepare';
import { stratifiedSplit } from '../core/data/splits';
import { createRng } from '../core/random';
import type { MethodId } from '../core/train/methods';
import { attackAccuracy, attackSpec } from '../core/robust/attacks';
import { certify } from '../core/robust/certification';
import { collectOutputs } from '../core/robust/modelOutputs';
import { Trainer, uploadSplit, type SplitTensors } from '../core/train/trainer';
import type { EvaluationRow } from './benchTypes';

export const EVAL_TEST_FRACTION = 0.2;

/** mfeat-shaped synthetic data (76 + 216 features, 10 classes), large enough for thousands of test samples. */
export function syntheticMfeat(n: number): Dataset {
  const rng = createRng(3);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const view = (d: number, noise: number) => {
    const centres = Array.from({ length: 10 }, () => Array.from({ length: d }, () => rng.normal()));
    return Float32Array.from(
      { length: n * d },
      (_, j) => centres[labels[Math.floor(j / d)]][j % d] + noise * rng.normal(),
    );
  };
  return {
    name: 'synthetic-76x216',
    modalities: [
      { name: 'a', shape: [76] },
      { name: 'b', shape: [216] },
    ],
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
    features: [view(76, 3), view(216, 6)],
    labels,
    split: stratifiedSplit(labels, { val: 0.05, test: EVAL_TEST_FRACTION }, rng),
  };
}

/** The default two-branch MLP trained with `method` on the mfeat-shaped data. */
export function evaluationSetup(method: MethodId, testSamples: number): { data: Dataset; config: ExperimentConfig } {
  const { data } = standardised(syntheticMfeat(Math.round(testSamples / EVAL_TEST_FRACTION)));
  const config = { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, method, liveEvaluation: false } };
  return { data, config };
}

export interface EvaluationTimes {
  clean: number;
  pgdL2: number;
  certified: number;
}

/** Seconds of one clean pass, PGD-ℓ2 (the lab's default, joint budget) and both kinds of certified radii on `test`. */
export async function timeEvaluation(trainer: Trainer, test: SplitTensors): Promise<EvaluationTimes> {
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return (performance.now() - t0) / 1000;
  };
  const all = test.x.map(() => true);
  const clean = await time(() => collectOutputs(trainer.model, test.x));
  const pgdL2 = await time(() =>
    attackAccuracy(trainer.model, test.x, test.y, attackSpec('pgd-l2', all, 1, DEFAULT_CONFIG.attack)),
  );
  const outputs = await collectOutputs(trainer.model, test.x);
  const labels = new Int32Array(await test.y.data());
  const certified = await time(() => certify(trainer.model, outputs, labels, trainer.splits.train.x, [0.1]));
  return { clean, pgdL2, certified };
}

/**
 * Evaluation cost per 1,000 test samples. The model trains a few steps first (the cost hardly
 * depends on the weights), and each evaluation runs once on a small slice so kernel compilation
 * is not counted.
 */
export async function measureEvaluation(method: MethodId, testSamples: number): Promise<EvaluationRow> {
  const { data, config } = evaluationSetup(method, testSamples);
  const trainer = new Trainer(data, config);
  const test = uploadSplit(data, 'test');
  const head: SplitTensors = {
    x: test.x.map((x) => x.slice([0, 0], [Math.min(64, test.n), -1])),
    y: test.y.slice(0, Math.min(64, test.n)),
    labels: test.labels.subarray(0, Math.min(64, test.n)),
    n: Math.min(64, test.n),
  };
  try {
    await trainer.advance(10);
    await timeEvaluation(trainer, head);
    const t = await timeEvaluation(trainer, test);
    const per1000 = (s: number) => (s / test.n) * 1000;
    return {
      method,
      testSamples: test.n,
      trainSamples: trainer.splits.train.n,
      clean: per1000(t.clean),
      pgdL2: per1000(t.pgdL2),
      certified: per1000(t.certified),
    };
  } finally {
    for (const s of [test, head]) tf.dispose([...s.x, s.y]);
    trainer.dispose();
  }
}
