import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTextFolder } from '../../src/cli/loadFolder';
import { parseNumericCsv } from '../../src/core/data/formats/csv';
import { sampleCount, splitIndices, type Dataset } from '../../src/core/data/dataset';
import { DataError } from '../../src/core/data/dataError';
import { parsePairedCsv, type TextFile } from '../../src/core/data/formats/pairedCsv';
import { resolveModalities, selectModalities } from '../../src/core/data/modalities';

// The real datasets live next to the repository (../shared/data), never inside it.
const DATA_ROOT = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

const REAL: { folder: string; n: number; views: Record<string, number> }[] = [
  {
    folder: 'mfeat_handwritten',
    n: 2000,
    views: { view0_fou: 76, view1_fac: 216, view2_kar: 64, view3_pix: 240, view4_zer: 47, view5_mor: 6 },
  },
  { folder: 'mnist_usps_hw2sources', n: 2000, views: { view0_mnist_28x28: 784, view1_usps_16x16: 256 } },
  { folder: 'optdigits_halves', n: 1797, views: { view0_top_4x8: 32, view1_bottom_4x8: 32 } },
];

for (const { folder, n, views } of REAL) {
  const dir = DATA_ROOT + folder;
  const missing = !existsSync(dir);
  if (missing) console.warn(`pairedCsv: skipping the ${folder} tests, folder not found: ${dir}`);

  describe.skipIf(missing)(`real dataset ${folder}`, () => {
    it('parses with the expected samples, views, classes and splits', async () => {
      const files = await readTextFolder(dir);
      const start = performance.now();
      const d = parsePairedCsv(files, { name: folder });
      const ms = performance.now() - start;
      console.info(`pairedCsv: ${folder} parsed in ${ms.toFixed(0)} ms`);

      expect(d.name).toBe(folder);
      expect(sampleCount(d)).toBe(n);
      expect(Object.fromEntries(d.modalities.map((m) => [m.name, m.shape[0]]))).toEqual(views);
      expect(d.modalities.map((m) => m.name)).toEqual(Object.keys(views));
      d.modalities.forEach((m, i) => expect(d.features[i].length).toBe(n * m.shape[0]));
      expect(d.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      expect(new Set(d.labels).size).toBe(10);

      const counts = (['train', 'val', 'test'] as const).map((s) => splitIndices(d, s).length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      expect(counts[2] / n).toBeCloseTo(0.2, 1);
      expect(counts[1] / n).toBeCloseTo(0.15, 1);
    });
  });
}

const csv = (...lines: string[]) => lines.join('\n') + '\n';
const file = (name: string, ...lines: string[]): TextFile => ({ name, text: csv(...lines) });

/** Two 2-column views and 4 integer labels: the base every error fixture breaks in one place. */
function fixture(overrides: TextFile[] = [], drop: string[] = []): TextFile[] {
  const base = [
    file('a_view.csv', 'x,y', '1,2', '3,4', '5,6', '7,8'),
    file('b_view.csv', 'p,q', '0,0', '1,1', '0,1', '1,0'),
    file('labels.csv', 'label', '1', '0', '1', '0'),
  ];
  const names = new Set(overrides.map((f) => f.name));
  return [...base.filter((f) => !names.has(f.name) && !drop.includes(f.name)), ...overrides];
}

function parseError(files: TextFile[]): string {
  try {
    parsePairedCsv(files, { name: 't' });
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('parsePairedCsv on small fixtures', () => {
  it('names modalities after file stems in file-name order and reads values row-major', () => {
    const files = fixture();
    const d = parsePairedCsv([files[1], files[2], files[0]], { name: 'tiny' });
    expect(d.name).toBe('tiny');
    expect(d.modalities).toEqual([
      { name: 'a_view', shape: [2] },
      { name: 'b_view', shape: [2] },
    ]);
    expect([...d.features[0]]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(d.classNames).toEqual(['0', '1']);
    expect([...d.labels]).toEqual([1, 0, 1, 0]);
    expect(d.split.length).toBe(4);
  });

  it('tolerates \\r\\n, surrounding whitespace, a byte-order mark, quoted fields and no trailing newline', () => {
    const d = parsePairedCsv(
      fixture([
        { name: 'a_view.csv', text: '\uFEFF x , y \r\n 1 , 2 \r\n"3",4\r\n5, " 6"\r\n7,8' },
        { name: 'labels.csv', text: 'label\r\n1\r\n0\r\n1\r\n0\r\n\r\n' },
      ]),
      { name: 't' },
    );
    expect([...d.features[0]]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...d.labels]).toEqual([1, 0, 1, 0]);
  });

  it('sorts integer labels numerically and string labels alphabetically', () => {
    const ints = parsePairedCsv(fixture([file('labels.csv', 'label', '10', '2', '10', '2')]), { name: 't' });
    expect(ints.classNames).toEqual(['2', '10']);
    expect([...ints.labels]).toEqual([1, 0, 1, 0]);
    const strings = parsePairedCsv(fixture([file('labels.csv', 'label', 'dog', 'cat', 'emu', 'cat')]), { name: 't' });
    expect(strings.classNames).toEqual(['cat', 'dog', 'emu']);
    expect([...strings.labels]).toEqual([1, 0, 2, 0]);
  });

  it('takes class order and names from classes.csv', () => {
    const d = parsePairedCsv(fixture([file('classes.csv', 'label,name', '1,one', '0,zero', '7,seven')]), { name: 't' });
    expect(d.classNames).toEqual(['one', 'zero', 'seven']);
    expect([...d.labels]).toEqual([0, 1, 0, 1]);
    const strings = fixture([
      file('labels.csv', 'label', 'b', 'a', 'b', 'a'),
      file('classes.csv', 'label,name', 'b,Bee', 'a,Ay'),
    ]);
    expect(parsePairedCsv(strings, { name: 't' }).classNames).toEqual(['Bee', 'Ay']);
  });

  it('uses dataset.json for the name, the modalities, their files, order and shapes', () => {
    const manifest = {
      name: 'From json',
      modalities: [
        { name: 'second', file: 'b_view.csv' },
        { name: 'image', file: 'a_view.csv', shape: [1, 2] },
      ],
    };
    const files = fixture([{ name: 'dataset.json', text: JSON.stringify(manifest) }, file('extra.csv', 'z', '1')]);
    const d = parsePairedCsv(files, { name: 'folder' });
    expect(d.name).toBe('From json');
    expect(d.modalities).toEqual([
      { name: 'second', shape: [2] },
      { name: 'image', shape: [1, 2] },
    ]);
    expect([...d.features[1]]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects a dataset.json shape that does not match the column count, and a missing file', () => {
    const json = (modalities: unknown[]) => fixture([{ name: 'dataset.json', text: JSON.stringify({ modalities }) }]);
    expect(parseError(json([{ name: 'img', file: 'a_view.csv', shape: [3, 3] }]))).toBe(
      'dataset.json gives img the shape [3, 3] (9 values), but a_view.csv has 2 columns',
    );
    expect(parseError(json([{ name: 'img', file: 'nope.csv' }]))).toBe(
      'dataset.json names nope.csv for modality img, but there is no such file',
    );
    expect(parseError(json([{ name: 'img', file: 'a_view.csv', shape: [0] }]))).toBe(
      'dataset.json modality 1 (img): "shape" must be a list of positive integers, e.g. [28, 28]',
    );
  });

  it('respects split.csv and carves a stratified 15% validation share out of its train rows', () => {
    const n = 200;
    const labels = Array.from({ length: n }, (_, i) => String(i % 2));
    const splits = Array.from({ length: n }, (_, i) => (i < 40 ? 'test' : 'train'));
    const rows = Array.from({ length: n }, (_, i) => `${i},${-i}`);
    const files = [
      file('one.csv', 'u,v', ...rows),
      file('two.csv', 'u,v', ...rows),
      file('labels.csv', 'label', ...labels),
      file('split.csv', 'split', ...splits),
    ];
    const d = parsePairedCsv(files, { name: 't', seed: 3 });
    const test = [...splitIndices(d, 'test')];
    expect(test).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const val = [...splitIndices(d, 'val')];
    expect(val.length).toBe(24); // 15% of 80 train rows per class, both classes
    expect(val.filter((i) => d.labels[i] === 0).length).toBe(12);
    expect(val.every((i) => i >= 40)).toBe(true);
    expect(splitIndices(d, 'train').length).toBe(136);
    expect(parsePairedCsv(files, { name: 't', seed: 3 }).split).toEqual(d.split);
  });

  it('without split.csv makes a seeded stratified 65/15/20 split', () => {
    const n = 400;
    const rows = Array.from({ length: n }, (_, i) => `${i}`);
    const files = [
      file('one.csv', 'u', ...rows),
      file('two.csv', 'u', ...rows),
      file('labels.csv', 'label', ...rows.map((_, i) => String(i % 4))),
    ];
    const d = parsePairedCsv(files, { name: 't' });
    expect(splitIndices(d, 'test').length).toBe(80);
    expect(splitIndices(d, 'val').length).toBe(60);
    expect(parsePairedCsv(files, { name: 't', seed: 1 }).split).toEqual(d.split);
    expect(parsePairedCsv(files, { name: 't', seed: 2 }).split).not.toEqual(d.split);
  });

  it('parses 2000 rows × 240 columns in well under a second', () => {
    const cols = 240;
    const header = Array.from({ length: cols }, (_, j) => `v${j}`).join(',');
    const row = (i: number) => Array.from({ length: cols }, (_, j) => ((i * 31 + j * 7) % 1000) / 7).join(',');
    const text = csv(header, ...Array.from({ length: 2000 }, (_, i) => row(i)));
    const start = performance.now();
    const t = parseNumericCsv(text);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(t.rowCount).toBe(2000);
    expect(t.values[1999 * cols + 5]).toBeCloseTo(((1999 * 31 + 35) % 1000) / 7, 4);
  });
});

describe('parsePairedCsv errors', () => {
  const cases: [string, TextFile[], string][] = [
    [
      'no modality files',
      [file('labels.csv', 'label', '1'), file('split.csv', 'split', 'train')],
      'No modality files: add one CSV per modality besides labels.csv, classes.csv and split.csv',
    ],
    [
      'labels.csv missing',
      fixture([], ['labels.csv']),
      'labels.csv is missing: it needs a column "label" with the class of each row',
    ],
    [
      'no label column',
      fixture([file('labels.csv', 'class', '1', '0', '1', '0')]),
      'labels.csv has no "label" column (columns: class)',
    ],
    [
      'row counts differ',
      fixture([file('b_view.csv', 'p,q', '0,0', '1,1', '0,1')]),
      'b_view.csv has 3 rows but labels.csv has 4',
    ],
    [
      'a non-numeric cell',
      fixture([file('a_view.csv', 'x,y', '1,2', '3,4', '5,abc', '7,8')]),
      'a_view.csv row 3, column y: "abc" is not a number',
    ],
    [
      'a NaN cell',
      fixture([file('a_view.csv', 'x,y', '1,2', 'NaN,4', '5,6', '7,8')]),
      'a_view.csv row 2, column x: "NaN" is not a number',
    ],
    [
      'an infinite cell',
      fixture([file('a_view.csv', 'x,y', '1,2', '3,4', '5,6', '7,-Infinity')]),
      'a_view.csv row 4, column y: "-Infinity" is not a number',
    ],
    [
      'an empty cell',
      fixture([file('a_view.csv', 'x,y', '1,2', '3, ', '5,6', '7,8')]),
      'a_view.csv row 2, column y: "" is not a number',
    ],
    [
      'a value beyond float32',
      fixture([file('a_view.csv', 'x,y', '1,2', '3,4', '5,6', '1e39,8')]),
      'a_view.csv row 4, column x: "1e39" is outside the float32 range',
    ],
    [
      'a short row',
      fixture([file('a_view.csv', 'x,y', '1,2', '3', '5,6', '7,8')]),
      'a_view.csv row 2 has 1 fields but the header has 2',
    ],
    ['an empty file', fixture([{ name: 'a_view.csv', text: '' }]), 'a_view.csv is empty'],
    ['a blank file', fixture([{ name: 'labels.csv', text: ' \r\n\n' }]), 'labels.csv is empty'],
    ['a header-only file', fixture([file('a_view.csv', 'x,y')]), 'a_view.csv has a header but no data rows'],
    [
      'a bad split value',
      fixture([file('split.csv', 'split', 'train', 'test', 'validation', 'train')]),
      'split.csv row 3: "validation" is not train or test',
    ],
    [
      'split.csv of the wrong length',
      fixture([file('split.csv', 'split', 'train', 'test', 'train')]),
      'split.csv has 3 rows but labels.csv has 4',
    ],
    [
      'a label unknown to classes.csv',
      fixture([file('classes.csv', 'label,name', '0,zero', '2,two')]),
      'labels.csv row 1: the label "1" is not in classes.csv',
    ],
    [
      'an empty label',
      fixture([file('labels.csv', 'label', '1', '', '1', '0')]),
      'labels.csv row 2: the label is empty',
    ],
    [
      'an unclosed quote',
      fixture([file('a_view.csv', 'x,y', '1,2', '3,"4', '5,6', '7,8')]),
      'a_view.csv row 2 has an unclosed quote',
    ],
    [
      'invalid dataset.json',
      fixture([{ name: 'dataset.json', text: '{ "modalities": [ }' }]),
      'dataset.json is not valid JSON: ',
    ],
  ];

  it.each(cases)('%s', (_, files, message) => {
    const got = parseError(files);
    if (message.endsWith(': ')) expect(got.startsWith(message)).toBe(true);
    else expect(got).toBe(message);
  });
});

describe('resolveModalities and selectModalities', () => {
  const available = ['view0_fou', 'view1_fac', 'view2_kar', 'view3_pix'];

  it('accepts full names and unique parts, in the requested order', () => {
    expect(resolveModalities(available, ['view3_pix', 'fac'])).toEqual(['view3_pix', 'view1_fac']);
    expect(resolveModalities(available, ['KAR', ' fou '])).toEqual(['view2_kar', 'view0_fou']);
  });

  it('prefers an exact name that is also part of another', () => {
    expect(resolveModalities(['a', 'ab'], ['a'])).toEqual(['a']);
  });

  it('rejects ambiguous, unknown and repeated requests, listing what is available', () => {
    expect(() => resolveModalities(available, ['view'])).toThrow(
      new DataError(
        '"view" matches several modalities (view0_fou, view1_fac, view2_kar, view3_pix); available: view0_fou, view1_fac, view2_kar, view3_pix',
      ),
    );
    expect(() => resolveModalities(available, ['mor'])).toThrow(
      new DataError('No modality matches "mor"; available: view0_fou, view1_fac, view2_kar, view3_pix'),
    );
    expect(() => resolveModalities(available, ['fac', 'view1_fac'])).toThrow(
      new DataError('Modality view1_fac is requested twice'),
    );
  });

  it('selectModalities keeps the named modalities in order and needs at least two', () => {
    const files = [...fixture(), file('c_view.csv', 'z', '9', '8', '7', '6')];
    const d: Dataset = parsePairedCsv(files, { name: 't' });
    const s = selectModalities(d, ['c_view', 'a_']);
    expect(s.modalities.map((m) => m.name)).toEqual(['c_view', 'a_view']);
    expect(s.features).toEqual([d.features[2], d.features[0]]);
    expect(s.labels).toBe(d.labels);
    expect(() => selectModalities(d, ['b_view'])).toThrow(
      new DataError('Choose at least two modalities (got 1); available: a_view, b_view, c_view'),
    );
  });
});

describe('readTextFolder', () => {
  it('names the folder that does not exist', async () => {
    await expect(readTextFolder('/no/such/folder')).rejects.toThrow(new DataError('Folder not found: /no/such/folder'));
  });
});
