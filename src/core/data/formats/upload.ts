import type { Dataset } from '../dataset';
import { checkDatasetSize, checkUploadSize, LIMITS } from '../limits';
import { featureSize } from '../dataset';
import { DataError } from '../dataError';
import { parsePairedCsv } from './pairedCsv';
import { assertSplittable } from '../splits';
import { decodeText } from './text';
import { readZip } from './zip';

export interface UploadFile {
  /** Path inside the upload, '/'-separated, e.g. `mfeat/view1_fac.csv` or `cat/001.png`. */
  path: string;
  bytes: Uint8Array;
}

export type UploadFormat = 'paired-csv' | 'numpy' | 'media';

const IGNORED = /(^|\/)(__MACOSX|\.[^/]*|Thumbs\.db|desktop\.ini)(\/|$)/;

/**
 * ZIPs expanded in place, system files dropped. The size limit holds for everything together
 * after unzipping: each ZIP gets what the files before it left, and is refused from its
 * directory before anything is inflated. Two files with the same path are refused.
 */
export function expandUpload(files: UploadFile[]): UploadFile[] {
  const kept = files.filter((f) => !IGNORED.test(f.path));
  const isZip = (f: UploadFile) => f.path.toLowerCase().endsWith('.zip');
  const loose = kept.filter((f) => !isZip(f));
  checkUploadSize(loose);
  let budget = LIMITS.totalBytes - loose.reduce((s, f) => s + f.bytes.length, 0);
  const from = new Map<string, string>(loose.map((f) => [f.path, 'the upload']));
  const out = [...loose];
  const zips = kept.filter(isZip);
  for (const zip of zips) {
    for (const entry of readZip(zip.path, zip.bytes, budget, (p) => !IGNORED.test(p))) {
      const other = from.get(entry.path);
      if (other)
        throw new DataError(
          `${entry.path} is both in ${zip.path} and ${other === 'the upload' ? 'beside it' : `in ${other}`}; keep one`,
        );
      from.set(entry.path, zip.path);
      out.push(entry);
      budget -= entry.bytes.length;
    }
  }
  if (out.length === 0 && zips.length > 0)
    throw new DataError(`${zips.map((z) => z.path).join(', ')} holds no files (only folders or system files)`);
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
  const format = detectFormat(expanded);
  o.onProgress?.(0.05, `Parsing ${expanded.length} files (${format})…`);
  let d: Dataset;
  if (format !== 'media') refuseSameNames(expanded, format === 'numpy' ? /\.npy$/i : /\.(csv|json)$/i);
  if (format === 'paired-csv') {
    const flat = expanded.filter((f) => !f.path.includes('/'));
    if (flat.length === 0)
      throw new DataError('The CSV files must sit at the top of the folder or ZIP, not in subfolders');
    d = parsePairedCsv(
      flat
        .filter((f) => /\.(csv|json)$/i.test(f.path))
        .map((f) => ({ name: f.path, text: decodeText(f.path, f.bytes) })),
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
  assertSplittable(d.labels, d.classNames, LABEL_SOURCE[format]);
  return d;
}

const LABEL_SOURCE: Record<UploadFormat, string> = {
  'paired-csv': 'labels.csv',
  numpy: 'labels.npy',
  media: 'The upload (one folder per class)',
};

/**
 * The flat formats read files by bare name at the top of the upload; a second file of that name
 * in a subfolder (or two datasets side by side) would otherwise be silently left out.
 */
function refuseSameNames(files: UploadFile[], data: RegExp): void {
  const byName = new Map<string, string>();
  for (const f of files) {
    if (!data.test(f.path)) continue;
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const other = byName.get(name);
    if (other !== undefined)
      throw new DataError(
        `${other} and ${f.path} are two files named ${name}; upload one dataset, its files at the top of the folder or ZIP`,
      );
    byName.set(name, f.path);
  }
}
