import type { DataChoice } from '../../config';
import type { Dataset } from '../dataset';
import { generateAudioVisual } from './audioVisual';
import { generateToy2d } from './toy2d';

/** The generated dataset a config names (uploads live in the worker, not in the config). */
export function builtinDataset(choice: DataChoice): Dataset {
  return choice.kind === 'audioVisual' ? generateAudioVisual(choice.audioVisual) : generateToy2d(choice.toy2d);
}

/** The modalities used by default: all of them, or the first two when there are more. */
export function defaultModalities(d: Dataset): string[] {
  return d.modalities.slice(0, d.modalities.length > 2 ? 2 : undefined).map((m) => m.name);
}
