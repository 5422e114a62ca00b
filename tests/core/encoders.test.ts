import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import type { Dataset } from '../../src/core/data/dataset';
import { standardised } from '../../src/core/data/prepare';
import { stratifiedSplit } from '../../src/core/data/splits';
import { createRng } from '../../src/core/random';
import { Trainer } from '../../src/core/train/trainer';

/** Tiny images (a bright bar whose orientation is the class) plus a noisy vector, or three vectors. */
function synthetic(kind: 'image' | 'three', n = 120): Dataset {
  const rng = createRng(8);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const img = new Float32Array(n * 36);
  const vec = (d: number, noise: number) =>
    Float32Array.from({ length: n * d }, (_, j) => (labels[Math.floor(j / d)] ? 1 : -1) + noise * rng.normal());
  labels.forEach((y, i) => {
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 6; c++) img[i * 36 + r * 6 + c] = ((y ? c : r) === 2 ? 1 : 0) + 0.2 * rng.normal();
  });
  const base = { classNames: ['a', 'b'], labels, split: stratifiedSplit(labels, { val: 0.2, test: 0.2 }, rng) };
  return kind === 'image'
    ? {
        ...base,
        name: 'bars',
        modalities: [
          { name: 'img', shape: [6, 6] },
          { name: 'vec', shape: [3] },
        ],
        features: [img, vec(3, 3)],
      }
    : {
        ...base,
        name: 'three',
        modalities: ['x', 'y', 'z'].map((name) => ({ name, shape: [2] })),
        features: [vec(2, 0.5), vec(2, 2), vec(2, 4)],
      };
}

async function train(data: Dataset, config: ExperimentConfig) {
  const trainer = new Trainer(standardised(data).data, config);
  let last = NaN;
  for await (const s of trainer.run()) if (s.kind === 'epoch') last = s.record.val.accuracy;
  return { trainer, last };
}

describe('encoders and modality counts', () => {
  it('a small CNN encoder trains on image-shaped modalities (CPU backend, tiny shapes)', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, encoder: 'cnn-for-images', cnn: { filters: [4], outDim: 8 }, hidden: [8] },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 6, batchSize: 24 },
    };
    const { trainer, last } = await train(synthetic('image'), config);
    expect([...trainer.model.params.keys()].some((k) => k.startsWith('enc0.conv0'))).toBe(true);
    expect([...trainer.model.params.keys()].some((k) => k.startsWith('enc1.conv'))).toBe(false);
    expect(last).toBeGreaterThan(0.8);
    trainer.dispose();
  });

  it('trains any number M ≥ 2 of modalities: three here, with one weight vector a per modality', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 4 },
    };
    const { trainer, last } = await train(synthetic('three'), config);
    expect(trainer.model.head.integration()!.length).toBe(3);
    expect(last).toBeGreaterThan(0.8);
    trainer.dispose();
  });

  it('offers ReLU, tanh and leaky-ReLU encoders', async () => {
    for (const activation of ['tanh', 'leakyRelu'] as const) {
      const config: ExperimentConfig = {
        ...DEFAULT_CONFIG,
        model: { ...DEFAULT_CONFIG.model, activation, hidden: [16, 8] },
        train: { ...DEFAULT_CONFIG.train, epochs: 3 },
      };
      const { trainer, last } = await train(synthetic('three'), config);
      expect(last).toBeGreaterThan(0.8);
      expect(tf.memory().numTensors).toBeGreaterThan(0);
      trainer.dispose();
    }
  });
});
