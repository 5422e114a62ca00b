import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { checkCompressedAudio } from '../../src/core/data/formats/compressedAudio';
import { imageHeaderSize } from '../../src/core/data/formats/imageSize';
import { parseNpy } from '../../src/core/data/formats/npy';
import { parseNpyDataset } from '../../src/core/data/formats/npyDataset';
import { decodePng } from '../../src/core/data/formats/png';
import { parseUpload, type UploadFile } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';
import { decodeWav } from '../../src/core/data/formats/wav';
import { readZip } from '../../src/core/data/formats/zip';
import { LIMITS } from '../../src/core/data/limits';
import { decodeSafetensors, encodeSafetensors } from '../../src/core/io/safetensors';
import { npyFile, wavFile } from '../fixtures/formats';
import { encodePng } from '../fixtures/pngEncoder';
import { deflated, stored, writeZip } from '../fixtures/zipWriter';

/**
 * Property-based fuzzing of every reader: valid files mutated (bytes flipped, cut, inserted,
 * header fields set to extreme values) only ever give the lab's own DataError, never a
 * TypeError, RangeError or stack overflow; every call ends within a time bound; and the whole run
 * stays within the upload memory limit (peak RSS of this test process). Fixed seeds: a failure
 * prints its counterexample and reproduces.
 */

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'field'; at: number; width: 1 | 2 | 4 | 8; value: bigint; little: boolean };

const EXTREMES = [
  0n,
  1n,
  2n,
  0x7fn,
  0xffn,
  0x7fffn,
  0xffffn,
  0x7fffffffn,
  0xfffffffen,
  0xffffffffn,
  2n ** 53n,
  2n ** 63n - 1n,
];

/** Mutations at any byte, with header fields (`fields`: byte offsets) set to extremes more often. */
function mutations(fields: number[]): fc.Arbitrary<Mutation[]> {
  const at = fc.oneof(fc.nat({ max: 1 << 16 }), fc.constantFrom(...fields));
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: 1 << 16 }) }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
    fc.record({
      kind: fc.constant('field' as const),
      at,
      width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      value: fc.oneof(fc.constantFrom(...EXTREMES), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
      little: fc.boolean(),
    }),
  );
  return fc.array(one, { minLength: 1, maxLength: 4 });
}

function mutate(seed: Uint8Array, list: Mutation[]): Uint8Array {
  let b = seed.slice();
  for (const m of list) {
    const at = b.length === 0 ? 0 : m.at % (b.length + (m.kind === 'insert' ? 1 : 0));
    if (m.kind === 'flip' && b.length > 0) b[at] = m.value;
    else if (m.kind === 'cut') b = b.slice(0, at);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === 'field' && at + m.width <= b.length) {
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const v = m.value & ((1n << BigInt(8 * m.width)) - 1n);
      if (m.width === 1) view.setUint8(at, Number(v));
      else if (m.width === 2) view.setUint16(at, Number(v), m.little);
      else if (m.width === 4) view.setUint32(at, Number(v), m.little);
      else view.setBigUint64(at, v, m.little);
    }
  }
  return b;
}

const TIME_BOUND_MS = 2000;
let slowest = 0;

/** Runs `read`; it may succeed or throw a DataError, nothing else, and must end in time. */
async function onlyDataErrors<T>(read: () => T | Promise<T>): Promise<T | null> {
  const t0 = performance.now();
  try {
    return await read();
  } catch (e) {
    if (!(e instanceof DataError)) throw new Error(`not a DataError: ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return null;
  } finally {
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    expect(ms).toBeLessThan(TIME_BOUND_MS);
  }
}

const RUNS = { seed: 8, numRuns: 150 };
const rssAtStart = process.memoryUsage().rss;

// Three classes of three: the smallest paired-CSV upload the lab accepts.
const LABELS = [0, 1, 2, 0, 1, 2, 0, 1, 2];
const CSV: Record<string, string> = {
  'a.csv': 'x,y,z\n' + LABELS.map((y, i) => `${y + 0.5},${i / 10},-${i}e-2`).join('\n') + '\n',
  'b.csv': 'w\n' + LABELS.map((y, i) => `${y * 2 + i / 100}`).join('\n') + '\n',
  'labels.csv': 'label\n' + LABELS.map((y) => ['cat', 'dog', 'emu'][y]).join('\n') + '\n',
  'split.csv': 'split\n' + LABELS.map((_, i) => (i < 6 ? 'train' : 'test')).join('\n') + '\n',
  'dataset.json': JSON.stringify({
    name: 'fuzz',
    modalities: [
      { name: 'a', file: 'a.csv', shape: [3] },
      { name: 'b', file: 'b.csv' },
    ],
  }),
};
const csvFiles = (): UploadFile[] => Object.entries(CSV).map(([path, t]) => ({ path, bytes: strToU8(t) }));
const upload = (files: UploadFile[]) => parseUpload(files, { name: 'fuzz', ...uploadParsers() });

describe('fuzz: mutated files give DataError only, in bounded time and memory', () => {
  it('seeds are valid: each reader accepts the unmutated files', async () => {
    expect((await upload(csvFiles())).labels.length).toBe(9);
    expect(
      (await upload([{ path: 'd.zip', bytes: zipSync(Object.fromEntries(csvFiles().map((f) => [f.path, f.bytes]))) }]))
        .labels.length,
    ).toBe(9);
    expect(parseNpy('a.npy', npyFile([3, 2], [1, 2, 3, 4, 5, 6])).shape).toEqual([3, 2]);
    expect(
      decodeWav('a.wav', wavFile({ format: 3, channels: 2, sampleRate: 8000, samples: [0.1, -0.2, 0.3, 0.4] })).samples
        .length,
    ).toBe(2);
    expect(decodePng('a.png', encodePng(3, 2, new Uint8Array(24).fill(9), 4)).width).toBe(3);
  });

  it('CSV: one file of a paired-CSV upload mutated', async () => {
    const names = Object.keys(CSV);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: names.length - 1 }), mutations([0, 1, 2, 5, 6, 10]), async (k, list) => {
        const files = csvFiles().map((f, i) => (i === k ? { ...f, bytes: mutate(f.bytes, list) } : f));
        const d = await onlyDataErrors(() => upload(files));
        if (d) expect(d.labels.length).toBeLessThanOrEqual(LIMITS.samples);
      }),
      RUNS,
    );
  });

  it('ZIP: the archive of a paired-CSV upload mutated (directory, local headers, data)', async () => {
    const entries = Object.entries(CSV);
    const seeds = [
      zipSync(Object.fromEntries(csvFiles().map((f) => [`d/${f.path}`, f.bytes]))),
      writeZip(entries.map(([p, t]) => stored(p, t))),
      writeZip(
        entries.map(([p, t]) => deflated(p, t)),
        { zip64: true },
      ),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.nat(), mutations([0]), async (s, shift, list) => {
        const seed = seeds[s];
        // Header fields: near the end (directory and end record) and at the first local header.
        const fields = [14, 18, 22, 26, 28, ...Array.from({ length: 12 }, (_, i) => seed.length - 22 - 4 * i)];
        const bytes = mutate(
          seed,
          list.map((m) => (m.kind === 'field' ? { ...m, at: fields[(m.at + shift) % fields.length] } : m)),
        );
        const r = await onlyDataErrors(() => readZip('f.zip', bytes, LIMITS.totalBytes));
        if (r) expect(r.reduce((t, e) => t + e.bytes.length, 0)).toBeLessThanOrEqual(LIMITS.totalBytes);
        await onlyDataErrors(() => upload([{ path: 'f.zip', bytes }]));
      }),
      RUNS,
    );
  });

  it('NPY: a modality file and labels.npy mutated', async () => {
    const a = npyFile(
      [9, 2],
      Array.from({ length: 18 }, (_, i) => i / 3),
    );
    const labels = npyFile([9], LABELS);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutations([6, 7, 8, 9, 10, 11, 20, 40, 60]), async (onLabels, list) => {
        const files = [
          { name: 'a.npy', bytes: onLabels ? a : mutate(a, list) },
          { name: 'b.npy', bytes: a },
          { name: 'labels.npy', bytes: onLabels ? mutate(labels, list) : labels },
        ];
        await onlyDataErrors(() => parseNpy('x.npy', files[onLabels ? 2 : 0].bytes));
        const d = await onlyDataErrors(() => parseNpyDataset(files, { name: 'n' }));
        if (d) expect(d.features[0].length).toBeLessThanOrEqual(LIMITS.totalValues);
      }),
      RUNS,
    );
  });

  it('WAV: PCM and float files mutated', async () => {
    const seeds = [
      wavFile({
        format: 1,
        channels: 1,
        sampleRate: 16000,
        samples: Array.from({ length: 64 }, (_, i) => Math.sin(i)),
      }),
      wavFile({
        format: 3,
        channels: 2,
        sampleRate: 44100,
        samples: Array.from({ length: 64 }, (_, i) => Math.cos(i) / 2),
      }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 }), mutations([4, 16, 20, 22, 24, 28, 32, 34, 40]), async (s, list) => {
        const w = await onlyDataErrors(() => decodeWav('f.wav', mutate(seeds[s], list)));
        if (w) {
          expect(w.samples.length / w.sampleRate).toBeLessThanOrEqual(LIMITS.audioSeconds);
          expect(w.samples.every(Number.isFinite)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('PNG: files mutated, alone and as media pairs with WAVs (decode, resample, spectrogram)', async () => {
    const png = encodePng(
      5,
      4,
      Uint8Array.from({ length: 80 }, (_, i) => (i * 37) % 256),
      4,
      1,
    );
    const wav = wavFile({
      format: 1,
      channels: 1,
      sampleRate: 8000,
      samples: Array.from({ length: 800 }, (_, i) => Math.sin(i / 3)),
    });
    const pairs = (mutated: Uint8Array, onImage: boolean): UploadFile[] =>
      ['day', 'night'].flatMap((c) =>
        [0, 1, 2].flatMap((i) => [
          { path: `${c}/${i}.png`, bytes: c === 'day' && i === 0 && onImage ? mutated : png },
          { path: `${c}/${i}.wav`, bytes: c === 'day' && i === 0 && !onImage ? mutated : wav },
        ]),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        mutations([8, 12, 16, 20, 24, 25, 26, 28, 29, 33, 37, 41]),
        async (onImage, list) => {
          const mutated = mutate(onImage ? png : wav, list);
          if (onImage) {
            const img = await onlyDataErrors(() => decodePng('f.png', mutated));
            if (img) expect(img.width * img.height).toBeLessThanOrEqual(LIMITS.imagePixels);
            const size = imageHeaderSize(mutated);
            if (size) expect(Number.isInteger(size.width * size.height)).toBe(true);
          }
          await onlyDataErrors(() => upload(pairs(mutated, onImage)));
        },
      ),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('safetensors: bytes mutated, and header fields replaced by any JSON value', async () => {
    const seed = encodeSafetensors([
      { name: 'enc.0.weight', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { name: 'enc.0.bias', shape: [2], data: Float32Array.from([0.5, -0.5]) },
    ]);
    await fc.assert(
      fc.asyncProperty(mutations([0, 1, 4, 7, 8]), async (list) => {
        await onlyDataErrors(() => decodeSafetensors('m.safetensors', mutate(seed, list)));
      }),
      RUNS,
    );
    const header = JSON.parse(
      new TextDecoder().decode(seed.subarray(8, 8 + Number(new DataView(seed.buffer).getBigUint64(0, true)))),
    );
    const data = seed.subarray(seed.length - 32);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('enc.0.weight', 'enc.0.bias', '__metadata__'),
        fc.constantFrom('dtype', 'shape', 'data_offsets', null),
        fc.oneof(
          fc.jsonValue(),
          fc.constantFrom(-1, 1e300, 2 ** 53, [0, -4], [0, 1e20], ['0', '8'], [8, 0], [0, 8, 16]),
        ),
        async (tensor, field, value) => {
          const h = structuredClone(header);
          if (field === null || tensor === '__metadata__') h[tensor] = value;
          else h[tensor][field] = value;
          const json = strToU8(JSON.stringify(h));
          const bytes = new Uint8Array(8 + json.length + data.length);
          new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
          bytes.set(json, 8);
          bytes.set(data, 8 + json.length);
          const r = await onlyDataErrors(() => decodeSafetensors('m.safetensors', bytes));
          if (r) for (const t of r.tensors.values()) expect(t.data.every(Number.isFinite)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('MP3 and Ogg headers mutated: the page-side length check', async () => {
    const mp3 = new Uint8Array(417 * 6);
    for (let i = 0; i < 6; i++) mp3.set([0xff, 0xfb, 0x90, 0x00], 417 * i);
    await fc.assert(
      fc.asyncProperty(mutations([0, 1, 2, 3, 417, 418, 419]), async (list) => {
        await onlyDataErrors(() => checkCompressedAudio('f.mp3', mutate(mp3, list)));
        await onlyDataErrors(() => checkCompressedAudio('f.ogg', mutate(mp3, list)));
      }),
      RUNS,
    );
  });

  it('the whole run stayed within the upload memory limit and the time bound', () => {
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `fuzz: slowest call ${slowest.toFixed(0)} ms; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB ` +
        `(${((peak - rssAtStart) / 2 ** 20).toFixed(0)} MiB over the start)`,
    );
    expect(peak - rssAtStart).toBeLessThan(LIMITS.totalBytes);
    expect(slowest).toBeLessThan(TIME_BOUND_MS);
  });
});
