import { unzipSync } from 'fflate';
import type { Dataset } from '../dataset';
import { checkDatasetSize, checkUploadSize } from '../limits';
import { featureSize } from '../dataset';
import { DataError } from '../dataError';
import { parsePairedCsv } from './pairedCsv';
import { assertSplittable } from '../splits';

export interface UploadFile {
  /** Path inside the upload, '/'-separated, e.g. `mfeat/view1_fac.csv` or `cat/001.png`. */
  path: string;
  bytes: Uint8Array;
}

export type UploadFormat = 'paired-csv' | 'numpy' | 'media';

const IGNORED = /(^|\/)(__MACOSX|\.[^/]*|Thumbs\.db|desktop\.ini)(\/|$)/;

/** ZIPs expanded in place (paths prefixed by the archive's stem), system files dropped. */
export function expandUpload(files: UploadFile[]): UploadFile[] {
  const out: UploadFile[] = [];
  for (const f of files) {
    if (IGNORED.test(f.path)) continue;
    if (!f.path.toLowerCase().endsWith('.zip')) {
      out.push(f);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(f.bytes);
    } catch (e) {
      throw new DataError(`${f.path} is not a readable ZIP archive (${(e as Error).message})`);
    }
    for (const [path, bytes] of Object.entries(entries))
      if (!path.endsWith('/') && !IGNORED.test(path)) out.push({ path, bytes });
  }
  return stripCommonFolder(out);
}

/** A folder dropped as a whole arrives as `folder/...`: the dataset is what is inside it. */
function stripCommonFolder(files: UploadFile[]): UploadFile[] {
  let current = files;
  for (;;) {
    const first = current[0]?.path.split('/');
    if (!first || first.length < 2) return current;
    const top = first[0];
    if (!current.every((f) => f.path.startsWith(`${top}/`))) return current;
    current = current.map((f) => ({ ...f, path: f.path.slice(top.length + 1) }));
  }
}

export function detectFormat(files: UploadFile[]): UploadFormat {
  const lower = files.map((f) => f.path.toLowerCase());
  if (lower.some((p) => p.endsWith('.npy'))) return 'numpy';
  if (lower.some((p) => p.endsWith('.csv'))) return 'paired-csv';
  if (lower.some((p) => /\.(png|jpe?g|webp|wav|mp3|ogg)$/.test(p))) return 'media';
  throw new DataError(
    `No dataset found in the upload (${files.length} files): expected one CSV per modality with labels.csv, ` +
      `one .npy per modality with labels.npy, or <class>/<id> image and audio pairs`,
  );
}

export interface ParseOptions {
  name: string;
  seed?: number;
  /** Called as parsing advances: a fraction in [0, 1] and what is being done. */
  onProgress?: (fraction: number, message: string) => void;
  /** Formats that need environment-specific decoding (images, compressed audio). */
  parseNumpy?: (files: UploadFile[], o: { name: string; seed?: number }) => Dataset;
  parseMedia?: (
    files: UploadFile[],
    o: { name: string; seed?: number; onProgress?: ParseOptions['onProgress'] },
  ) => Promise<Dataset>;
}

/** Any supported upload, already expanded, to a dataset; every problem is a DataError naming the file. */
export async function parseUpload(files: UploadFile[], o: ParseOptions): Promise<Dataset> {
  o.onProgress?.(0, `Unpacking ${files.length} file${files.length === 1 ? '' : 's'}…`);
  const expanded = expandUpload(files);
  if (expanded.length === 0) throw new DataError('The upload is empty');
  checkUploadSize(expanded);
  const format = detectFormat(expanded);
  o.onProgress?.(0.05, `Parsing ${expanded.length} files (${format})…`);
  let d: Dataset;
  if (format === 'paired-csv') {
    const decoder = new TextDecoder();
    const flat = expanded.filter((f) => !f.path.includes('/'));
    if (flat.length === 0)
      throw new DataError('The CSV files must sit at the top of the folder or ZIP, not in subfolders');
    d = parsePairedCsv(
      flat.filter((f) => /\.(csv|json)$/i.test(f.path)).map((f) => ({ name: f.path, text: decoder.decode(f.bytes) })),
      o,
    );
  } else if (format === 'numpy') {
    if (!o.parseNumpy) throw new DataError('NumPy uploads are not supported here');
    d = o.parseNumpy(expanded, o);
  } else {
    if (!o.parseMedia) throw new DataError('Image and audio uploads are not supported here');
    d = await o.parseMedia(expanded, o);
  }
  checkDatasetSize(
    d.name,
    d.labels.length,
    d.modalities.map((m) => ({ name: m.name, size: featureSize(m) })),
  );
  assertSplittable(d.labels, d.classNames);
  return d;
}
