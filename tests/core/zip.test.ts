import { Inflate } from 'fflate';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { expandUpload, parseUpload, type UploadFile } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';
import { readZip } from '../../src/core/data/formats/zip';
import { LIMITS } from '../../src/core/data/limits';
import { deflated, stored, writeZip, zerosDeflate, type RawEntry } from '../fixtures/zipWriter';

const MiB = 1 << 20;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('readZip: the central directory read by hand', () => {
  it('reads stored and deflated entries, skips folders, and agrees with fflate', () => {
    const zip = zipSync({
      'd/a.csv': strToU8('x\n1\n'),
      'd/sub/': new Uint8Array(0),
      'b.txt': strToU8('hi '.repeat(500)),
    });
    const entries = readZip('t.zip', zip, LIMITS.totalBytes);
    expect(entries.map((e) => [e.path, text(e.bytes)])).toEqual([
      ['d/a.csv', 'x\n1\n'],
      ['b.txt', 'hi '.repeat(500)],
    ]);
    const mine = writeZip([stored('s.csv', 'a\n2\n'), deflated('z.csv', 'b\n3\n'.repeat(100))]);
    expect(readZip('m.zip', mine, 1000).map((e) => text(e.bytes))).toEqual(['a\n2\n', 'b\n3\n'.repeat(100)]);
  });

  it('reads ZIP64 records (sizes and offsets in the extra field)', () => {
    const zip = writeZip([deflated('a.csv', 'x\n1\n'), stored('b.csv', 'y\n2\n')], { zip64: true });
    expect(readZip('z64.zip', zip, 100).map((e) => [e.path, text(e.bytes)])).toEqual([
      ['a.csv', 'x\n1\n'],
      ['b.csv', 'y\n2\n'],
    ]);
  });

  it('refuses from the directory, before inflating, a ZIP that declares more than the budget', () => {
    // 3 MB of data that declares (and would inflate to) 3 GiB: three entries of 1 GiB of zeros.
    const bomb = zerosDeflate(1024);
    const entries: RawEntry[] = [0, 1, 2].map((i) => ({ name: `x${i}.csv`, data: bomb, size: 1024 * MiB, crc: 0 }));
    const zip = writeZip(entries);
    expect(zip.length).toBeLessThan(4 * MiB);
    const t0 = performance.now();
    expect(refusal(() => readZip('bomb.zip', zip, LIMITS.totalBytes))).toBe(
      'bomb.zip unzips to 3,072 MB, over the 256 MB upload limit (after unzipping)',
    );
    // Inflating 3 GiB takes seconds; reading a directory takes microseconds.
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('stops an entry that inflates past what its header declares, after one slice', () => {
    const zip = writeZip([{ name: 'liar.csv', data: zerosDeflate(1024), size: 1000, crc: 0 }]);
    const push = vi.spyOn(Inflate.prototype, 'push');
    try {
      expect(refusal(() => readZip('liar.zip', zip, LIMITS.totalBytes))).toBe(
        'liar.zip: liar.csv inflates to more than the 1,000 bytes its header declares; the archive is damaged or made to mislead',
      );
      // One 8 KB slice of compressed data was fed, not the ~1 MB that inflates to 1 GiB. (The
      // memory side is measured in a child process in uploadMemory.test.ts.)
      const fed = push.mock.calls.reduce((sum, [chunk]) => sum + chunk.length, 0);
      expect(fed).toBeLessThanOrEqual(8192);
      expect(zip.length).toBeGreaterThan(100 * 8192);
    } finally {
      push.mockRestore();
    }
  });

  it('names the entry for each thing it will not read', () => {
    const cases: [RawEntry[], string][] = [
      [
        [{ ...stored('a.csv', 'x\n1\n'), flags: 1 }],
        'e.zip: a.csv is encrypted; the lab cannot read password-protected ZIPs',
      ],
      [
        [{ ...stored('a.csv', 'x\n1\n'), method: 99 }],
        'e.zip: a.csv is encrypted; the lab cannot read password-protected ZIPs',
      ],
      [
        [{ ...stored('a.csv', 'x\n1\n'), method: 12 }],
        'e.zip: a.csv uses bzip2; save the ZIP with Deflate (the usual kind)',
      ],
      [[stored('../a.csv', 'x\n1\n')], 'e.zip: ../a.csv points outside the archive; zip the dataset folder itself'],
      [
        [stored('d/../../a.csv', 'x')],
        'e.zip: d/../../a.csv points outside the archive; zip the dataset folder itself',
      ],
      [[stored('/etc/a.csv', 'x')], 'e.zip: /etc/a.csv points outside the archive; zip the dataset folder itself'],
      [[stored('C:\\a.csv', 'x')], 'e.zip: C:/a.csv points outside the archive; zip the dataset folder itself'],
      [
        [stored('inner.zip', 'PK')],
        'e.zip: inner.zip is a ZIP inside the ZIP; unzip it and upload its contents instead',
      ],
      [[stored('d/a.csv', 'x'), stored('d/a.csv', 'y')], 'e.zip holds two entries named d/a.csv; keep one'],
      [[{ ...stored('a.csv', 'x\n1\n'), crc: 1 }], 'e.zip: a.csv is damaged: its checksum does not match'],
      [
        [{ ...deflated('a.csv', 'x\n1\n'), size: 99 }],
        'e.zip: a.csv is damaged: it inflates to 4 bytes, its header declares 99',
      ],
      [
        [{ ...deflated('a.csv', 'x\n1\n'), data: new Uint8Array([0xff, 0xff, 0xff]) }],
        'e.zip: a.csv is damaged: its compressed data is invalid or cut short',
      ],
      [[{ ...stored('a.csv', 'x\n1\n'), size: 3 }], 'e.zip: a.csv is damaged: stored as 4 bytes but declared as 3'],
    ];
    for (const [entries, message] of cases)
      expect(refusal(() => readZip('e.zip', writeZip(entries), 1000))).toBe(message);
  });

  it('says when a file is not a ZIP or is cut short', () => {
    const zip = writeZip([deflated('a.csv', 'x\n1\n'.repeat(50))]);
    expect(refusal(() => readZip('n.zip', strToU8('not a zip'), 100))).toBe(
      'n.zip is not a readable ZIP archive (no end-of-archive record; is it a ZIP?)',
    );
    const cut = zip.slice(0, 40);
    expect(refusal(() => readZip('c.zip', cut, 1000))).toMatch(/^c\.zip is not a readable ZIP archive/);
  });
});

describe('expandUpload: what an upload holds once its ZIPs are opened', () => {
  const csv = (s: string) => strToU8(s);

  it('a ZIP of only ../ entries or only system files says what it holds, not that the upload is empty', async () => {
    const climb = writeZip([stored('../a.csv', 'x\n1\n'), stored('../b.csv', 'y\n1\n')]);
    await expect(parseUpload([{ path: 'up.zip', bytes: climb }], { name: 'u' })).rejects.toThrow(
      'up.zip: ../a.csv points outside the archive; zip the dataset folder itself',
    );
    const junk = zipSync({ '__MACOSX/._a.csv': csv('j'), '.DS_Store': csv('j'), 'empty/': new Uint8Array(0) });
    expect(refusal(() => expandUpload([{ path: 'j.zip', bytes: junk }]))).toBe(
      'j.zip holds no files (only folders or system files)',
    );
  });

  it('refuses the same path twice: in a ZIP and beside it, or in two ZIPs', () => {
    const zip = zipSync({ 'a.csv': csv('x\n1\n') });
    expect(
      refusal(() =>
        expandUpload([
          { path: 'a.csv', bytes: csv('x\n2\n') },
          { path: 'd.zip', bytes: zip },
        ]),
      ),
    ).toBe('a.csv is both in d.zip and beside it; keep one');
    expect(
      refusal(() =>
        expandUpload([
          { path: 'one.zip', bytes: zip },
          { path: 'two.zip', bytes: zip },
        ]),
      ),
    ).toBe('a.csv is both in two.zip and in one.zip; keep one');
  });

  it('refuses two data files of the same name in different folders, naming both', async () => {
    const zip = zipSync({
      'x/a.csv': csv('v\n1\n2\n3\n'),
      'y/a.csv': csv('v\n4\n5\n6\n'),
      'x/b.csv': csv('w\n1\n2\n3\n'),
      'x/labels.csv': csv('label\n0\n1\n0\n'),
    });
    await expect(parseUpload([{ path: 'two.zip', bytes: zip }], { name: 't' })).rejects.toThrow(
      'x/a.csv and y/a.csv are two files named a.csv; upload one dataset, its files at the top of the folder or ZIP',
    );
  });

  it('counts loose files and every ZIP against one budget (after unzipping)', () => {
    const loose: UploadFile = { path: 'big.csv', bytes: new Uint8Array(LIMITS.totalBytes - 10) };
    const zip = writeZip([stored('a.csv', 'x\n123456789\n')]);
    expect(refusal(() => expandUpload([loose, { path: 'z.zip', bytes: zip }]))).toBe(
      'z.zip unzips to 12 bytes, which with the other files passes the 256 MB upload limit (after unzipping)',
    );
  });

  it('reads the usual upload through the new reader end to end', async () => {
    const zip = zipSync({
      'd/a.csv': csv('v\n1\n2\n3\n4\n5\n6\n'),
      'd/b.csv': csv('w\n1\n2\n3\n4\n5\n6\n'),
      'd/labels.csv': csv('label\n0\n1\n0\n1\n0\n1\n'),
    });
    const d = await parseUpload([{ path: 'd.zip', bytes: zip }], { name: 'd', ...uploadParsers() });
    expect([...d.features[0]]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
