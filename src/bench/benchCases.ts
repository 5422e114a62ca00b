import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import { builtinDataset, defaultModalities } from '../core/data/builtin/builtin';
import type { Dataset } from '../core/data/dataset';
import { selectModalities } from '../core/data/modalities';
import { standardised } from '../core/data/prepare';
import type { MethodId } from '../core/train/methods';
import type { ModelKind } from './benchTypes';

/**
 * The lab's defaults: the two-branch MLP on toy2d, and the CNN encoders on the audio-visual set.
 * `epochs` is large so a measurement never leaves the main phase.
 */
export function benchConfig(model: ModelKind, method: MethodId, liveEvaluation = false): ExperimentConfig {
  const base = DEFAULT_CONFIG;
  return {
    ...base,
    data: { ...base.data, kind: model === 'cnn' ? 'audioVisual' : 'toy2d' },
    model: { ...base.model, encoder: model === 'cnn' ? 'cnn-for-images' : 'mlp' },
    train: { ...base.train, method, epochs: 100_000, liveEvaluation },
  };
}

/** The standardised data the lab would train on for this config (default modalities). */
export function benchData(config: ExperimentConfig): Dataset {
  const source = builtinDataset(config.data);
  return standardised(selectModalities(source, defaultModalities(source))).data;
}
