import { basename, resolve } from 'node:path';
import type { ExperimentConfig } from '../core/config';
import { builtinDataset, defaultModalities } from '../core/data/builtin/builtin';
import type { Dataset } from '../core/data/dataset';
import { parseUpload } from '../core/data/formats/upload';
import { uploadParsers } from '../core/data/formats/uploadParsers';
import { selectModalities } from '../core/data/modalities';
import type { DataSource } from './experimentOptions';
import { readUploadPath } from './readUploadPath';

/**
 * The data an experiment runs on, as the page would have it: the built-in generator with the
 * config's settings, or a folder or ZIP read like an upload (split by the config's seed), narrowed
 * to the config's modalities — or, when it names none, the page's default (all, or the first two).
 */
export async function loadData(source: DataSource, config: ExperimentConfig): Promise<Dataset> {
  let raw: Dataset;
  if (source.kind === 'builtin') raw = builtinDataset(config.data);
  else {
    const { files, name } = await readUploadPath(source.path);
    raw = await parseUpload(files, {
      name: name || basename(resolve(source.path)),
      seed: config.train.seed,
      ...uploadParsers(),
    });
  }
  return selectModalities(raw, config.modalities.length ? config.modalities : defaultModalities(raw));
}
