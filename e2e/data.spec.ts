import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { numberOf, openLab } from './helpers';

/** A small, learnable paired-CSV dataset: 3 classes × 40 samples, two modalities. */
function pairedCsvFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'crmt-e2e-')), 'sensors');
  mkdirSync(dir);
  const rows = Array.from({ length: 120 }, (_, i) => i % 3);
  const jitter = (i: number, j: number) => (((i * 7919 + j * 104729) % 1000) / 1000 - 0.5) * 0.6;
  writeFileSync(
    join(dir, 'accel.csv'),
    'ax,ay,az\n' + rows.map((y, i) => [y, 2 * y, -y].map((v, j) => (v + jitter(i, j)).toFixed(3)).join(',')).join('\n'),
  );
  writeFileSync(
    join(dir, 'gyro.csv'),
    'g0,g1\n' +
      rows
        .map((y, i) => [y % 2, y > 1 ? 1 : 0].map((v, j) => (v + 2 * jitter(i, j + 3)).toFixed(3)).join(','))
        .join('\n'),
  );
  writeFileSync(join(dir, 'labels.csv'), 'label\n' + rows.map((y) => ['walk', 'run', 'sit'][y]).join('\n'));
  return dir;
}

async function expectDataset(page: Page, name: string, total: number) {
  await expect(page.getByTestId('dataset-name')).toHaveText(name);
  // The name may already match (regenerating the same built-in): wait for the counts themselves.
  await expect
    .poll(async () => {
      const counts = (await page.getByTestId('split-counts').textContent()) ?? '';
      return [...counts.matchAll(/(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    })
    .toBe(total);
}

test('the toy controls regenerate the data with the asked-for classes and samples', async ({ page }) => {
  await openLab(page, '?backend=wasm');
  await page.getByTestId('toy-classes').fill('3');
  await page.getByTestId('toy-samples').fill('600');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expectDataset(page, 'toy-2d', 600);
  await expect(page.getByTestId('class-count')).toHaveCount(3);
  await expect(page).toHaveURL(/classes=3/);
  await expect(page.getByTestId('preview-A')).toHaveCount(3);
});

test('the audio-visual set shows image and spectrogram thumbnails with playable audio, and trains', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await page.getByTestId('dataset-select').selectOption('audioVisual');
  await expectDataset(page, 'audio-visual', 1200);
  await expect(page.getByTestId('preview-image').locator('canvas')).toHaveCount(4);
  await expect(page.getByTestId('preview-audio').locator('canvas')).toHaveCount(4);
  await expect(page.getByTestId('preview-audio').locator('audio')).toHaveCount(4);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
});

test('uploading a paired-CSV folder and its ZIP shows the counts and trains one epoch', async ({ page }) => {
  const dir = pairedCsvFolder();
  await openLab(page, '?backend=wasm', '#epochs=1');
  await page.getByTestId('upload-folder').setInputFiles(dir);
  await expectDataset(page, 'sensors', 120);
  await expect(page.getByTestId('class-count')).toHaveCount(3);
  await expect(page.getByTestId('dataset-summary')).toContainText('modality accel: vector, shape [3]');
  await expect(page.getByTestId('preview-gyro').locator('canvas')).toHaveCount(3);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 1 / 1');

  const zipPath = join(dir, '..', 'sensors.zip');
  const names = ['accel.csv', 'gyro.csv', 'labels.csv'];
  const { readFileSync } = await import('node:fs');
  writeFileSync(
    zipPath,
    zipSync(Object.fromEntries(names.map((n) => [`sensors/${n}`, new Uint8Array(readFileSync(join(dir, n)))]))),
  );
  await page.getByTestId('dataset-select').selectOption('toy2d');
  await expectDataset(page, 'toy-2d', 1200);
  await page.getByTestId('upload-files').setInputFiles(zipPath);
  await expectDataset(page, 'sensors', 120);
});

test('a broken upload shows its message and the current dataset stays loaded', async ({ page }) => {
  await openLab(page, '?backend=wasm');
  await expectDataset(page, 'toy-2d', 1200);
  for (const [folder, message] of [
    ['csv/non_numeric', 'a.csv row 2, column v1: "abc" is not a number'],
    ['csv/row_count_mismatch', 'b.csv has 2 rows but labels.csv has 3'],
    ['npy/nan_feature', 'b.npy row 4, column 2 (arr[3, 1] in NumPy) is NaN; features must be finite numbers'],
  ]) {
    await page.getByTestId('upload-folder').setInputFiles(resolve(`tests/fixtures/broken/${folder}`));
    await expect(page.getByTestId('data-error')).toContainText(message);
    await expect(page.getByTestId('data-error')).toContainText('The current dataset is unchanged.');
    await expectDataset(page, 'toy-2d', 1200);
  }
  await page
    .getByTestId('upload-files')
    .setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from(strToU8('nope')) });
  await expect(page.getByTestId('data-error')).toContainText('notes.zip is not a readable ZIP archive');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
});

const MFEAT = resolve('../shared/data/mfeat_handwritten');
test('six views: the user picks which modalities to train on', async ({ page }) => {
  test.skip(!existsSync(MFEAT), `${MFEAT} is absent (real datasets live in ../shared/data)`);
  await openLab(page, '?backend=wasm', '#epochs=1');
  const t0 = Date.now();
  await page.getByTestId('upload-folder').setInputFiles(MFEAT);
  await expectDataset(page, 'mfeat_handwritten', 2000);
  console.log(`mfeat_handwritten (six views) uploaded and parsed in ${Date.now() - t0} ms`);
  await expect(page.getByTestId('use-view0_fou')).toBeChecked();
  await expect(page.getByTestId('use-view2_kar')).not.toBeChecked();
  // The worker installs the new selection; the box follows once it has.
  await page.getByTestId('use-view2_kar').click();
  await expect(page.getByTestId('use-view2_kar')).toBeChecked();
  await expect(page.getByTestId('dataset-summary')).toContainText('modality view2_kar');
  await page.getByTestId('use-view0_fou').click();
  await expect(page.getByTestId('use-view0_fou')).not.toBeChecked();
  await expect(page.getByTestId('dataset-summary')).not.toContainText('modality view0_fou');
  // Fewer than two is refused with a message, and the selection stays as it was.
  await page.getByTestId('use-view1_fac').click();
  await expect(page.getByTestId('data-error')).toContainText('Choose at least two modalities (got 1)');
  await expect(page.getByTestId('use-view1_fac')).toBeChecked();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
});

test('uploading media pairs decodes images and audio in the browser, shows them, and trains', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await page.getByTestId('upload-folder').setInputFiles(resolve('tests/fixtures/good/media'));
  await expectDataset(page, 'media', 16);
  await expect(page.getByTestId('dataset-summary')).toContainText('modality image: image, shape [32 × 32]');
  await expect(page.getByTestId('dataset-summary')).toContainText('modality audio: spectrogram, shape [32 × 32]');
  await expect(page.getByTestId('preview-image').locator('canvas')).toHaveCount(2);
  await expect(page.getByTestId('preview-audio').locator('audio')).toHaveCount(2);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
});

test('media pairs and NumPy arrays upload as ZIPs too', async ({ page }) => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const media = resolve('tests/fixtures/good/media');
  const entries: Record<string, Uint8Array> = {};
  for (const cls of readdirSync(media))
    for (const f of readdirSync(join(media, cls)))
      entries[`clips/${cls}/${f}`] = new Uint8Array(readFileSync(join(media, cls, f)));
  const dir = mkdtempSync(join(tmpdir(), 'crmt-zip-'));
  writeFileSync(join(dir, 'clips.zip'), zipSync(entries));
  const npyDir = resolve('tests/fixtures/broken/npy/mismatched_rows');
  await openLab(page, '?backend=wasm');
  await page.getByTestId('upload-files').setInputFiles(join(dir, 'clips.zip'));
  await expectDataset(page, 'clips', 16);
  // A NumPy ZIP goes through the same parser as the folder: here, its row-count check.
  const npyZip = zipSync(
    Object.fromEntries(readdirSync(npyDir).map((f) => [f, new Uint8Array(readFileSync(join(npyDir, f)))])),
  );
  writeFileSync(join(dir, 'arrays.zip'), npyZip);
  await page.getByTestId('upload-files').setInputFiles(join(dir, 'arrays.zip'));
  await expect(page.getByTestId('data-error')).toContainText('b.npy has 8 samples but labels.npy has 9');
  await expectDataset(page, 'clips', 16);
});

test('broken media uploads name the file, and the browser decoder refuses what it cannot read', async ({ page }) => {
  await openLab(page, '?backend=wasm');
  for (const [folder, message] of [
    ['media/image_without_partner', 'night/3.png has no audio partner (night/3.wav, .mp3 or .ogg)'],
    // Text named .png: its header is no image's, so it is refused before the browser decodes it.
    ['media/undecodable_image', 'day/2.png cannot be decoded as an image (it is not PNG, JPEG or WebP)'],
    ['media/undecodable_audio', 'night/1.wav has no fmt chunk'],
  ]) {
    await page.getByTestId('upload-folder').setInputFiles(resolve(`tests/fixtures/broken/${folder}`));
    await expect(page.getByTestId('data-error')).toContainText(message);
    await expectDataset(page, 'toy-2d', 1200);
  }
  // A PNG whose header is sound but which ends after it: the browser's decoder is what refuses it.
  const dir = join(mkdtempSync(join(tmpdir(), 'crmt-e2e-')), 'media');
  cpSync(resolve('tests/fixtures/good/media'), dir, { recursive: true });
  const { readFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'day', '2.png'), readFileSync(join(dir, 'day', '2.png')).subarray(0, 33));
  await page.getByTestId('upload-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-error')).toContainText(
    'day/2.png cannot be decoded as an image (the browser does not recognise its contents)',
  );
  await expectDataset(page, 'toy-2d', 1200);
});

test('a NumPy folder uploads: one .npy per modality plus labels.npy', async ({ page }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'crmt-npy-')), 'arrays');
  mkdirSync(dir);
  const npy = (shape: number[], values: Float32Array | Int32Array, descr: string) => {
    const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    const pad = 64 - ((10 + header.length + 1) % 64);
    const text = header + ' '.repeat(pad) + '\n';
    const out = new Uint8Array(10 + text.length + values.byteLength);
    out.set([0x93, 78, 85, 77, 80, 89, 1, 0, text.length & 255, text.length >> 8]);
    out.set(new TextEncoder().encode(text), 10);
    out.set(new Uint8Array(values.buffer), 10 + text.length);
    return out;
  };
  const n = 90;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  writeFileSync(join(dir, 'labels.npy'), npy([n], labels, '<i4'));
  writeFileSync(
    join(dir, 'left.npy'),
    npy(
      [n, 4],
      Float32Array.from({ length: n * 4 }, (_, j) => labels[j >> 2] + (j % 4) * 0.1),
      '<f4',
    ),
  );
  writeFileSync(
    join(dir, 'right.npy'),
    npy(
      [n, 2, 3],
      Float32Array.from({ length: n * 6 }, (_, j) => labels[Math.floor(j / 6)] * 2 - (j % 6) * 0.05),
      '<f4',
    ),
  );
  await openLab(page, '?backend=wasm', '#epochs=1');
  await page.getByTestId('upload-folder').setInputFiles(dir);
  await expectDataset(page, 'arrays', 90);
  await expect(page.getByTestId('dataset-summary')).toContainText('modality right: image, shape [2 × 3]');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
});
