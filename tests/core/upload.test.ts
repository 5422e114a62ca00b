import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readUploadPath } from '../../src/cli/readUploadPath';
import { defaultModalities } from '../../src/core/data/builtin/builtin';
import { selectModalities } from '../../src/core/data/modalities';
import { summarise } from '../../src/core/data/summary';
import { detectFormat, expandUpload, parseUpload, type UploadFile } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';

/** What the page does with an upload: parse, then pick the default modalities (which needs two). */
async function load(files: UploadFile[], name = 'upload') {
  const d = await parseUpload(files, { name, ...uploadParsers() });
  return selectModalities(d, defaultModalities(d));
}

const BROKEN: [string, string][] = [
  ['csv/bad_split', 'split.csv row 2: "validation" is not train or test'],
  ['csv/empty_file', 'a.csv is empty'],
  ['csv/empty_label', 'labels.csv row 2: the label is empty'],
  ['csv/inf_cell', 'b.csv row 2, column w0: "Infinity" is not a number'],
  ['csv/missing_labels', 'labels.csv is missing: it needs a column "label" with the class of each row'],
  ['csv/nan_cell', 'a.csv row 3, column v0: "NaN" is not a number'],
  ['csv/non_numeric', 'a.csv row 2, column v1: "abc" is not a number'],
  ['csv/one_modality', 'Choose at least two modalities (got 1); available: a'],
  ['csv/row_count_mismatch', 'b.csv has 2 rows but labels.csv has 3'],
  ['csv/shape_mismatch', 'dataset.json gives img the shape [3, 3] (9 values), but a.csv has 2 columns'],
  [
    'csv/too_few_per_class',
    'class 1 has only 1 sample; each class needs at least 3 to be split into train, validation and test',
  ],
  ['csv/unknown_label', 'labels.csv row 3: the label "7" is not in classes.csv'],
  [
    'csv/semicolon_separated',
    'a.csv has no comma in its header row: the file seems to use ";" between columns; the lab reads comma-separated files',
  ],
  ['csv/hex_cell', 'b.csv row 5, column w0: "0x1F" is not a plain decimal number'],
  [
    'csv/latin1_labels',
    'labels.csv is not UTF-8 text (line 4 has the byte 0xE9, as Latin-1 or Windows-1252 files do); save it as UTF-8 (in Excel: "CSV UTF-8")',
  ],
  [
    'csv/utf16_without_bom',
    'a.csv holds a zero byte on line 1: it looks like UTF-16 text without a byte-order mark, or not text at all; save it as UTF-8 (in Excel: "CSV UTF-8")',
  ],
  ['csv/one_class', 'labels.csv has a single class (cat); the lab needs at least two classes to classify'],
  ['csv/split_without_test', 'split.csv marks no row as test: mark some rows of each class "test"'],
  [
    'csv/class_only_in_test',
    'split.csv marks no rows of class emu as train; each class needs at least 2 (one for training, one for validation)',
  ],
  [
    'media/huge_png',
    'day/4.png is 20,000 × 20,000 pixels, over the limit of 16,777,216 pixels (4096 × 4096); scale it down first',
  ],
  ['media/wav_1hz', 'night/6.wav declares a sample rate of 1 Hz; the lab reads 1,000 to 192,000 Hz'],
  ['media/nan_float_wav', 'day/7.wav: sample 3 (at 0.000 s) is NaN; audio must hold finite values'],
  ['npy/deep_header', 'a.npy has an unreadable NPY header: nesting deeper than 32 levels at character 82'],
  ['npy/huge_declared_shape', 'labels.npy has 1073741824 samples, over the limit of 100,000'],
  ['media/audio_without_partner', 'day/5.wav has no image partner (day/5.png, .jpg or .webp)'],
  ['media/image_without_partner', 'night/3.png has no audio partner (night/3.wav, .mp3 or .ogg)'],
  [
    'media/not_in_class_folder',
    'loose.png is not directly inside a class folder: media uploads are <class>/<id>.<png|jpg|webp> paired with <class>/<id>.<wav|mp3|ogg>',
  ],
  ['media/undecodable_audio', 'night/1.wav has no fmt chunk'],
  ['media/undecodable_image', 'day/2.png is not a PNG file'],
  ['npy/bad_magic', 'a.npy is not an NPY file: it does not start with the \\x93NUMPY signature'],
  ['npy/mismatched_rows', 'b.npy has 8 samples but labels.npy has 9'],
  ['npy/nan_feature', 'b.npy row 4, column 2 (arr[3, 1] in NumPy) is NaN; features must be finite numbers'],
  ['npy/short_data', 'a.npy is truncated: shape [9, 2] of float32 needs 72 bytes of data but only 68 are there'],
  ['npy/truncated_header', 'b.npy is truncated: it ends inside the NPY header'],
  [
    'npy/unsupported_dtype',
    "b.npy has the dtype '<U5' (text), which is not supported; save a numeric array instead (float32, float64, int8 to int64, uint8 to uint64 or bool)",
  ],
];

describe('the committed corpus of broken uploads', () => {
  it('covers every folder in tests/fixtures/broken', () => {
    const folders = ['csv', 'media', 'npy'].flatMap((k) =>
      readdirSync(`tests/fixtures/broken/${k}`).map((c) => `${k}/${c}`),
    );
    expect(folders.sort()).toEqual(BROKEN.map(([c]) => c).sort());
  });
  for (const [folder, message] of BROKEN)
    it(`${folder}: refused with its exact message, as a folder and as a ZIP`, async () => {
      const { files } = await readUploadPath(`tests/fixtures/broken/${folder}`);
      await expect(load(files)).rejects.toThrow(message);
      const zip = zipSync(Object.fromEntries(files.map((f) => [`${folder.split('/')[1]}/${f.path}`, f.bytes])));
      await expect(load([{ path: 'broken.zip', bytes: zip }])).rejects.toThrow(message);
    });
});

describe('media pairs', () => {
  it('pairs <class>/<id> images and audio by stem: 32×32 grey images and 32×32 log-mel spectrograms', async () => {
    const { files, name } = await readUploadPath('tests/fixtures/good/media');
    const d = await load(files, name);
    expect(d.classNames).toEqual(['day', 'night']);
    expect(d.labels.length).toBe(16);
    expect(d.modalities.map((m) => [m.name, m.shape, m.kind])).toEqual([
      ['image', [32, 32], 'image'],
      ['audio', [32, 32], 'spectrogram'],
    ]);
    // The bright square of a "day" image is lighter than the same pixel of a "night" image.
    const centre = 16 * 32 + 16;
    expect(d.features[0][centre]).toBeGreaterThan(d.features[0][8 * 1024 + centre]);
    const s = summarise(d);
    expect(s.previews[0].audio[1]).toBeInstanceOf(Uint8Array);
  });

  it('reports progress as it unpacks and decodes', async () => {
    const { files, name } = await readUploadPath('tests/fixtures/good/media');
    const calls: [number, string][] = [];
    await parseUpload(files, { name, ...uploadParsers(), onProgress: (f, m) => calls.push([f, m]) });
    expect(calls[0]).toEqual([0, 'Unpacking 32 files…']);
    expect(calls).toContainEqual([0.05, 'Parsing 32 files (media)…']);
    expect(calls.some(([, m]) => m === 'Decoding pair 1 of 16…')).toBe(true);
    expect(calls.map(([f]) => f)).toEqual([...calls.map(([f]) => f)].sort((a, b) => a - b));
  });

  it('the command line refuses JPEG and MP3 with a pointer to the page', async () => {
    const { files } = await readUploadPath('tests/fixtures/good/media');
    const renamed = files.map((f) => (f.path === 'day/0.png' ? { ...f, path: 'day/0.jpg' } : f));
    await expect(load(renamed)).rejects.toThrow(
      'day/0.jpg: the command line reads PNG images only; use the page for JPEG and WebP',
    );
  });
});

describe('upload handling', () => {
  const csv = (text: string) => strToU8(text);
  const good: UploadFile[] = [
    { path: 'mine/a.csv', bytes: csv('x,y\n1,2\n3,4\n5,6\n7,8\n9,1\n2,3\n') },
    { path: 'mine/b.csv', bytes: csv('z\n1\n2\n3\n4\n5\n6\n') },
    { path: 'mine/labels.csv', bytes: csv('label\ncat\ndog\ncat\ndog\ncat\ndog\n') },
    { path: '__MACOSX/mine/._a.csv', bytes: csv('junk') },
    { path: 'mine/.DS_Store', bytes: csv('junk') },
  ];

  it('drops system files, strips the common folder, and detects the format', () => {
    const files = expandUpload(good);
    expect(files.map((f) => f.path)).toEqual(['a.csv', 'b.csv', 'labels.csv']);
    expect(detectFormat(files)).toBe('paired-csv');
  });

  it('reads a paired-CSV ZIP the same as the folder', async () => {
    const fromFolder = await load(good);
    const zip = zipSync(Object.fromEntries(good.map((f) => [f.path, f.bytes])));
    const fromZip = await load([{ path: 'mine.zip', bytes: zip }]);
    expect(fromZip.features).toEqual(fromFolder.features);
    expect(fromZip.classNames).toEqual(['cat', 'dog']);
    expect(summarise(fromZip).counts).toEqual(summarise(fromFolder).counts);
  });

  it('says what it expected when nothing is a dataset, and refuses an unreadable ZIP', async () => {
    await expect(load([{ path: 'notes.txt', bytes: csv('hello') }])).rejects.toThrow(
      'No dataset found in the upload (1 files): expected one CSV per modality with labels.csv, one .npy per modality with labels.npy, or <class>/<id> image and audio pairs',
    );
    await expect(load([{ path: 'x.zip', bytes: csv('not a zip') }])).rejects.toThrow(
      /^x\.zip is not a readable ZIP archive/,
    );
  });

  it('refuses an upload over the size limit before parsing it', async () => {
    const big = new Uint8Array(257 * 1024 * 1024);
    await expect(load([{ path: 'a.csv', bytes: big }])).rejects.toThrow(
      'The upload is 257 MB, over the 256 MB limit (after unzipping)',
    );
  });
});

const DATA = resolve('../shared/data');
describe.skipIf(!existsSync(DATA))('the real datasets through the upload path', () => {
  for (const [folder, n, shapes] of [
    ['mfeat_handwritten', 2000, [[76], [216]]],
    ['mnist_usps_hw2sources', 2000, [[784], [256]]],
    ['optdigits_halves', 1797, [[32], [32]]],
  ] as const)
    it(`${folder}: ${n} samples, counts per split and class balance`, async () => {
      const { files, name } = await readUploadPath(`${DATA}/${folder}`);
      const d = await load(files, name);
      const s = summarise(d);
      expect(s.name).toBe(folder);
      expect(s.modalities.map((m) => m.shape)).toEqual(shapes);
      expect(s.counts.train + s.counts.val + s.counts.test).toBe(n);
      const perClass = s.classes.map((_, k) => s.classCounts.train[k] + s.classCounts.val[k] + s.classCounts.test[k]);
      expect(perClass.reduce((a, b) => a + b, 0)).toBe(n);
      expect(s.previews.length).toBeGreaterThan(0);
    });
});
if (!existsSync(DATA)) console.warn(`skipped: ${DATA} is absent (real datasets live in ../shared/data)`);
