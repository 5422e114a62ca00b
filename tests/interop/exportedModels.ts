import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { splitIndices, featureSize, gatherRows } from '../../src/core/data/dataset';
import { prepareDataset } from '../../src/core/data/prepare';
import { exportModel } from '../../src/core/io/exportModel';
import type { Activation } from '../../src/core/model/activationNames';
import type { HeadRows } from '../../src/core/model/crmtHead';
import { METHOD_IDS, type MethodId } from '../../src/core/train/methods';
import { Trainer } from '../../src/core/train/trainer';

/** One trained, exported model with the lab's own logits on raw test rows. */
export interface ExportedCase {
  label: string;
  method: MethodId;
  files: Record<string, Uint8Array>;
  /** Per modality: n raw (unstandardised) rows, as a user feeds the exported model. */
  raw: Float32Array[];
  features: number[];
  n: number;
  K: number;
  /** The lab's fused logits [n·K] and uni-modal logits per modality, on the same rows. */
  logits: Float32Array;
  branches: Float32Array[];
}

interface CaseSpec {
  method: MethodId;
  data: 'toy2d' | 'audioVisual';
  activation?: Activation;
  headRows?: HeadRows;
  /** Longer training: larger weights and logits, so float32 rounding shows more. */
  epochs?: number;
}

const ROWS = 40;

/** Every method on MLPs (toy-2d) and on CNNs (audio-visual), plus unit head rows and every activation. */
export const CASES: CaseSpec[] = [
  ...METHOD_IDS.map((method): CaseSpec => ({ method, data: 'toy2d' })),
  ...METHOD_IDS.map((method, i): CaseSpec => ({
    method,
    data: 'audioVisual',
    activation: (['relu', 'leakyRelu', 'tanh'] as const)[i % 3],
  })),
  { method: 'crmt-jt', data: 'toy2d', headRows: 'unit' },
  { method: 'crmt-at', data: 'audioVisual', headRows: 'unit' },
  { method: 'jt', data: 'toy2d', activation: 'tanh' },
  { method: 'crmt-jt', data: 'toy2d', activation: 'leakyRelu' },
  { method: 'jt', data: 'toy2d', epochs: 40 },
  { method: 'crmt-jt', data: 'toy2d', epochs: 40 },
  { method: 'crmt-jt', data: 'toy2d', epochs: 40, headRows: 'unit' },
];

export const caseLabel = (c: CaseSpec) =>
  [
    c.method,
    c.data === 'toy2d' ? 'mlp' : 'cnn',
    c.activation,
    c.headRows === 'unit' ? 'unit rows' : null,
    c.epochs ? `${c.epochs} epochs` : null,
  ]
    .filter(Boolean)
    .join(' ');

function configFor(c: CaseSpec): ExperimentConfig {
  const d = DEFAULT_CONFIG;
  return {
    ...d,
    data: {
      ...d.data,
      kind: c.data,
      toy2d: { ...d.data.toy2d, samples: 200 },
      audioVisual: { ...d.data.audioVisual, samples: 120, classes: 3 },
    },
    model: {
      ...d.model,
      hidden: [16, 8],
      activation: c.activation ?? 'relu',
      encoder: c.data === 'audioVisual' ? 'cnn-for-images' : 'mlp',
      cnn: { filters: [4, 6], outDim: 8 },
    },
    train: {
      ...d.train,
      method: c.method,
      epochs: c.epochs ?? 2,
      batchSize: 32,
      liveEvaluation: false,
      headRows: c.headRows ?? 'orthonormal',
      teacherEpochs: 1,
      at: { ...d.train.at, steps: 2 },
      step2: { ...d.train.step2, epochs: 1 },
    },
  };
}

export async function exportedCase(c: CaseSpec): Promise<ExportedCase> {
  const config = configFor(c);
  const prepared = prepareDataset(config);
  const trainer = new Trainer(prepared.data, config);
  try {
    for await (const s of trainer.run()) void s;
    const files = await exportModel(trainer.model, {
      dataset: prepared.data.name,
      modalities: prepared.data.modalities,
      classes: prepared.data.classNames,
      experiment: config,
      standardisation: prepared.stats,
    });
    const rows = splitIndices(prepared.data, 'test').slice(0, ROWS);
    const features = prepared.data.modalities.map(featureSize);
    const pick = (d: typeof prepared.data) => d.features.map((x, m) => gatherRows(x, features[m], rows));
    const raw = pick(prepared.raw);
    const standard = pick(prepared.data);
    const out = tf.tidy(() => {
      const o = trainer.model.forward(standard.map((x, m) => tf.tensor2d(x, [rows.length, features[m]])));
      return [o.logits, ...o.uni];
    });
    const [logits, ...branches] = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(out);
    return {
      label: caseLabel(c),
      method: c.method,
      files,
      raw,
      features,
      n: rows.length,
      K: prepared.data.classNames.length,
      logits,
      branches,
    };
  } finally {
    trainer.dispose();
  }
}

/** The largest |a − b| over two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
