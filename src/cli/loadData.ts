import { resolveModalities, parsePairedCsv, selectModalities } from '../core/data/pairedCsv';
import type { Dataset } from '../core/data/dataset';
import { generateToy2d, TOY2D_DEFAULTS } from '../core/data/toy2d';
import { readTextFolder } from './loadFolder';
import { basename, resolve } from 'node:path';

export const BUILTIN_DATASETS = ['toy-2d'] as const;

/** A built-in id or a paired-CSV folder, narrowed to the requested modalities (all by default). */
export async function loadData(spec: string, modalities: string[] | null, seed: number): Promise<Dataset> {
  const raw =
    spec === 'toy-2d' || spec === 'toy2d'
      ? generateToy2d(TOY2D_DEFAULTS)
      : parsePairedCsv(await readTextFolder(spec), { name: basename(resolve(spec)), seed });
  if (!modalities) return raw;
  return selectModalities(
    raw,
    resolveModalities(
      raw.modalities.map((m) => m.name),
      modalities,
    ),
  );
}
