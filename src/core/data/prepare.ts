import type { ExperimentConfig } from '../config';
import type { Dataset } from './dataset';
import { applyStandardisation, trainingStatistics, type Standardisation } from './standardise';
import { generateToy2d } from './toy2d';

/** The dataset a config names, standardised with its training split's statistics. */
export function prepareDataset(config: ExperimentConfig): { raw: Dataset; data: Dataset; stats: Standardisation } {
  const raw = generateToy2d(config.data.toy2d);
  const stats = trainingStatistics(raw);
  return { raw, data: applyStandardisation(raw, stats), stats };
}
