import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
  const counts = (await page.getByTestId('split-counts').textContent()) ?? '';
  const [train, val, test] = [...counts.matchAll(/(\d+)/g)].map((m) => Number(m[1]));
  expect(train + val + test).toBe(total);
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
  await page.getByTestId('use-view2_kar').check();
  await expect(page.getByTestId('dataset-summary')).toContainText('modality view2_kar');
  await page.getByTestId('use-view0_fou').uncheck();
  await expect(page.getByTestId('dataset-summary')).not.toContainText('modality view0_fou');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
});
