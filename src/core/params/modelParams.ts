import { ACTIVATIONS } from '../model/activationNames';
import type { ExperimentConfig } from '../config';
import { param } from './paramTypes';

const cnn = (c: ExperimentConfig) => c.model.encoder === 'cnn-for-images';

/** The encoders (spec §1). */
export const MODEL_PARAMS = [
  param({
    path: 'model.hidden',
    key: 'hidden',
    flag: 'hidden',
    label: 'MLP widths',
    help: 'Hidden widths, e.g. 64-32 (or 64,32 or 64 32); the last is the feature size dₘ (the CRMT head needs dₘ ≥ classes).',
    group: 'model',
    type: 'intList',
    min: 1,
    max: 4096,
    minLength: 1,
    maxLength: 8,
    default: [64, 32],
  }),
  param({
    path: 'model.activation',
    key: 'act',
    flag: 'activation',
    label: 'Activation',
    help: 'Every choice is 1-Lipschitz, so the certified bound is unchanged by it.',
    group: 'model',
    type: 'enum',
    options: ACTIVATIONS,
    default: 'relu',
  }),
  param({
    path: 'model.encoder',
    key: 'encoder',
    flag: 'encoder',
    label: 'Image encoder',
    help: 'MLP on flattened pixels, or a small CNN for image and spectrogram modalities.',
    group: 'model',
    type: 'enum',
    options: ['mlp', 'cnn-for-images'],
    default: 'mlp',
  }),
  param({
    path: 'model.cnn.filters',
    key: 'cnnFilters',
    flag: 'cnn-filters',
    label: 'CNN filters',
    help: 'Filters of each 3×3 convolution, e.g. 8-16; each is followed by 2×2 average pooling.',
    group: 'model',
    applies: cnn,
    type: 'intList',
    min: 1,
    max: 512,
    minLength: 1,
    maxLength: 6,
    default: [8, 16],
  }),
  param({
    path: 'model.cnn.outDim',
    key: 'cnnOut',
    flag: 'cnn-out',
    label: 'CNN feature size',
    help: "The CNN's output dimension dₘ.",
    group: 'model',
    applies: cnn,
    type: 'int',
    min: 1,
    max: 1024,
    default: 32,
  }),
];
