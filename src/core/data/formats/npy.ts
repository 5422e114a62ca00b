import { DataError } from '../dataError';
import { parsePyLiteral, type PyValue } from './pyLiteral';

/**
 * NumPy's `.npy` format, versions 1.0 to 3.0 (numpy.lib.format), for the NumPy upload of
 * DESIGN.md "Formats". Only plain numbers load: text, objects and records mean nothing as
 * features or labels, and refusing them here gives the user a message that names the file.
 */

export type NpyData =
  Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export interface NpyArray {
  shape: number[];
  /** NumPy's name for the stored dtype: `float32`, `int64`, `bool` … */
  dtype: string;
  /**
   * Values in C (row-major) order whatever the file's order. int64 and uint64 arrive as
   * Float64Array, since no JavaScript typed array holds them as plain numbers; bool as 0/1.
   */
  data: NpyData;
}

interface Dtype {
  name: string;
  size: number;
  Array: { new (length: number): NpyData; new (buffer: ArrayBuffer): NpyData };
  /** Reads one value; `little` is the file's byte order. */
  read: (view: DataView, offset: number, little: boolean) => number;
  /** The stored bytes are the values: a copy of them can be viewed directly when the byte order is the host's. */
  raw: boolean;
}

const DTYPES: Record<string, Dtype> = {
  f4: { name: 'float32', size: 4, Array: Float32Array, read: (v, o, le) => v.getFloat32(o, le), raw: true },
  f8: { name: 'float64', size: 8, Array: Float64Array, read: (v, o, le) => v.getFloat64(o, le), raw: true },
  i1: { name: 'int8', size: 1, Array: Int8Array, read: (v, o) => v.getInt8(o), raw: true },
  i2: { name: 'int16', size: 2, Array: Int16Array, read: (v, o, le) => v.getInt16(o, le), raw: true },
  i4: { name: 'int32', size: 4, Array: Int32Array, read: (v, o, le) => v.getInt32(o, le), raw: true },
  i8: { name: 'int64', size: 8, Array: Float64Array, read: (v, o, le) => Number(v.getBigInt64(o, le)), raw: false },
  u1: { name: 'uint8', size: 1, Array: Uint8Array, read: (v, o) => v.getUint8(o), raw: true },
  u2: { name: 'uint16', size: 2, Array: Uint16Array, read: (v, o, le) => v.getUint16(o, le), raw: true },
  u4: { name: 'uint32', size: 4, Array: Uint32Array, read: (v, o, le) => v.getUint32(o, le), raw: true },
  u8: { name: 'uint64', size: 8, Array: Float64Array, read: (v, o, le) => Number(v.getBigUint64(o, le)), raw: false },
  // NumPy stores True as 1, but any non-zero byte reads as True there too.
  b1: { name: 'bool', size: 1, Array: Uint8Array, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1), raw: false },
};

const SUPPORTED = 'float32, float64, int8 to int64, uint8 to uint64 or bool';

// Dtype kinds people actually save by mistake, so the message can say what the file holds.
const KIND_WORDS: Record<string, string> = {
  U: 'text',
  S: 'byte strings',
  a: 'byte strings',
  O: 'Python objects',
  c: 'complex numbers',
  M: 'dates',
  m: 'time spans',
  V: 'raw bytes',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
// NumPy writes a header of a few hundred bytes and itself refuses to read one over 10,000.
const MAX_HEADER_BYTES = 65_536;
// Sample and element indices are int32 throughout (tfjs, gatherRows).
const MAX_VALUES = 2 ** 31 - 1;
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `reserve` is told the array's shape before its data is decoded, and may refuse it (a limit on
 * samples or values), so a file that declares a huge array costs nothing.
 */
export function parseNpy(name: string, bytes: Uint8Array, reserve?: (shape: number[]) => void): NpyArray {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${name} is not an NPY file: it does not start with the \\x93NUMPY signature`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncatedHeader = new DataError(`${name} is truncated: it ends inside the NPY header`);
  if (bytes.length < 8) throw truncatedHeader;
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) {
    throw new DataError(`${name} uses NPY format version ${major}.${minor}; only 1.0, 2.0 and 3.0 are supported`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw truncatedHeader;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES)
    throw new DataError(
      `${name} declares a ${headerLength.toLocaleString('en')}-byte NPY header; NumPy writes a few hundred bytes (at most ${MAX_HEADER_BYTES.toLocaleString('en')} are read)`,
    );
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw truncatedHeader;

  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = readHeader(name, text);
  const { type, little } = readDescr(name, descr);

  // A zero anywhere makes the array empty, however large the other dimensions.
  const count = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  if (count > MAX_VALUES) {
    throw new DataError(`${name} has ${count} values (shape ${showShape(shape)}); one array can hold at most 2^31 - 1`);
  }
  reserve?.(shape);
  const needed = count * type.size;
  const available = bytes.length - dataStart;
  // Bytes after the array are ignored, as np.load does.
  if (available < needed) {
    throw new DataError(
      `${name} is truncated: shape ${showShape(shape)} of ${type.name} needs ${needed} bytes of data but only ${available} are there`,
    );
  }

  let data = decode(type, little, bytes, view, dataStart, count);
  if (type.size === 8 && type.name !== 'float64') checkSafeIntegers(name, data, shape);
  if (fortranOrder && shape.length > 1) data = toCOrder(data, shape);
  return { shape, dtype: type.name, data };
}

/**
 * The values of an [n, ...] array as float32 rows. NaN and infinities are refused: one of them
 * poisons every gradient and every standardisation statistic it touches.
 */
export function npyFeatures(name: string, array: NpyArray): Float32Array {
  const src = array.data;
  const x = src instanceof Float32Array ? src : Float32Array.from(src);
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) continue;
    // float64 values past float32's range only became infinite in the conversion above.
    const what = Number.isFinite(src[i]) ? `${src[i]}, beyond the 32-bit float range` : String(src[i]);
    throw new DataError(`${where(name, array.shape, i)} is ${what}; features must be finite numbers`);
  }
  return x;
}

/** `x.npy row 3, column 5 (arr[2, 4] in NumPy)`: 1-based for people, NumPy's own index to look it up. */
function where(name: string, shape: number[], flat: number): string {
  const index = unravel(flat, shape);
  const perRow = shape.slice(1).reduce((a, b) => a * b, 1);
  const row = Math.floor(flat / perRow) + 1;
  const column = (flat % perRow) + 1;
  return `${name} row ${row}, column ${column} (arr[${index.length === 0 ? '()' : index.join(', ')}] in NumPy)`;
}

function unravel(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

function showShape(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

function readDescr(name: string, descr: PyValue): { type: Dtype; little: boolean } {
  if (typeof descr !== 'string') {
    throw new DataError(
      `${name} has a structured dtype (named fields), which is not supported; save one plain numeric array per file`,
    );
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const type = m ? DTYPES[m[2] + m[3]] : undefined;
  if (!m || !type) {
    const kind = m ? KIND_WORDS[m[2]] : undefined;
    throw new DataError(
      `${name} has the dtype '${descr}'${kind ? ` (${kind})` : ''}, which is not supported; save a numeric array instead (${SUPPORTED})`,
    );
  }
  // NumPy writes '<' or '>' for multi-byte types; '|' (no order) and '=' (native) only appear for
  // single bytes in practice, where the order does not matter.
  return { type, little: m[1] !== '>' };
}

function decode(
  type: Dtype,
  little: boolean,
  bytes: Uint8Array,
  view: DataView,
  start: number,
  count: number,
): NpyData {
  if (type.raw && (type.size === 1 || little === HOST_LITTLE)) {
    // A copy, not a view: typed arrays need aligned offsets, and a Node Buffer shares its pool.
    const copy = new Uint8Array(count * type.size);
    copy.set(bytes.subarray(start, start + copy.length));
    return new type.Array(copy.buffer);
  }
  const out = new type.Array(count);
  for (let i = 0, o = start; i < count; i++, o += type.size) out[i] = type.read(view, o, little);
  return out;
}

function checkSafeIntegers(name: string, data: NpyData, shape: number[]): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isSafeInteger(data[i])) {
      throw new DataError(
        // BigInt prints every digit; the number itself is already the nearest double, hence "about".
        `${where(name, shape, i)} is about ${BigInt(data[i])}, beyond the ±2^53 that JavaScript numbers hold exactly`,
      );
    }
  }
}

/** Fortran order puts the first axis fastest; walk the C order and track where each value sits in the file. */
function toCOrder(src: NpyData, shape: number[]): NpyData {
  const out = new (src.constructor as new (n: number) => NpyData)(src.length);
  const k = shape.length;
  const stride = new Array<number>(k);
  for (let d = 0, s = 1; d < k; d++) {
    stride[d] = s;
    s *= shape[d];
  }
  const index = new Array<number>(k).fill(0);
  let f = 0;
  for (let c = 0; c < src.length; c++) {
    out[c] = src[f];
    for (let d = k - 1; d >= 0; d--) {
      index[d]++;
      f += stride[d];
      if (index[d] < shape[d]) break;
      f -= index[d] * stride[d];
      index[d] = 0;
    }
  }
  return out;
}

function readHeader(name: string, text: string): { descr: PyValue; fortranOrder: boolean; shape: number[] } {
  let header: PyValue;
  try {
    header = parsePyLiteral(text);
  } catch (e) {
    throw new DataError(`${name} has an unreadable NPY header: ${(e as Error).message}`);
  }
  const bad = (why: string): DataError => new DataError(`${name} has an unreadable NPY header: ${why}`);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('it is not a dictionary');
  const { descr, fortran_order: fortranOrder, shape } = header;
  if (descr === undefined) throw bad("it has no 'descr'");
  if (typeof fortranOrder !== 'boolean') throw bad("'fortran_order' must be True or False");
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && s >= 0)) {
    throw bad("'shape' must be a tuple of sizes");
  }
  return { descr, fortranOrder, shape: shape as number[] };
}
