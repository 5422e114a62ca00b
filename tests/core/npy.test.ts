import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npyFeatures, parseNpy } from '../../src/core/data/formats/npy';
import { parseNpyDataset, type BinaryFile } from '../../src/core/data/formats/npyDataset';
import { DataError } from '../../src/core/data/dataError';
import { stratifiedSplit } from '../../src/core/data/splits';
import { createRng } from '../../src/core/random';

// An encoder written from the format description, not from the parser, so the two cannot share a mistake.
const SIZES: Record<string, number> = { f4: 4, f8: 8, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1 };

function writeValue(view: DataView, o: number, type: string, x: number, little: boolean): void {
  if (type === 'f4') view.setFloat32(o, x, little);
  else if (type === 'f8') view.setFloat64(o, x, little);
  else if (type === 'i1') view.setInt8(o, x);
  else if (type === 'i2') view.setInt16(o, x, little);
  else if (type === 'i4') view.setInt32(o, x, little);
  else if (type === 'i8') view.setBigInt64(o, BigInt(x), little);
  else if (type === 'u1' || type === 'b1') view.setUint8(o, x);
  else if (type === 'u2') view.setUint16(o, x, little);
  else if (type === 'u4') view.setUint32(o, x, little);
  else if (type === 'u8') view.setBigUint64(o, BigInt(x), little);
  else throw new Error(`test encoder: no writer for ${type}`);
}

interface Encode {
  descr: string;
  shape: number[];
  /** C-order values; written in Fortran order when `fortran` is set. */
  values?: number[];
  /** Raw data bytes instead of `values`, for dtypes the encoder cannot write. */
  data?: Uint8Array;
  version?: 1 | 2 | 3;
  fortran?: boolean;
  /** The whole header dict text, replacing the one built from the fields above. */
  dict?: string;
}

function encodeNpy({ descr, shape, values = [], data, version = 1, fortran = false, dict }: Encode): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const text = dict ?? `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const header = text + ' '.repeat((64 - ((prefix + text.length + 1) % 64)) % 64) + '\n';
  const type = descr.slice(1);
  const payload = data ?? new Uint8Array(values.length * (SIZES[type] ?? 0));
  const out = new Uint8Array(prefix + header.length + payload.length);
  const view = new DataView(out.buffer);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(payload, prefix + header.length);
  if (!data) {
    const order = fortran ? fortranOrder(shape) : values.map((_, i) => i);
    order.forEach((c, i) =>
      writeValue(view, prefix + header.length + i * SIZES[type], type, values[c], descr[0] !== '>'),
    );
  }
  return out;
}

/** C-order index of each value in Fortran (first axis fastest) order. */
function fortranOrder(shape: number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, f) => {
    let c = 0;
    for (let d = 0, rest = f; d < shape.length; d++) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      c += i * shape.slice(d + 1).reduce((a, b) => a * b, 1);
    }
    return c;
  });
}

function error(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

const VALUES: Record<string, number[]> = {
  f4: [1.5, -2.25, 0, 3e10, -1e-3, 7],
  f8: [Math.PI, -1e300, 0, 2 ** 60, 1e-300, -7.125],
  i1: [-128, 127, 0, -1, 5, 6],
  i2: [-32768, 32767, 0, -1, 300, 6],
  i4: [-(2 ** 31), 2 ** 31 - 1, 0, -1, 70000, 6],
  i8: [-(2 ** 53) + 1, 2 ** 53 - 1, 0, -1, 2 ** 40, 6],
  u1: [0, 255, 1, 2, 3, 4],
  u2: [0, 65535, 1, 2, 3, 4],
  u4: [0, 2 ** 32 - 1, 1, 2, 3, 4],
  u8: [0, 2 ** 53 - 1, 1, 2, 3, 4],
  b1: [1, 0, 0, 1, 1, 0],
};
const NAMES: Record<string, [string, string]> = {
  f4: ['float32', 'Float32Array'],
  f8: ['float64', 'Float64Array'],
  i1: ['int8', 'Int8Array'],
  i2: ['int16', 'Int16Array'],
  i4: ['int32', 'Int32Array'],
  i8: ['int64', 'Float64Array'],
  u1: ['uint8', 'Uint8Array'],
  u2: ['uint16', 'Uint16Array'],
  u4: ['uint32', 'Uint32Array'],
  u8: ['uint64', 'Float64Array'],
  b1: ['bool', 'Uint8Array'],
};

describe('parseNpy', () => {
  for (const [type, values] of Object.entries(VALUES)) {
    const orders = SIZES[type] === 1 ? ['<', '>', '|'] : ['<', '>'];
    for (const order of orders) {
      it(`reads ${order}${type}`, () => {
        const a = parseNpy('x.npy', encodeNpy({ descr: order + type, shape: [2, 3], values }));
        expect(a.shape).toEqual([2, 3]);
        expect(a.dtype).toBe(NAMES[type][0]);
        expect(a.data.constructor.name).toBe(NAMES[type][1]);
        const expected = type === 'f4' ? values.map(Math.fround) : values;
        expect([...a.data]).toEqual(expected);
      });
    }
  }

  it('reads any non-zero bool byte as True', () => {
    const a = parseNpy('b.npy', encodeNpy({ descr: '|b1', shape: [3], data: Uint8Array.from([0, 2, 255]) }));
    expect([...a.data]).toEqual([0, 1, 1]);
  });

  for (const version of [1, 2, 3] as const) {
    it(`reads format version ${version}.0`, () => {
      const a = parseNpy('x.npy', encodeNpy({ descr: '<f4', shape: [3, 1], values: [1, 2, 3], version }));
      expect(a.shape).toEqual([3, 1]);
      expect([...a.data]).toEqual([1, 2, 3]);
    });
  }

  it('transposes Fortran-order arrays to C order, in 2-D and 3-D', () => {
    const c2 = [0, 1, 2, 10, 11, 12];
    const a = parseNpy('f.npy', encodeNpy({ descr: '<i4', shape: [2, 3], values: c2, fortran: true }));
    expect([...a.data]).toEqual(c2);
    const c3 = Array.from({ length: 24 }, (_, i) => i);
    for (const descr of ['<f8', '>i2']) {
      const b = parseNpy('f.npy', encodeNpy({ descr, shape: [2, 3, 4], values: c3, fortran: true }));
      expect(b.shape).toEqual([2, 3, 4]);
      expect([...b.data]).toEqual(c3);
    }
  });

  it('reads scalars, empty arrays, Python 2 longs, double quotes and unaligned buffers', () => {
    expect(parseNpy('s.npy', encodeNpy({ descr: '<f8', shape: [], values: [2.5] }))).toMatchObject({ shape: [] });
    expect(parseNpy('e.npy', encodeNpy({ descr: '<f4', shape: [0, 5] })).data.length).toBe(0);
    const py2 = encodeNpy({ descr: '<u1', shape: [2, 2], values: [1, 2, 3, 4] });
    const dict = `{"descr": "<u1", "fortran_order": False, "shape": (2L, 2L)}`;
    expect(parseNpy('p.npy', encodeNpy({ descr: '<u1', shape: [2, 2], data: py2.subarray(-4), dict })).shape).toEqual([
      2, 2,
    ]);
    const file = encodeNpy({ descr: '<f4', shape: [2], values: [1, 2] });
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect([...parseNpy('u.npy', shifted.subarray(3)).data]).toEqual([1, 2]);
  });

  it('ignores bytes after the data, as np.load does', () => {
    const file = encodeNpy({ descr: '<i2', shape: [2], values: [1, 2] });
    const padded = new Uint8Array(file.length + 5);
    padded.set(file);
    expect([...parseNpy('t.npy', padded).data]).toEqual([1, 2]);
  });
});

describe('parseNpy errors', () => {
  const good = encodeNpy({ descr: '<f4', shape: [2, 2], values: [1, 2, 3, 4] });

  it('refuses files without the NPY signature', () => {
    const msg = 'x.npy is not an NPY file: it does not start with the \\x93NUMPY signature';
    expect(error(() => parseNpy('x.npy', new TextEncoder().encode('a,b\n1,2\n'))).message).toBe(msg);
    expect(error(() => parseNpy('x.npy', new Uint8Array(0))).message).toBe(msg);
  });

  it('refuses truncated headers', () => {
    const msg = 'x.npy is truncated: it ends inside the NPY header';
    for (const end of [7, 9, 40]) expect(error(() => parseNpy('x.npy', good.subarray(0, end))).message).toBe(msg);
    const v2 = encodeNpy({ descr: '<f4', shape: [1], values: [1], version: 2 });
    expect(error(() => parseNpy('x.npy', v2.subarray(0, 11))).message).toBe(msg);
  });

  it('refuses unknown format versions', () => {
    const v4 = good.slice();
    v4[6] = 4;
    expect(error(() => parseNpy('x.npy', v4)).message).toBe(
      'x.npy uses NPY format version 4.0; only 1.0, 2.0 and 3.0 are supported',
    );
  });

  it('refuses non-numeric dtypes', () => {
    const supported = 'save a numeric array instead (float32, float64, int8 to int64, uint8 to uint64 or bool)';
    const cases: [string, string][] = [
      ['<U5', `s.npy has the dtype '<U5' (text), which is not supported; ${supported}`],
      ['|O', `s.npy has the dtype '|O' (Python objects), which is not supported; ${supported}`],
      ['<c8', `s.npy has the dtype '<c8' (complex numbers), which is not supported; ${supported}`],
      ['<f2', `s.npy has the dtype '<f2', which is not supported; ${supported}`],
    ];
    for (const [descr, msg] of cases) {
      const file = encodeNpy({ descr, shape: [2], data: new Uint8Array(40) });
      expect(error(() => parseNpy('s.npy', file)).message).toBe(msg);
    }
    const dict = `{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (2,), }`;
    const structured = encodeNpy({ descr: '', shape: [2], data: new Uint8Array(16), dict });
    expect(error(() => parseNpy('r.npy', structured)).message).toBe(
      'r.npy has a structured dtype (named fields), which is not supported; save one plain numeric array per file',
    );
  });

  it('refuses headers it cannot read', () => {
    const cases: [string, string][] = [
      ['hello', 'unexpected "h" at character 1'],
      [`{'descr': '<f4', 'fortran_order': False}`, "'shape' must be a tuple of sizes"],
      [`{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}`, "'fortran_order' must be True or False"],
      [`{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}`, "'shape' must be a tuple of sizes"],
      [`{'descr': '<f4', 'fortran_order': False, 'shape': (1,)`, 'it ends too early'],
    ];
    for (const [dict, why] of cases) {
      const file = encodeNpy({ descr: '<f4', shape: [1], data: new Uint8Array(4), dict });
      expect(error(() => parseNpy('h.npy', file)).message).toBe(`h.npy has an unreadable NPY header: ${why}`);
    }
  });

  it('refuses data shorter than the shape says', () => {
    const file = encodeNpy({ descr: '<f8', shape: [3, 2], values: [1, 2, 3, 4, 5, 6] });
    expect(error(() => parseNpy('d.npy', file.subarray(0, file.length - 1))).message).toBe(
      'd.npy is truncated: shape [3, 2] of float64 needs 48 bytes of data but only 47 are there',
    );
  });

  it('refuses arrays of 2^31 values or more before reading any data', () => {
    const file = encodeNpy({ descr: '|u1', shape: [65536, 32768] });
    expect(error(() => parseNpy('big.npy', file)).message).toBe(
      'big.npy has 2147483648 values (shape [65536, 32768]); one array can hold at most 2^31 - 1',
    );
  });

  it('refuses 64-bit integers that JavaScript numbers cannot hold exactly', () => {
    const file = encodeNpy({ descr: '<i8', shape: [2, 1], values: [1, 2 ** 60] });
    expect(error(() => parseNpy('i.npy', file)).message).toBe(
      'i.npy row 2, column 1 (arr[1, 0] in NumPy) is about 1152921504606846976, beyond the ±2^53 that JavaScript numbers hold exactly',
    );
  });
});

describe('npyFeatures', () => {
  const features = (descr: string, shape: number[], values: number[]): Float32Array =>
    npyFeatures('x.npy', parseNpy('x.npy', encodeNpy({ descr, shape, values })));

  it('returns float32 values, without copying float32 input', () => {
    const a = parseNpy('x.npy', encodeNpy({ descr: '<f4', shape: [2, 2], values: [1, 2, 3, 4] }));
    expect(npyFeatures('x.npy', a)).toBe(a.data);
    expect([...features('>u2', [2, 2], [1, 2, 3, 65535])]).toEqual([1, 2, 3, 65535]);
  });

  it('names the row and column (1-based) and the NumPy index of NaN and infinities', () => {
    const rows = (bad: number, at: number): number[] => Array.from({ length: 12 }, (_, i) => (i === at ? bad : i));
    expect(error(() => features('<f4', [4, 3], rows(NaN, 7))).message).toBe(
      'x.npy row 3, column 2 (arr[2, 1] in NumPy) is NaN; features must be finite numbers',
    );
    expect(error(() => features('>f8', [2, 2, 3], rows(Infinity, 11))).message).toBe(
      'x.npy row 2, column 6 (arr[1, 1, 2] in NumPy) is Infinity; features must be finite numbers',
    );
    expect(error(() => features('<f8', [4, 3], rows(-Infinity, 0))).message).toBe(
      'x.npy row 1, column 1 (arr[0, 0] in NumPy) is -Infinity; features must be finite numbers',
    );
    expect(error(() => features('<f8', [4, 3], rows(1e300, 4))).message).toBe(
      'x.npy row 2, column 2 (arr[1, 1] in NumPy) is 1e+300, beyond the 32-bit float range; features must be finite numbers',
    );
  });

  it('reports a NaN in a Fortran-order file at its C-order place', () => {
    const values = [0, 1, 2, 3, NaN, 5];
    const a = parseNpy('x.npy', encodeNpy({ descr: '<f4', shape: [2, 3], values, fortran: true }));
    expect(error(() => npyFeatures('x.npy', a)).message).toBe(
      'x.npy row 2, column 2 (arr[1, 1] in NumPy) is NaN; features must be finite numbers',
    );
  });
});

/** An upload with `n` samples: a.npy [n, 2] float32, img.npy [n, 2, 3] uint8 and the given labels. */
function upload(labels: number[], extra: BinaryFile[] = []): BinaryFile[] {
  const n = labels.length;
  return [
    { name: 'labels.npy', bytes: encodeNpy({ descr: '<i8', shape: [n], values: labels }) },
    { name: 'img.npy', bytes: encodeNpy({ descr: '|u1', shape: [n, 2, 3], values: range(n * 6, (i) => i % 256) }) },
    { name: 'a.npy', bytes: encodeNpy({ descr: '<f4', shape: [n, 2], values: range(n * 2, (i) => i / 4) }) },
    ...extra,
  ];
}

function range(n: number, f: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

describe('parseNpyDataset', () => {
  const LABELS = [10, 2, 7, 10, 2, 7, 10, 2, 7, 10];

  it('reads modalities sorted by name, sample shapes, classes in numeric order and a seeded split', () => {
    const d = parseNpyDataset(upload(LABELS, [{ name: 'README.md', bytes: new Uint8Array(3) }]), { name: 'up' });
    expect(d.name).toBe('up');
    expect(d.modalities).toEqual([
      { name: 'a', shape: [2] },
      { name: 'img', shape: [2, 3] },
    ]);
    expect(d.classNames).toEqual(['2', '7', '10']);
    expect([...d.labels]).toEqual([2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect([...d.features[0]]).toEqual(range(20, (i) => i / 4));
    expect([...d.features[1]]).toEqual(range(60, (i) => i));
    expect(d.split).toEqual(stratifiedSplit(d.labels, { val: 0.15, test: 0.2 }, createRng(1)));
    const seeded = parseNpyDataset(upload(LABELS), { name: 'up', seed: 5 });
    expect(seeded.split).toEqual(stratifiedSplit(d.labels, { val: 0.15, test: 0.2 }, createRng(5)));
  });

  it('accepts [n, 1] labels, whole-number float labels and bool labels', () => {
    const files = (bytes: Uint8Array): BinaryFile[] => [{ name: 'labels.npy', bytes }, ...upload(LABELS).slice(1)];
    const column = encodeNpy({ descr: '<i4', shape: [10, 1], values: LABELS });
    expect(parseNpyDataset(files(column), { name: 'c' }).classNames).toEqual(['2', '7', '10']);
    const floats = encodeNpy({ descr: '<f8', shape: [10], values: LABELS });
    expect(parseNpyDataset(files(floats), { name: 'f' }).classNames).toEqual(['2', '7', '10']);
    const bools = encodeNpy({ descr: '|b1', shape: [10], values: range(10, (i) => i % 2) });
    expect([...parseNpyDataset(files(bools), { name: 'b' }).labels]).toEqual(range(10, (i) => i % 2));
  });

  const refuse = (files: BinaryFile[]): string => error(() => parseNpyDataset(files, { name: 'x' })).message;
  const swap = (name: string, bytes: Uint8Array, labels = LABELS): BinaryFile[] =>
    upload(labels).map((f) => (f.name === name ? { name, bytes } : f));

  it('needs labels.npy and two modality files', () => {
    expect(refuse(upload(LABELS).filter((f) => f.name !== 'labels.npy'))).toBe(
      'labels.npy is missing: it needs one integer class label per sample',
    );
    const msg = 'NumPy upload needs at least two modality files besides labels.npy';
    expect(refuse(upload(LABELS).filter((f) => f.name !== 'a.npy'))).toBe(msg);
    expect(refuse(upload(LABELS).filter((f) => f.name === 'labels.npy'))).toBe(msg);
  });

  it('refuses two files with the same name', () => {
    const files = upload(LABELS);
    expect(refuse([...files, files[1]])).toBe('There are two files named img.npy');
  });

  it('refuses row counts that differ from labels.npy', () => {
    const labels = range(100, (i) => i % 4);
    const b = encodeNpy({ descr: '<f4', shape: [99, 1], values: range(99, (i) => i) });
    expect(refuse([...upload(labels), { name: 'b.npy', bytes: b }])).toBe(
      'b.npy has 99 samples but labels.npy has 100',
    );
  });

  it('refuses modalities without a feature dimension or with empty samples', () => {
    expect(refuse(swap('a.npy', encodeNpy({ descr: '<f4', shape: [10], values: LABELS })))).toBe(
      'a.npy has shape [10]: a modality needs at least one feature dimension, e.g. [10, 1]',
    );
    expect(refuse(swap('a.npy', encodeNpy({ descr: '<f4', shape: [], values: [1] })))).toBe(
      'a.npy holds a single value: a modality needs a samples axis and at least one feature axis',
    );
    expect(refuse(swap('a.npy', encodeNpy({ descr: '<f4', shape: [10, 0] })))).toBe(
      'a.npy has shape [10, 0]: its samples hold no values',
    );
  });

  it('refuses labels that are not whole numbers, one per sample', () => {
    const labels = (descr: string, shape: number[], values: number[]): BinaryFile[] =>
      swap('labels.npy', encodeNpy({ descr, shape, values }));
    expect(refuse(labels('<f4', [10], [1, 1.5, ...LABELS.slice(2)]))).toBe(
      'labels.npy row 2 is 1.5, not a whole number; labels must be integer class ids',
    );
    expect(refuse(labels('<f8', [10], [NaN, ...LABELS.slice(1)]))).toBe(
      'labels.npy row 1 is NaN, not a whole number; labels must be integer class ids',
    );
    expect(refuse(labels('<i4', [5, 2], LABELS))).toBe(
      'labels.npy has shape [5, 2]; it needs one label per sample: shape [n] or [n, 1]',
    );
    expect(refuse(labels('<i4', [0], []))).toBe('labels.npy holds no labels');
  });

  it('refuses classes too small to split', () => {
    const labels = [1, 1, 1, 7, 7, 3, 3, 3, 9, 9, 9];
    expect(refuse(upload(labels))).toBe(
      'class 7 has only 2 samples; each class needs at least 3 to be split into train, validation and test',
    );
    expect(refuse(upload([0, 0, 0, 5]))).toBe(
      'class 5 has only 1 sample; each class needs at least 3 to be split into train, validation and test',
    );
  });

  it('passes on errors from a modality file with its name', () => {
    const values = range(20, (i) => (i === 13 ? NaN : i));
    expect(refuse(swap('a.npy', encodeNpy({ descr: '<f8', shape: [10, 2], values })))).toBe(
      'a.npy row 7, column 2 (arr[6, 1] in NumPy) is NaN; features must be finite numbers',
    );
  });
});

// Written by tests/fixtures/make-npy-fixtures.ts; each folder is a whole upload with one flaw.
const BROKEN = fileURLToPath(new URL('../fixtures/broken/npy/', import.meta.url));
const BROKEN_MESSAGES: Record<string, string> = {
  bad_magic: 'a.npy is not an NPY file: it does not start with the \\x93NUMPY signature',
  truncated_header: 'b.npy is truncated: it ends inside the NPY header',
  unsupported_dtype:
    "b.npy has the dtype '<U5' (text), which is not supported; save a numeric array instead (float32, float64, int8 to int64, uint8 to uint64 or bool)",
  short_data: 'a.npy is truncated: shape [9, 2] of float32 needs 72 bytes of data but only 68 are there',
  nan_feature: 'b.npy row 4, column 2 (arr[3, 1] in NumPy) is NaN; features must be finite numbers',
  mismatched_rows: 'b.npy has 8 samples but labels.npy has 9',
  deep_header: 'a.npy has an unreadable NPY header: nesting deeper than 32 levels at character 82',
  huge_declared_shape: 'labels.npy has 1073741824 samples, over the limit of 100,000',
};

describe('broken NumPy uploads on disk', () => {
  it('has a message for every fixture folder', () => {
    expect(readdirSync(BROKEN).sort()).toEqual(Object.keys(BROKEN_MESSAGES).sort());
  });

  for (const [folder, message] of Object.entries(BROKEN_MESSAGES)) {
    it(folder, () => {
      const files = readdirSync(BROKEN + folder).map((name) => ({
        name,
        bytes: new Uint8Array(readFileSync(`${BROKEN}${folder}/${name}`)),
      }));
      expect(error(() => parseNpyDataset(files, { name: folder })).message).toBe(message);
    });
  }
});
