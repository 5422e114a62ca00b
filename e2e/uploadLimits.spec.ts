import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { closeSync, cpSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from '../tests/fixtures/crc32';
import { encodePng } from '../tests/fixtures/pngEncoder';
import { zerosDeflate } from '../tests/fixtures/zipWriter';
import { openLab } from './helpers';

/** The page's own path: the worker reads image sizes from headers before the browser decodes them. */

async function expectToy(page: Page) {
  await expect(page.getByTestId('dataset-name')).toHaveText('toy-2d');
  await expect(page.getByTestId('split-counts')).toContainText('train');
}

/** 20000 × 20000 grey pixels, all zero: a valid PNG of ~400 KB whose pixels would take 1.6 GB as RGBA. */
function hugePng(): Uint8Array {
  const png = encodePng(1, 1, new Uint8Array([0]), 1);
  const view = new DataView(png.buffer);
  view.setUint32(16, 20000);
  view.setUint32(20, 20000);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  const idat = Uint8Array.from([0x78, 0x9c, ...zerosDeflate(Math.ceil((20000 * 20001) / 2 ** 20)), 0, 0, 0, 1]);
  const chunk = new Uint8Array(12 + idat.length);
  new DataView(chunk.buffer).setUint32(0, idat.length);
  chunk.set(strToU8('IDAT'), 4);
  chunk.set(idat, 8);
  new DataView(chunk.buffer).setUint32(8 + idat.length, crc32(chunk.subarray(4, 8 + idat.length)));
  return Uint8Array.from([...png.subarray(0, 33), ...chunk, ...png.subarray(png.length - 12)]);
}

/** SOI, then a baseline frame header declaring 20000 × 30000, then the end: nothing a decoder could show. */
const hugeJpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x75, 0x30, 0x4e, 0x20, 0x01, 0xff, 0xd9]);

test('an image or MP3 over its limit is refused by its header, naming it; the current dataset stays', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm');
  await expectToy(page);
  const dir = join(mkdtempSync(join(tmpdir(), 'crmt-e2e-')), 'media');
  cpSync(resolve('tests/fixtures/good/media'), dir, { recursive: true });
  const png = hugePng();
  expect(png.length).toBeLessThan(600_000);
  writeFileSync(join(dir, 'day', '0.png'), png);
  await page.getByTestId('upload-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-error')).toContainText(
    'day/0.png is 20,000 × 20,000 pixels, over the limit of 16,777,216 pixels (4096 × 4096); scale it down first',
  );
  await expect(page.getByTestId('data-error')).toContainText('The current dataset is unchanged.');
  await expectToy(page);

  // A JPEG, which only the page reads: its frame header is enough to refuse it, before any decoding.
  const files = Object.fromEntries(
    ['day', 'night'].flatMap((c) =>
      [0, 1, 2].flatMap((i) => [
        [`m/${c}/${i}.wav`, new Uint8Array(readFileSync(join(dir, c, `${i}.wav`)))],
        c === 'night' && i === 0
          ? ['m/night/0.jpg', hugeJpeg]
          : [`m/${c}/${i}.png`, encodePng(2, 2, new Uint8Array(4), 1)],
      ]),
    ),
  );
  const zipPath = join(dir, '..', 'jpeg.zip');
  writeFileSync(zipPath, zipSync(files));
  await page.getByTestId('upload-files').setInputFiles(zipPath);
  await expect(page.getByTestId('data-error')).toContainText(
    'night/0.jpg is 20,000 × 30,000 pixels, over the limit of 16,777,216 pixels (4096 × 4096); scale it down first',
  );
  await expectToy(page);

  // An MP3 of 2,400 MPEG-1 Layer III frames (417 bytes, 1152 samples at 44.1 kHz each): 63 s by its
  // headers, so Web Audio never decodes it and the worker names it.
  const mp3 = new Uint8Array(2400 * 417);
  for (let i = 0; i < 2400; i++) mp3.set([0xff, 0xfb, 0x90, 0x00], i * 417);
  cpSync(resolve('tests/fixtures/good/media'), dir, { recursive: true, force: true });
  writeFileSync(join(dir, 'night', '0.mp3'), mp3);
  rmSync(join(dir, 'night', '0.wav'));
  await page.getByTestId('upload-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-error')).toContainText(
    'night/0.mp3 is 63 s long, over the limit of 60 s (only the first second is used; trim it)',
  );
  await expectToy(page);
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
});

test('a ZIP with two a.csv names both; an upload over the size limit is refused before it is read', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm');
  await expectToy(page);
  const rows = (h: string) => `${h}\n1\n2\n3\n4\n5\n6\n`;
  const zip = zipSync({
    'x/a.csv': strToU8(rows('v')),
    'y/a.csv': strToU8(rows('v')),
    'x/b.csv': strToU8(rows('w')),
    'x/labels.csv': strToU8('label\n0\n1\n0\n1\n0\n1\n'),
  });
  const dir = mkdtempSync(join(tmpdir(), 'crmt-e2e-'));
  writeFileSync(join(dir, 'two.zip'), zip);
  await page.getByTestId('upload-files').setInputFiles(join(dir, 'two.zip'));
  await expect(page.getByTestId('data-error')).toContainText(
    'x/a.csv and y/a.csv are two files named a.csv; upload one dataset, its files at the top of the folder or ZIP',
  );
  await expectToy(page);

  // A sparse 300 MB file: the page compares sizes before reading, so it is never read.
  const big = join(dir, 'big.zip');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 300 * 2 ** 20);
  closeSync(fd);
  await page.getByTestId('upload-files').setInputFiles(big);
  await expect(page.getByTestId('upload-refused')).toHaveText(
    'Upload refused: the files are 300 MB, over the 256 MB limit (after unzipping). The current dataset is unchanged.',
  );
  await expectToy(page);
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
});
