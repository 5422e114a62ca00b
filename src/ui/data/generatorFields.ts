import { AUDIO_VISUAL_MAX_CLASSES, type AudioVisualParams } from '../../core/data/builtin/audioVisual';
import type { Toy2dParams } from '../../core/data/builtin/toy2d';
import type { GeneratorField } from './GeneratorControls';

export const TOY_FIELDS: GeneratorField<Toy2dParams>[] = [
  { key: 'classes', label: 'Classes', min: 2, max: 8, step: 1, help: 'Number of classes (K).' },
  { key: 'samples', label: 'Samples', min: 100, max: 20000, step: 100, help: 'Samples in all splits together.' },
  {
    key: 'separationA',
    label: 'Separation A',
    min: 0,
    max: 5,
    step: 0.1,
    help: 'Distance of the class centres in A: larger is easier.',
  },
  { key: 'noiseA', label: 'Noise A', min: 0, max: 3, step: 0.05, help: 'Spread of each class in A: larger is harder.' },
  { key: 'separationB', label: 'Separation B', min: 0, max: 5, step: 0.1, help: 'Distance of the class centres in B.' },
  {
    key: 'noiseB',
    label: 'Noise B',
    min: 0,
    max: 3,
    step: 0.05,
    help: 'Spread of each class in B. Make B cleaner than A to reverse the preference.',
  },
  { key: 'seed', label: 'Data seed', min: 0, max: 1e6, step: 1, help: 'Seed of the generator.' },
];

export const AUDIO_VISUAL_FIELDS: GeneratorField<AudioVisualParams>[] = [
  {
    key: 'classes',
    label: 'Classes',
    min: 2,
    max: AUDIO_VISUAL_MAX_CLASSES,
    step: 1,
    help: 'Shapes and chords, one per class.',
  },
  { key: 'samples', label: 'Samples', min: 100, max: 10000, step: 100, help: 'Pairs in all splits together.' },
  { key: 'imageNoise', label: 'Image noise', min: 0, max: 3, step: 0.05, help: 'Pixel noise and shape jitter.' },
  {
    key: 'audioNoise',
    label: 'Audio noise',
    min: 0,
    max: 3,
    step: 0.05,
    help: 'White noise and pitch jitter of the tones.',
  },
  { key: 'seed', label: 'Data seed', min: 0, max: 1e6, step: 1, help: 'Seed of the generator.' },
];
