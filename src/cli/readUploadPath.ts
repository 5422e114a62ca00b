import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { DataError } from '../core/data/dataError';
import type { UploadFile } from '../core/data/formats/upload';

/** A folder (walked recursively) or a single file such as a ZIP, as the browser upload would hand it over. */
export async function readUploadPath(path: string): Promise<{ files: UploadFile[]; name: string }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new DataError(`Not found: ${path}`);
  const name = basename(path).replace(/\.zip$/i, '');
  if (info.isFile()) return { files: [{ path: basename(path), bytes: new Uint8Array(await readFile(path)) }], name };
  const files: UploadFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && !/^readme/i.test(e.name))
        files.push({ path: relative(path, full).split('\\').join('/'), bytes: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(path);
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), name };
}
