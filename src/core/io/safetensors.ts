import { DataError } from '../data/dataError';

export interface NamedTensor {
  name: string;
  shape: number[];
  /** float32 only: every parameter of the lab is float32. */
  data: Float32Array;
}

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor
 * with its dtype, shape and [begin, end) byte offsets into the data that follows, then the data.
 */
export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Sizes of the dtypes the format defines, so a wrong one can be named; the lab reads F32 only. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};
// The reference implementation refuses headers over 100 MB; the lab's own are a few KB.
const MAX_HEADER_BYTES = 100_000_000;

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Reads a safetensors file; every problem is a DataError naming the file and the tensor and
 * field. As the reference implementation checks: offsets in range, in order, neither overlapping
 * nor leaving gaps, and covering the data exactly; each tensor's bytes match its dtype and shape.
 * The lab adds: F32 only, and every value finite.
 */
export function decodeSafetensors(
  name: string,
  bytes: Uint8Array,
): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new DataError(`${name} is truncated: it is shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(Math.min(bytes.length - 8, MAX_HEADER_BYTES)))
    throw new DataError(
      declared > BigInt(MAX_HEADER_BYTES)
        ? `${name} declares a ${declared.toLocaleString('en')}-byte header, over the 100 MB the format allows`
        : `${name} is truncated: its header says ${declared} bytes but the file ends first`,
    );
  const headerLength = Number(declared);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new DataError(`${name} has an unreadable header (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new DataError(`${name}: the header is not a JSON object`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(header))
    if (key !== '__metadata__') entries.push(readEntry(name, key, value));
  // In offset order, each tensor must start where the previous ended: no overlap, no gap.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of entries) {
    if (e.begin !== at)
      throw new DataError(
        e.begin < at
          ? `${name}: tensor ${e.name} (data_offsets [${e.begin}, ${e.end}]) overlaps the tensor before it`
          : `${name}: the bytes ${at} to ${e.begin} belong to no tensor (tensor ${e.name} starts at ${e.begin})`,
      );
    at = e.end;
  }
  if (at !== dataLength)
    throw new DataError(
      at > dataLength
        ? `${name} is truncated: its tensors need ${at} bytes of data but ${dataLength} follow the header`
        : `${name}: ${dataLength - at} bytes after the last tensor belong to no tensor`,
    );
  const tensors = new Map<string, NamedTensor>();
  for (const e of entries) {
    const data = new Float32Array(bytes.slice(dataStart + e.begin, dataStart + e.end).buffer);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(`${name}: tensor ${e.name} holds ${data[bad]} at index ${bad}; weights must be finite`);
    tensors.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return { tensors, metadata: readMetadata(name, header.__metadata__) };
}

function readEntry(file: string, key: string, value: unknown): Entry {
  const where = `${file}: tensor ${key}`;
  if (!isObject(value)) throw new DataError(`${where} is not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw new DataError(`${where} has no "dtype"`);
  if (dtype !== 'F32')
    throw new DataError(
      `${where} has dtype ${dtype}${dtype in DTYPE_BYTES ? '' : ' (not a safetensors dtype)'}; the lab reads F32 only`,
    );
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new DataError(`${where}: "shape" must be a list of non-negative integers (got ${JSON.stringify(shape)})`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  )
    throw new DataError(
      `${where}: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end (got ${JSON.stringify(offsets) ?? 'nothing'})`,
    );
  const [begin, end] = offsets as [number, number];
  const values = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== values * 4)
    throw new DataError(
      `${where} has shape [${shape.join(', ')}] (${values} values, ${values * 4} bytes) but data_offsets [${begin}, ${end}] hold ${end - begin} bytes`,
    );
  return { name: key, shape: shape as number[], begin, end };
}

function readMetadata(file: string, metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (!isObject(metadata) || !Object.values(metadata).every((v) => typeof v === 'string'))
    throw new DataError(`${file}: "__metadata__" must map names to strings`);
  return metadata as Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
