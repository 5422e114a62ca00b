import type { ModelSettings } from '../config';
import type { Dataset } from '../data/dataset';
import type { HeadRows } from './crmtHead';
import type { HeadSpec, ModelSpec } from './model';

/** The model a dataset and the settings call for: one encoder per modality and the method's head. */
export function buildModelSpec(data: Dataset, settings: ModelSettings, head: HeadSpec, seed: number): ModelSpec {
  return {
    inputShapes: data.modalities.map((m) => m.shape),
    classes: data.classNames.length,
    encoders: data.modalities.map((m) =>
      settings.encoder === 'cnn-for-images' && m.shape.length >= 2
        ? { kind: 'cnn', filters: settings.cnn.filters, outDim: settings.cnn.outDim, activation: settings.activation }
        : { kind: 'mlp', widths: settings.hidden, activation: settings.activation },
    ),
    head,
    seed,
  };
}

export function headFor(kind: HeadSpec['kind'], rows: HeadRows, perModalityBias = false): HeadSpec {
  return kind === 'crmt' ? { kind, rows } : { kind, perModalityBias };
}
