import { DataError } from '../data/dataError';

export interface NamedTensor {
  name: string;
  shape: number[];
  /** float32 only: every parameter of the lab is float32. */
  data: Float32Array;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

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

/** Reads a safetensors file; every problem names the file and the tensor. */
export function decodeSafetensors(
  name: string,
  bytes: Uint8Array,
): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new DataError(`${name} is truncated: it is shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length)
    throw new DataError(`${name} is truncated: its header says ${headerLength} bytes but the file ends first`);
  let header: Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new DataError(`${name} has an unreadable header (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, NamedTensor>();
  for (const [key, entry] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new DataError(`${name}: tensor ${key} has dtype ${dtype}; the lab reads F32 only`);
    const [begin, end] = offsets;
    if (end - begin !== size(shape) * 4)
      throw new DataError(`${name}: tensor ${key} has shape [${shape.join(', ')}] but ${end - begin} bytes of data`);
    if (dataStart + end > bytes.length)
      throw new DataError(`${name} is truncated: tensor ${key} runs past the end of the file`);
    const copy = bytes.slice(dataStart + begin, dataStart + end);
    tensors.set(key, { name: key, shape, data: new Float32Array(copy.buffer) });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}
