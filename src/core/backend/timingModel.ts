import type { ExperimentConfig } from '../config';
import { builtinDataset, defaultModalities } from '../data/builtin/builtin';
import { SPLIT_CODE, type Dataset } from '../data/dataset';
import { selectModalities } from '../data/modalities';
import { standardised } from '../data/prepare';
import type { DatasetSummary } from '../data/summary';
import { createRng } from '../random';
import { modelHasConvolutions } from './modelHasConvolutions';

/** What auto selection times: a trainer for this data and config, as the session would build it. */
export interface TimingModel {
  data: Dataset;
  config: ExperimentConfig;
}

export function timingModelHasConvolutions(m: TimingModel): boolean {
  return modelHasConvolutions(m.config.model, m.data.modalities);
}

/** The built-in dataset a config names, with its modalities chosen and standardised as the session does. */
export function builtinTimingModel(config: ExperimentConfig): TimingModel {
  const source = builtinDataset(config.data.kind === 'upload' ? { ...config.data, kind: 'toy2d' } : config.data);
  const names = config.modalities.length ? config.modalities : defaultModalities(source);
  return { data: standardised(selectModalities(source, names)).data, config };
}

/**
 * Standard-normal data of the loaded dataset's shapes, classes and split sizes: training takes
 * the same time on it, and it can be built from the summary the session posts, even for an
 * upload the worker's selection code never sees.
 */
export function standInTimingModel(summary: DatasetSummary, config: ExperimentConfig): TimingModel {
  const rng = createRng(config.train.seed);
  const { train, val, test } = summary.counts;
  const n = train + val + test;
  const split = new Uint8Array(n);
  split.fill(SPLIT_CODE.val, train, train + val).fill(SPLIT_CODE.test, train + val);
  const K = summary.classes.length;
  const data: Dataset = {
    name: `${summary.name} (timing stand-in)`,
    modalities: summary.modalities.map((m) => ({ name: m.name, shape: m.shape, kind: m.kind })),
    classNames: summary.classes,
    features: summary.modalities.map((m) =>
      Float32Array.from({ length: n * m.shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    ),
    labels: Int32Array.from({ length: n }, (_, i) => i % K),
    split,
  };
  return { data, config: { ...config, modalities: summary.modalities.map((m) => m.name) } };
}
