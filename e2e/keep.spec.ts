import { expect, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { DEFAULT_CONFIG } from '../src/core/config';
import { featureSize, gatherRows, splitIndices } from '../src/core/data/dataset';
import { prepareDataset } from '../src/core/data/prepare';
import { importModel } from '../src/core/io/exportModel';
import { accuracy, collectOutputs } from '../src/core/robust/modelOutputs';
import { uploadSplit } from '../src/core/train/trainer';
import { numberOf, openLab, watchPage } from './helpers';

test('the trained model downloads as a ZIP that rebuilds the same model outside the page', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const pageAccuracy = await numberOf(page, 'val-acc');
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  expect(zip.suggestedFilename()).toBe('toy-2d-crmt-jt-seed1.zip');
  const entries = unzipSync(new Uint8Array(readFileSync(await zip.path())));
  const files = Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.split('/').pop()!, v]));
  expect(Object.keys(files).sort()).toEqual([
    'README.txt',
    'config.json',
    'crmt_lab_model.py',
    'lab-weights.bin',
    'lab-weights.json',
    'model.json',
    'model.onnx',
    'model.safetensors',
    'model.weights.bin',
  ]);

  // Rebuild it in Node (CPU backend) on the same generated data: the validation accuracy the page showed.
  await tf.setBackend('cpu');
  const { model, config } = importModel(files);
  expect(config.method).toBe('crmt-jt');
  const val = uploadSplit(prepareDataset({ ...DEFAULT_CONFIG }).data, 'val');
  const out = await collectOutputs(model, val.x);
  expect(accuracy(out.logits, await val.y.data(), out.K)).toBeCloseTo(pageAccuracy, 2);
  model.dispose();

  // The page's model.onnx (written in the worker, on WASM) gives the same logits on raw inputs.
  const raw = prepareDataset({ ...DEFAULT_CONFIG }).raw;
  const rows = splitIndices(raw, 'val');
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(files['model.onnx']);
  const feeds = Object.fromEntries(
    session.inputNames.map((name, m) => {
      const f = featureSize(raw.modalities[m]);
      return [name, new ort.Tensor('float32', gatherRows(raw.features[m], f, rows), [rows.length, f])];
    }),
  );
  const onnx = (await session.run(feeds)).logits.data as Float32Array;
  expect(onnx.length).toBe(out.logits.length);
  expect(Math.max(...onnx.map((v, i) => Math.abs(v - out.logits[i])))).toBeLessThan(1e-5);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toMatch(/^run_epoch,phase,phase_epoch,train_loss/);
  expect(lines.length).toBe(1 + 3 + 1); // header, 3 epochs of step 1, 1 of step 2
});

test('a config URL opened in a fresh page reproduces the same run; a downloaded config JSON loads it back', async ({
  browser,
}) => {
  const hash = '#method=crmt-jt&epochs=3&seed=5&rho=1&s2tau=certified&noiseB=0.8';
  const run = async (page: import('@playwright/test').Page) => {
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByTestId('run-state')).toHaveText('done');
    return numberOf(page, 'val-loss');
  };
  const first = await browser.newPage();
  await openLab(first, '?backend=wasm', hash);
  await expect(first.getByTestId('setting-rho')).toHaveValue('1');
  // The old word for the sound bound still reads, as `sound`.
  await expect(first.getByTestId('setting-s2tau')).toHaveValue('sound');
  const loss = await run(first);
  const [file] = await Promise.all([first.waitForEvent('download'), first.getByTestId('export-config').click()]);
  const configPath = await file.path();

  const second = await browser.newPage();
  await openLab(second, '?backend=wasm', hash);
  expect(await run(second)).toBe(loss);

  const third = await browser.newPage();
  await openLab(third, '?backend=wasm');
  await third.getByTestId('load-config').setInputFiles(configPath);
  await expect(third.getByTestId('setting-rho')).toHaveValue('1');
  await expect(third).toHaveURL(/method=crmt-jt/);
  await expect(third).toHaveURL(/noiseB=0.8/);
  expect(await run(third)).toBe(loss);

  await third
    .getByTestId('load-config')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{nope') });
  await expect(third.getByTestId('config-error')).toContainText('bad.json: The config file is not valid JSON');
  await expect(third.getByTestId('setting-rho')).toHaveValue('1');
});

test('an exported model loads back into the page with the same predictions; a mismatched one is refused', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toBeVisible();
  const trained = await page.getByTestId('robust-acc').getAttribute('data-clean');
  const robust = await page.getByTestId('robust-acc').getAttribute('data-value');
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  const zipPath = await zip.path();

  // Back to fresh weights: the numbers change…
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('robust-acc')).not.toHaveAttribute('data-clean', trained!);
  // …and loading the model brings them back exactly.
  await page
    .getByTestId('load-model')
    .setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: readFileSync(zipPath) });
  await expect(page.getByTestId('robust-acc')).toHaveAttribute('data-clean', trained!);
  await expect(page.getByTestId('robust-acc')).toHaveAttribute('data-value', robust!);

  await page.getByTestId('dataset-select').selectOption('audioVisual');
  await expect(page.getByTestId('dataset-name')).toHaveText('audio-visual');
  await page
    .getByTestId('load-model')
    .setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: readFileSync(zipPath) });
  await expect(page.getByTestId('model-error')).toContainText(
    'the model was trained on A [2], B [2] but the data has image [16×16], audio [16×16]. The current model is unchanged.',
  );
  await page
    .getByTestId('load-model')
    .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await expect(page.getByTestId('model-error')).toContainText('config.json is not a CRMT Lab model');
});

test('Load model with a text file named .zip says which file is not a ZIP, and the lab keeps working', async ({
  page,
}) => {
  const watch = watchPage(page);
  await openLab(page, '?backend=wasm', '#epochs=3');
  await page
    .getByTestId('load-model')
    .setInputFiles({ name: 'x.zip', mimeType: 'application/zip', buffer: Buffer.from('notes, not an archive') });
  await expect(page.getByTestId('model-error')).toContainText('Model refused: x.zip is not a readable ZIP archive');
  await expect(page.getByTestId('model-error')).toContainText('The current model is unchanged.');
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  // Start still trains the model that was there.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('export-csv')).toBeEnabled();
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
  expect(watch.errors).toEqual([]);
});
