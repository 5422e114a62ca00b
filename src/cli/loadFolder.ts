import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../core/data/dataError';
import { type TextFile } from '../core/data/formats/pairedCsv';

/**
 * The files of a paired-CSV folder as the browser upload would hand them over, so the CLI and
 * the UI share one parser. Not recursive: a dataset is one flat folder.
 */
export async function readTextFolder(dir: string): Promise<TextFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new DataError(`Folder not found: ${dir}`);
  if (!info.isDirectory()) throw new DataError(`Not a folder: ${dir}`);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isFile() && (e.name.toLowerCase().endsWith('.csv') || e.name === 'dataset.json'))
    .map((e) => e.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
}
