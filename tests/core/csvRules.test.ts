import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { parsePairedCsv, type TextFile } from '../../src/core/data/formats/pairedCsv';
import { decodeText } from '../../src/core/data/formats/text';
import { parseUpload, type UploadFile } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';

const csv = (name: string, ...lines: string[]): TextFile => ({ name, text: lines.join('\n') + '\n' });
const views = [
  csv('a.csv', 'x,y', '1,2', '3,4', '5,6', '7,8', '9,1', '2,3'),
  csv('b.csv', 'z', '1', '2', '3', '4', '5', '6'),
];

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('labels are kept as the strings they are unless all are plain decimal integers', () => {
  const classes = (...labels: string[]) =>
    parsePairedCsv([...views, csv('labels.csv', 'label', ...labels)], { name: 't' }).classNames;

  it('0x10 and 16, 1e1 and 10, 1.0 and 1 stay different classes', () => {
    expect(classes('0x10', '16', '0x10', '16', '0x10', '16')).toEqual(['0x10', '16']);
    expect(classes('1e1', '10', '1e1', '10', '1e1', '10')).toEqual(['10', '1e1']);
    expect(classes('1.0', '1', '1.0', '1', '1.0', '1')).toEqual(['1', '1.0']);
    expect(classes('Infinity', '-1', 'Infinity', '-1', 'Infinity', '-1')).toEqual(['-1', 'Infinity']);
  });

  it('all plain integers are numbers: sorted by value, 007 is 7, beyond 2^53 exactly', () => {
    expect(classes('10', '-2', '007', '7', '10', '-2')).toEqual(['-2', '7', '10']);
    expect(classes('9007199254740993', '9007199254740992', '9007199254740993', '9007199254740992', '1', '1')).toEqual([
      '1',
      '9007199254740992',
      '9007199254740993',
    ]);
  });

  it('classes.csv matches labels by the same rule ("1.0" finds 1, "0x1" does not)', () => {
    const files = [...views, csv('classes.csv', 'label,name', '0,zero', '1,one')];
    const d = parsePairedCsv([...files, csv('labels.csv', 'label', '1.0', '0', '1', '0', '1', '0')], { name: 't' });
    expect([...d.labels]).toEqual([1, 0, 1, 0, 1, 0]);
    expect(
      refusal(() =>
        parsePairedCsv([...files, csv('labels.csv', 'label', '0x1', '0', '1', '0', '1', '0')], { name: 't' }),
      ),
    ).toBe('labels.csv row 1: the label "0x1" is not in classes.csv');
  });
});

describe('numeric cells must be plain decimal numbers', () => {
  const cell = (value: string) =>
    refusal(() =>
      parsePairedCsv(
        [
          csv('a.csv', 'x,y', '1,2', `3,${value}`, '5,6'),
          csv('b.csv', 'z', '1', '2', '3'),
          csv('labels.csv', 'label', '0', '1', '0'),
        ],
        { name: 't' },
      ),
    );
  it.each([
    ['0x1F', 'a.csv row 2, column y: "0x1F" is not a plain decimal number'],
    ['0b11', 'a.csv row 2, column y: "0b11" is not a plain decimal number'],
    ['0o7', 'a.csv row 2, column y: "0o7" is not a plain decimal number'],
    ['1_000', 'a.csv row 2, column y: "1_000" is not a number'],
    ['1e999', 'a.csv row 2, column y: "1e999" is outside the float32 range'],
    [
      '4;5',
      'a.csv row 2, column y: "4;5" is not a number (the file seems to use ";" between columns; the lab reads comma-separated files)',
    ],
  ])('%s', (value, message) => expect(cell(value)).toBe(message));

  it('reads what spreadsheets and numpy.savetxt write', () => {
    const d = parsePairedCsv(
      [
        csv('a.csv', 'x,y', '1.5e-3,-.5', '+2,3.', ' 1.000000000000000000e+00 ,-0', '5E2,6'),
        csv('b.csv', 'z', '1', '2', '3', '4'),
        csv('labels.csv', 'label', '0', '1', '0', '1'),
      ],
      { name: 't' },
    );
    expect([...d.features[0]]).toEqual([Math.fround(1.5e-3), -0.5, 2, 3, 1, -0, 500, 6]);
  });
});

describe('separators and encodings are detected with a hint', () => {
  const upload = (files: Record<string, Uint8Array | string>) =>
    parseUpload(
      Object.entries(files).map(([path, b]): UploadFile => ({
        path,
        bytes: typeof b === 'string' ? new TextEncoder().encode(b) : b,
      })),
      { name: 'u', ...uploadParsers() },
    );
  const labels = 'label\n0\n1\n0\n1\n0\n1\n';
  const b = 'z\n1\n2\n3\n4\n5\n6\n';

  it('a semicolon- or tab-separated file is refused at its header with the reason', async () => {
    await expect(
      upload({ 'a.csv': 'x;y\n1;2\n3;4\n5;6\n7;8\n9;1\n2;3\n', 'b.csv': b, 'labels.csv': labels }),
    ).rejects.toThrow(
      new DataError(
        'a.csv has no comma in its header row: the file seems to use ";" between columns; the lab reads comma-separated files',
      ),
    );
    await expect(upload({ 'a.csv': 'x\ty\n1\t2\n', 'b.csv': b, 'labels.csv': labels })).rejects.toThrow(
      'a.csv has no comma in its header row: the file seems to use tabs between columns; the lab reads comma-separated files',
    );
    await expect(
      upload({ 'a.csv': 'x,y\n1,2\n3,4\n5,6\n7,8\n9,1\n2,3\n', 'b.csv': b, 'labels.csv': 'label;w\n0;1\n' }),
    ).rejects.toThrow('labels.csv has no comma in its header row: the file seems to use ";" between columns');
  });

  it('UTF-16 with its byte-order mark reads as the same data; without one, or Latin-1, is refused with a hint', async () => {
    const a = 'x,y\n1,2\n3,4\n5,6\n7,8\n9,1\n2,3\n';
    const utf16le = (s: string) => new Uint8Array([0xff, 0xfe, ...[...s].flatMap((c) => [c.charCodeAt(0), 0])]);
    const utf16be = (s: string) => new Uint8Array([0xfe, 0xff, ...[...s].flatMap((c) => [0, c.charCodeAt(0)])]);
    const plain = await upload({ 'a.csv': a, 'b.csv': b, 'labels.csv': labels });
    expect((await upload({ 'a.csv': utf16le(a), 'b.csv': b, 'labels.csv': utf16be(labels) })).features).toEqual(
      plain.features,
    );
    await expect(upload({ 'a.csv': utf16le(a).subarray(2), 'b.csv': b, 'labels.csv': labels })).rejects.toThrow(
      'a.csv holds a zero byte on line 1: it looks like UTF-16 text without a byte-order mark, or not text at all; save it as UTF-8 (in Excel: "CSV UTF-8")',
    );
    const latin1 = new Uint8Array([...new TextEncoder().encode('label\nchat\n'), 0x63, 0x61, 0x66, 0xe9, 10]);
    await expect(upload({ 'a.csv': a, 'b.csv': b, 'labels.csv': latin1 })).rejects.toThrow(
      'labels.csv is not UTF-8 text (line 3 has the byte 0xE9, as Latin-1 or Windows-1252 files do); save it as UTF-8 (in Excel: "CSV UTF-8")',
    );
  });

  it('decodeText keeps UTF-8 with or without a byte-order mark as it is', () => {
    const s = 'label\ncafé\n日本\n';
    const bytes = new TextEncoder().encode(s);
    expect(decodeText('l.csv', bytes)).toBe(s);
    expect(decodeText('l.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toBe(s);
  });
});
