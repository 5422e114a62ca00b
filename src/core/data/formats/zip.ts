import { DataError } from '../dataError';
import { formatBytes, LIMITS } from '../limits';
import { inflateBounded } from './inflate';

/**
 * ZIP reading for uploads, from the central directory: every entry's declared size is summed and
 * checked against the budget before anything is inflated, and each entry is inflated with a
 * running count that stops it as soon as it passes what it declared. Entries that a person would
 * not expect to be read (encrypted, other compression methods, paths that climb out of the
 * archive, a ZIP inside the ZIP, the same name twice) are refused by name.
 */

export interface ZipEntry {
  /** '/'-separated path inside the archive. */
  path: string;
  bytes: Uint8Array;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const METHODS: Record<number, string> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
  99: 'AES encryption',
};

interface CentralEntry {
  path: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * The files of `zip` (named `name` in messages) whose path `keep` accepts, inflated; refused
 * before inflating when they declare more than `budget` bytes in all.
 */
export function readZip(
  name: string,
  zip: Uint8Array,
  budget: number,
  keep: (path: string) => boolean = () => true,
): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const damaged = (why: string) => new DataError(`${name} is not a readable ZIP archive (${why})`);
  const all = centralDirectory(zip, view, damaged);
  // Checked before system files are dropped: `..` would pass for a hidden name.
  for (const e of all)
    if (e.path.split('/').includes('..') || e.path.startsWith('/') || /^[a-z]:/i.test(e.path))
      throw new DataError(`${name}: ${e.path} points outside the archive; zip the dataset folder itself`);
  const entries = all.filter((e) => !e.path.endsWith('/') && keep(e.path));
  const seen = new Set<string>();
  let declared = 0;
  for (const e of entries) {
    const where = `${name}: ${e.path}`;
    if (seen.has(e.path)) throw new DataError(`${name} holds two entries named ${e.path}; keep one`);
    seen.add(e.path);
    if (e.flags & 1 || e.method === 99)
      throw new DataError(`${where} is encrypted; the lab cannot read password-protected ZIPs`);
    if (/\.zip$/i.test(e.path))
      throw new DataError(`${where} is a ZIP inside the ZIP; unzip it and upload its contents instead`);
    if (e.method !== 0 && e.method !== 8)
      throw new DataError(
        `${where} uses ${METHODS[e.method] ?? `compression method ${e.method}`}; save the ZIP with Deflate (the usual kind)`,
      );
    declared += e.size;
  }
  if (declared > budget)
    throw new DataError(
      `${name} unzips to ${formatBytes(declared)}, ${budget < LIMITS.totalBytes ? 'which with the other files passes' : 'over'} ` +
        `the ${formatBytes(LIMITS.totalBytes)} upload limit (after unzipping)`,
    );
  return entries.map((e) => ({ path: e.path, bytes: inflateEntry(name, zip, view, e, damaged) }));
}

function centralDirectory(zip: Uint8Array, view: DataView, damaged: (why: string) => DataError): CentralEntry[] {
  const end = findEnd(view);
  if (end < 0) throw damaged('no end-of-archive record; is it a ZIP?');
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0)
    throw damaged('it is split across several files');
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if ((count === 0xffff || size === 0xffffffff || offset === 0xffffffff) && end >= 20) {
    const locator = end - 20;
    if (view.getUint32(locator, true) === ZIP64_LOCATOR) {
      const at = safeNumber(view.getBigUint64(locator + 8, true));
      if (at + 56 > zip.length || view.getUint32(at, true) !== ZIP64_EOCD) throw damaged('broken ZIP64 record');
      count = safeNumber(view.getBigUint64(at + 32, true));
      size = safeNumber(view.getBigUint64(at + 40, true));
      offset = safeNumber(view.getBigUint64(at + 48, true));
    }
  }
  if (offset + size > zip.length) throw damaged('its directory lies past the end of the file; is it truncated?');
  const out: CentralEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > offset + size || view.getUint32(p, true) !== CENTRAL) throw damaged('a broken directory entry');
    const flags = view.getUint16(p + 8, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > offset + size) throw damaged('a broken directory entry');
    const rawName = zip.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise it is the old DOS code page, close to Latin-1 for names.
    const path = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(rawName).replaceAll('\\', '/');
    if (path === '') throw damaged('an entry has no name');
    const entry: CentralEntry = {
      path,
      flags,
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    readZip64Extra(view, p + 46 + nameLength, extraLength, entry);
    out.push(entry);
    p = next;
  }
  return out;
}

/** The end-of-central-directory record sits in the last 22 + 65535 bytes (its comment may be that long). */
function findEnd(view: DataView): number {
  for (let p = view.byteLength - 22; p >= Math.max(0, view.byteLength - 22 - 0xffff); p--)
    if (view.getUint32(p, true) === EOCD) return p;
  return -1;
}

/** Sizes and offsets of 0xFFFFFFFF live in the ZIP64 extra field, in this order, when present. */
function readZip64Extra(view: DataView, start: number, length: number, e: CentralEntry): void {
  for (let p = start; p + 4 <= start + length;) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const stop = Math.min(p + 4 + size, start + length);
      const next = (): number => {
        if (q + 8 > stop) return 0xffffffff;
        const v = safeNumber(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localOffset === 0xffffffff) e.localOffset = next();
      return;
    }
    p += 4 + size;
  }
}

function safeNumber(v: bigint): number {
  // Past 2^53 no file can be that long: the value only has to stay large, not exact.
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function inflateEntry(
  name: string,
  zip: Uint8Array,
  view: DataView,
  e: CentralEntry,
  damaged: (why: string) => DataError,
): Uint8Array {
  const where = `${name}: ${e.path}`;
  const local = e.localOffset;
  if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL) throw damaged(`${e.path} has no local header`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + e.compressedSize > zip.length) throw new DataError(`${where} is cut short; is the ZIP truncated?`);
  const data = zip.subarray(start, start + e.compressedSize);
  let bytes: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size)
      throw new DataError(`${where} is damaged: stored as ${e.compressedSize} bytes but declared as ${e.size}`);
    bytes = data;
  } else {
    let result: ReturnType<typeof inflateBounded>;
    try {
      result = inflateBounded(data, e.size);
    } catch {
      throw new DataError(`${where} is damaged: its compressed data is invalid or cut short`);
    }
    if (result.overflow)
      throw new DataError(
        `${where} inflates to more than the ${e.size.toLocaleString('en')} bytes its header declares; ` +
          `the archive is damaged or made to mislead`,
      );
    bytes = result.bytes;
    if (bytes.length !== e.size)
      throw new DataError(
        `${where} is damaged: it inflates to ${bytes.length.toLocaleString('en')} bytes, ` +
          `its header declares ${e.size.toLocaleString('en')}`,
      );
  }
  if (crc32(bytes) !== e.crc) throw new DataError(`${where} is damaged: its checksum does not match`);
  return bytes;
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
