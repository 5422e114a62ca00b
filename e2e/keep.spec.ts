import { expect, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../src/core/config';
import { prepareDataset } from '../src/core/data/prepare';
import { importModel } from '../src/core/io/exportModel';
import { accuracy, collectOutputs } from '../src/core/robust/modelOutputs';
import { uploadSplit } from '../src/core/train/trainer';
import { numberOf, openLab } from './helpers';

test('the trained model downloads as a ZIP that rebuilds the same model outside the page', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const pageAccuracy = await numberOf(page, 'val-acc');
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  expect(zip.suggestedFilename()).toBe('toy-2d-crmt-jt-seed1.zip');
  const entries = unzipSync(new Uint8Array(readFileSync(await zip.path())));
  const files = Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.split('/').pop()!, v]));
  expect(Object.keys(files).sort()).toEqual(['config.json', 'model.json', 'model.safetensors', 'weights.bin']);

  // Rebuild it in Node (CPU backend) on the same generated data: the validation accuracy the page showed.
  await tf.setBackend('cpu');
  const { model, config } = importModel(files);
  expect(config.method).toBe('crmt-jt');
  const val = uploadSplit(prepareDataset({ ...DEFAULT_CONFIG }).data, 'val');
  const out = await collectOutputs(model, val.x);
  expect(accuracy(out.logits, await val.y.data(), out.K)).toBeCloseTo(pageAccuracy, 2);
  model.dispose();

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toMatch(/^run_epoch,phase,phase_epoch,train_loss/);
  expect(lines.length).toBe(1 + 3 + 1); // header, 3 epochs of step 1, 1 of step 2
});
