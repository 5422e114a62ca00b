import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { DataError } from '../core/data/dataError';
import type { UploadFile } from '../core/data/formats/upload';
import { formatBytes, LIMITS } from '../core/data/limits';

/**
 * A folder (walked recursively) or a single file such as a ZIP, as the browser upload would hand
 * it over. Sizes are summed as the walk goes, before any file is read: a folder or file over the
 * upload limit is refused without reading it.
 */
export async function readUploadPath(path: string): Promise<{ files: UploadFile[]; name: string }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new DataError(`Not found: ${path}`);
  const name = basename(path).replace(/\.zip$/i, '');
  const overLimit = (what: string, bytes: number) =>
    new DataError(
      `${what} is ${formatBytes(bytes)}, over the ${formatBytes(LIMITS.totalBytes)} upload limit (after unzipping)`,
    );
  if (info.isFile()) {
    if (info.size > LIMITS.totalBytes) throw overLimit(path, info.size);
    return { files: [{ path: basename(path), bytes: new Uint8Array(await readFile(path)) }], name };
  }
  const found: { path: string; full: string }[] = [];
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && !/^readme/i.test(e.name)) {
        total += (await stat(full)).size;
        if (total > LIMITS.totalBytes) throw overLimit(path, total);
        found.push({ path: relative(path, full).split('\\').join('/'), full });
      }
    }
  };
  await walk(path);
  const files = await Promise.all(
    found.map(async (f) => ({ path: f.path, bytes: new Uint8Array(await readFile(f.full)) })),
  );
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), name };
}
