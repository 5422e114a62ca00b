import type { ExperimentConfig } from '../config';
import type { Dataset } from './dataset';
import { applyStandardisation, trainingStatistics, type Standardisation } from './standardise';
import { builtinDataset } from './builtin/builtin';

export interface PreparedData {
  raw: Dataset;
  /** Standardised with the training split's statistics: what every model sees. */
  data: Dataset;
  stats: Standardisation;
}

export function standardised(raw: Dataset): PreparedData {
  const stats = trainingStatistics(raw);
  return { raw, data: applyStandardisation(raw, stats), stats };
}

/** The built-in dataset a config names, standardised. */
export function prepareDataset(config: ExperimentConfig): PreparedData {
  return standardised(builtinDataset(config.data));
}
