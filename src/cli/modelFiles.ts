import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../core/data/dataError';
import type { Dataset } from '../core/data/dataset';
import { importModel, MODEL_FILES, modelDataMismatch, type ImportedModel } from '../core/io/exportModel';

export async function writeModelFiles(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
}

/** An exported model from a folder, checked against the dataset it is to run on. */
export async function readModelFiles(dir: string, data: Dataset): Promise<ImportedModel> {
  const names = await readdir(dir).catch(() => {
    throw new DataError(`Folder not found: ${dir}`);
  });
  const files = Object.fromEntries(
    await Promise.all(
      names.filter((n) => MODEL_FILES.includes(n)).map(async (n) => [n, new Uint8Array(await readFile(join(dir, n)))]),
    ),
  );
  const imported = importModel(files);
  const problem = modelDataMismatch(imported.config, data);
  if (problem) {
    imported.model.dispose();
    throw new DataError(`${dir}: ${problem}`);
  }
  return imported;
}
