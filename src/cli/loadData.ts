import { basename, resolve } from 'node:path';
import { AUDIO_VISUAL_DEFAULTS, generateAudioVisual } from '../core/data/builtin/audioVisual';
import type { Dataset } from '../core/data/dataset';
import { resolveModalities, selectModalities } from '../core/data/modalities';
import { generateToy2d, TOY2D_DEFAULTS } from '../core/data/builtin/toy2d';
import { parseUpload } from '../core/data/formats/upload';
import { uploadParsers } from '../core/data/formats/uploadParsers';
import { readUploadPath } from './readUploadPath';

export const BUILTIN_DATASETS = ['toy-2d', 'audio-visual'] as const;

/**
 * A built-in id, or a path to anything the page accepts as an upload (a paired-CSV or NumPy
 * folder, or a ZIP of one), narrowed to the requested modalities (all by default).
 */
export async function loadData(spec: string, modalities: string[] | null, seed: number): Promise<Dataset> {
  let raw: Dataset;
  if (spec === 'toy-2d' || spec === 'toy2d') raw = generateToy2d(TOY2D_DEFAULTS);
  else if (spec === 'audio-visual') raw = generateAudioVisual(AUDIO_VISUAL_DEFAULTS);
  else {
    const { files, name } = await readUploadPath(spec);
    raw = await parseUpload(files, { name: name || basename(resolve(spec)), seed, ...uploadParsers() });
  }
  if (!modalities) return raw;
  return selectModalities(
    raw,
    resolveModalities(
      raw.modalities.map((m) => m.name),
      modalities,
    ),
  );
}
