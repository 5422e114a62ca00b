import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { parseNpy } from '../../src/core/data/formats/npy';
import { parseNpyDataset } from '../../src/core/data/formats/npyDataset';
import { decodePng } from '../../src/core/data/formats/png';
import { decodeWav } from '../../src/core/data/formats/wav';
import { imageHeaderSize } from '../../src/core/data/formats/imageSize';
import { LIMITS } from '../../src/core/data/limits';
import { decodeSafetensors, encodeSafetensors } from '../../src/core/io/safetensors';
import { crc32 } from '../fixtures/crc32';
import { f32bytes, npyFile, rawSafetensors, wavFile } from '../fixtures/formats';
import { encodePng } from '../fixtures/pngEncoder';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

/** A PNG that declares any size: only its IHDR is real, so a reader that decodes first would fail differently. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const png = encodePng(1, 1, new Uint8Array([0]), 1);
  const view = new DataView(png.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

describe('NPY: headers are bounded and sizes checked before decoding', () => {
  it('a 50,000-deep header is refused by its length, a 30,000-deep one by its nesting: never a stack overflow', () => {
    const deep = (n: number) => npyFile([1], [0], { dict: '['.repeat(n) + ']'.repeat(n), version: 2 });
    expect(refusal(() => parseNpy('deep.npy', deep(50_000)))).toBe(
      'deep.npy declares a 100,020-byte NPY header; NumPy writes a few hundred bytes (at most 65,536 are read)',
    );
    expect(refusal(() => parseNpy('deep.npy', deep(30_000)))).toBe(
      'deep.npy has an unreadable NPY header: nesting deeper than 32 levels at character 33',
    );
    const d = `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(40)}1,${')'.repeat(40)}}`;
    expect(refusal(() => parseNpy('nest.npy', npyFile([1], [0], { dict: d })))).toBe(
      'nest.npy has an unreadable NPY header: nesting deeper than 32 levels at character 82',
    );
  });

  it("a header key named __proto__ is a key like any other, not the dictionary's prototype", () => {
    const d = `{'__proto__': {'descr': '<f4', 'fortran_order': False, 'shape': (1,)}}`;
    expect(refusal(() => parseNpy('p.npy', npyFile([1], [0], { dict: d })))).toBe(
      "p.npy has an unreadable NPY header: it has no 'descr'",
    );
  });

  it('a labels.npy that declares more samples than the limit is refused before its data is read', () => {
    const declared = npyFile([1], [0], { dict: `{'descr': '<f4', 'fortran_order': False, 'shape': (200000,), }` });
    const files = [
      { name: 'a.npy', bytes: npyFile([3, 1], [1, 2, 3]) },
      { name: 'b.npy', bytes: npyFile([3, 1], [1, 2, 3]) },
      { name: 'labels.npy', bytes: declared },
    ];
    expect(refusal(() => parseNpyDataset(files, { name: 'n' }))).toBe(
      'labels.npy has 200000 samples, over the limit of 100,000',
    );
  });

  it('a modality over the per-sample or total values limit is named, before it is decoded', () => {
    const labels = npyFile([6], [0, 1, 0, 1, 0, 1]);
    const wide = npyFile([1], [0], { dict: `{'descr': '<f4', 'fortran_order': False, 'shape': (6, 70000), }` });
    expect(
      refusal(() =>
        parseNpyDataset(
          [
            { name: 'a.npy', bytes: npyFile([6, 1], [1, 2, 3, 4, 5, 6]) },
            { name: 'wide.npy', bytes: wide },
            { name: 'labels.npy', bytes: labels },
          ],
          { name: 'n' },
        ),
      ),
    ).toBe('Modality wide has 70,000 values per sample, over the limit of 65,536');
  });
});

describe('PNG: the pixel limit from IHDR, before inflating', () => {
  it('a 20000 × 20000 PNG of a few bytes is refused by its declared size', () => {
    expect(refusal(() => decodePng('huge.png', pngHeaderOnly(20000, 20000)))).toBe(
      'huge.png is 20,000 × 20,000 pixels, over the limit of 16,777,216 pixels (4096 × 4096); scale it down first',
    );
    // At the limit the declared size passes, and the missing data is what fails.
    expect(refusal(() => decodePng('edge.png', pngHeaderOnly(4096, 4096)))).toBe(
      'edge.png is truncated: its image data is incomplete',
    );
  });

  it('image data past what the size needs is never inflated', () => {
    const png = encodePng(2, 2, new Uint8Array(16).fill(200), 4);
    const img = decodePng('ok.png', png);
    expect([...img.rgba]).toEqual(new Array(16).fill(200));
  });

  it('the page reads the same size from PNG, JPEG and WebP headers before decoding', () => {
    expect(imageHeaderSize(pngHeaderOnly(20000, 300))).toEqual({ width: 20000, height: 300 });
    // SOI, an APP0 segment, then SOF0 with height 5000 and width 7000.
    const jpeg = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x13, 0x88, 0x1b, 0x58, 0x03,
    ]);
    expect(imageHeaderSize(jpeg)).toEqual({ width: 7000, height: 5000 });
    const webp = (chunk: string, body: number[]) =>
      Uint8Array.from(
        [...'RIFF']
          .map((c) => c.charCodeAt(0))
          .concat(
            [0, 0, 0, 0],
            [...`WEBP${chunk}`].map((c) => c.charCodeAt(0)),
            [0, 0, 0, 0],
            body,
            new Array(16).fill(0),
          ),
      );
    // VP8X: 24-bit width − 1 and height − 1 after 4 bytes of flags.
    expect(imageHeaderSize(webp('VP8X', [0, 0, 0, 0, 0x3f, 0x9c, 0, 0x1f, 0x4e, 0]))).toEqual({
      width: 40000,
      height: 20000,
    });
    // VP8L: signature 0x2f, then 14 bits of width − 1 and 14 of height − 1.
    const bits = (1000 - 1) | ((2000 - 1) << 14);
    expect(
      imageHeaderSize(webp('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, bits >>> 24])),
    ).toEqual({ width: 1000, height: 2000 });
    // VP8: a frame tag of 3 bytes, the start code 9d 01 2a, then 14-bit width and height.
    expect(imageHeaderSize(webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x10, 0x27, 0x20, 0x4e]))).toEqual({
      width: 10000,
      height: 20000 & 0x3fff,
    });
    expect(imageHeaderSize(new TextEncoder().encode('GIF89a........'))).toBeNull();
  });
});

describe('WAV: rate, channels and length from the header, NaN at read time', () => {
  it('a 32 KB WAV that declares 1 Hz is refused before it is decoded or resampled', () => {
    const wav = wavFile({ format: 1, channels: 1, sampleRate: 1, samples: new Array(16000).fill(0) });
    expect(wav.length).toBeLessThan(33_000);
    expect(refusal(() => decodeWav('slow.wav', wav))).toBe(
      'slow.wav declares a sample rate of 1 Hz; the lab reads 1,000 to 192,000 Hz',
    );
  });

  it('too long, too many channels, too fast', () => {
    const long = wavFile({ format: 1, channels: 1, sampleRate: 1000, samples: new Array(61_000).fill(0) });
    expect(refusal(() => decodeWav('long.wav', long))).toBe(
      'long.wav is 61 s long, over the limit of 60 s (only the first second is used; trim it)',
    );
    const many = wavFile({ format: 1, channels: 9, sampleRate: 8000, samples: new Array(18).fill(0) });
    expect(refusal(() => decodeWav('many.wav', many))).toBe('many.wav declares 9 channels; the lab reads at most 8');
    const fast = wavFile({ format: 1, channels: 1, sampleRate: 384_000, samples: [0, 0] });
    expect(refusal(() => decodeWav('fast.wav', fast))).toBe(
      'fast.wav declares a sample rate of 384,000 Hz; the lab reads 1,000 to 192,000 Hz',
    );
    expect(LIMITS.audioSeconds * LIMITS.maxSampleRate * 4).toBeLessThan(LIMITS.totalBytes);
  });

  it('NaN or an infinity in a float WAV is refused with the file, sample, channel and time', () => {
    const nan = wavFile({ format: 3, channels: 1, sampleRate: 8000, samples: [0, 0.5, NaN, 0] });
    expect(refusal(() => decodeWav('n.wav', nan))).toBe(
      'n.wav: sample 3 (at 0.000 s) is NaN; audio must hold finite values',
    );
    const inf = wavFile({
      format: 3,
      channels: 2,
      sampleRate: 8000,
      samples: new Array(20000).fill(0).map((_, i) => (i === 16001 ? -Infinity : 0)),
    });
    expect(refusal(() => decodeWav('i.wav', inf))).toBe(
      'i.wav: sample 8001 of channel 2 (at 1.000 s) is -Infinity; audio must hold finite values',
    );
  });
});

describe('safetensors: every field checked, each problem names the tensor and field', () => {
  const good = encodeSafetensors([
    { name: 'w', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
    { name: 'b', shape: [2], data: Float32Array.from([5, 6]) },
  ]);
  const data = f32bytes([1, 2, 3, 4, 5, 6]);

  it('reads what the lab writes', () => {
    const { tensors } = decodeSafetensors('m.safetensors', good);
    expect([...tensors.get('w')!.data]).toEqual([1, 2, 3, 4]);
    expect(tensors.get('b')!.shape).toEqual([2]);
  });

  it.each([
    ['a null header', null, data, 'm.safetensors: the header is not a JSON object'],
    ['a list header', [1], data, 'm.safetensors: the header is not a JSON object'],
    ['a null entry', { w: null }, data, 'm.safetensors: tensor w is not an object with dtype, shape and data_offsets'],
    [
      'a string shape',
      { w: { dtype: 'F32', shape: '2,2', data_offsets: [0, 16] } },
      data.subarray(0, 16),
      'm.safetensors: tensor w: "shape" must be a list of non-negative integers (got "2,2")',
    ],
    [
      'a negative dimension',
      { w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } },
      data.subarray(0, 4),
      'm.safetensors: tensor w: "shape" must be a list of non-negative integers (got [-1])',
    ],
    [
      'no data_offsets',
      { w: { dtype: 'F32', shape: [2] } },
      data,
      'm.safetensors: tensor w: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end (got nothing)',
    ],
    [
      'a negative offset',
      { w: { dtype: 'F32', shape: [2], data_offsets: [-8, 0] } },
      data,
      'm.safetensors: tensor w: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end (got [-8,0])',
    ],
    [
      'offsets reversed',
      { w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } },
      data,
      'm.safetensors: tensor w: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end (got [8,0])',
    ],
    [
      'no dtype',
      { w: { shape: [2], data_offsets: [0, 8] } },
      data.subarray(0, 8),
      'm.safetensors: tensor w has no "dtype"',
    ],
    [
      'F16',
      { w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } },
      data.subarray(0, 4),
      'm.safetensors: tensor w has dtype F16; the lab reads F32 only',
    ],
    [
      'an unknown dtype',
      { w: { dtype: 'Q4', shape: [2], data_offsets: [0, 8] } },
      data.subarray(0, 8),
      'm.safetensors: tensor w has dtype Q4 (not a safetensors dtype); the lab reads F32 only',
    ],
    [
      'bytes and shape disagree',
      { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } },
      data.subarray(0, 8),
      'm.safetensors: tensor w has shape [3] (3 values, 12 bytes) but data_offsets [0, 8] hold 8 bytes',
    ],
    [
      'overlapping tensors',
      { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
      data.subarray(0, 12),
      'm.safetensors: tensor b (data_offsets [4, 12]) overlaps the tensor before it',
    ],
    [
      'a gap',
      { w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } },
      data.subarray(0, 12),
      'm.safetensors: the bytes 4 to 8 belong to no tensor (tensor b starts at 8)',
    ],
    [
      'trailing bytes',
      { w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      data.subarray(0, 12),
      'm.safetensors: 8 bytes after the last tensor belong to no tensor',
    ],
    [
      'past the end',
      { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } },
      data.subarray(0, 12),
      'm.safetensors is truncated: its tensors need 16 bytes of data but 12 follow the header',
    ],
    [
      'NaN weights',
      { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } },
      f32bytes([1, NaN]),
      'm.safetensors: tensor w holds NaN at index 1; weights must be finite',
    ],
    [
      'metadata not strings',
      { __metadata__: { a: 1 }, w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      data.subarray(0, 4),
      'm.safetensors: "__metadata__" must map names to strings',
    ],
  ])('%s', (_, header, bytes, message) => {
    expect(refusal(() => decodeSafetensors('m.safetensors', rawSafetensors(header, bytes)))).toBe(message);
  });

  it('a header length past the file or the format limit', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 60n, true);
    expect(refusal(() => decodeSafetensors('m.safetensors', huge))).toBe(
      'm.safetensors declares a 1,152,921,504,606,846,976-byte header, over the 100 MB the format allows',
    );
    expect(refusal(() => decodeSafetensors('m.safetensors', good.subarray(0, 20)))).toMatch(
      /^m\.safetensors is truncated: its header says \d+ bytes but the file ends first$/,
    );
  });
});
