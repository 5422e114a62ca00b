import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../core/data/dataError';
import { type TextFile } from '../core/data/formats/pairedCsv';
import { decodeText } from '../core/data/formats/text';
import { formatBytes, LIMITS } from '../core/data/limits';

/**
 * The files of a paired-CSV folder as the browser upload would hand them over, so the CLI and
 * the UI share one parser: sized against the upload limit before any is read, and decoded as the
 * upload decodes them (UTF-8 or UTF-16 with its mark). Not recursive: a dataset is one flat folder.
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
  let total = 0;
  for (const name of names) total += (await stat(join(dir, name))).size;
  if (total > LIMITS.totalBytes)
    throw new DataError(`${dir} is ${formatBytes(total)}, over the ${formatBytes(LIMITS.totalBytes)} upload limit`);
  return Promise.all(
    names.map(async (name) => ({ name, text: decodeText(name, new Uint8Array(await readFile(join(dir, name)))) })),
  );
}
