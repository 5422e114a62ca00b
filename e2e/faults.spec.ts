import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InjectedFault } from '../src/worker/faultInjection';
import { openLab } from './helpers';

/**
 * Failure containment (issue 15): whatever fails, the page says what failed and gets back to
 * what it had — data, the model on display, the runs, the settings — with every control working.
 * Faults are injected through the test-only hook of a page opened with ?faults.
 */

const inject = (page: Page, fault: InjectedFault) =>
  page.evaluate(
    (f) => (window as unknown as { __crmtFaults: { inject(f: unknown): void } }).__crmtFaults.inject(f),
    fault,
  );
const epochsIn = (text: string | null) => Number(/(\d+) epochs?/.exec(text ?? '')?.[1] ?? NaN);

/** The model on display as Download model gives it: file name → bytes. */
async function downloadModel(page: Page): Promise<Record<string, Uint8Array>> {
  await expect(page.getByTestId('export-model')).toBeEnabled();
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  const files = unzipSync(readFileSync(await d.path()));
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k.split('/').pop()!, v]));
}

/**
 * Every control works again. With only the fresh seeded model on display, Reset and Download model
 * have nothing to act on and stay disabled, as on a page just opened (issue 14: controls enabled
 * only when they can act).
 */
async function expectControlsUsable(page: Page, start: 'Start' | 'Resume' | 'Train again', fresh = false) {
  await expect(page.getByRole('button', { name: start, exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeEnabled();
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  await (fresh ? expect(reset).toBeDisabled() : expect(reset).toBeEnabled());
  await (fresh
    ? expect(page.getByTestId('export-model')).toBeDisabled()
    : expect(page.getByTestId('export-model')).toBeEnabled());
}

test('a kernel that throws mid-run: the page says so, and the run goes on from its last stored epoch under its own id', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm&faults', '#epochs=400');
  await page.getByRole('button', { name: 'Start' }).click();
  const status = page.getByTestId('run-status-1');
  await expect(status).toContainText(/training · ([3-9]|\d\d+) epochs/);
  await inject(page, { kind: 'kernel', after: 40, error: 'throw' });
  const fault = page.getByTestId('fault');
  await expect(fault).toContainText('Training failed (BatchMatMul failed (injected))');
  await expect(fault).toContainText('The training worker was restarted: run #1 goes on from its last stored epoch.');
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(status).toContainText(/paused · \d+ epochs/);
  const kept = epochsIn(await status.textContent());
  expect(kept).toBeGreaterThanOrEqual(3);
  await expectControlsUsable(page, 'Resume');
  // Every file an export writes (the lab's own weights, safetensors, the Layers model, ONNX, PyTorch).
  expect(Object.keys(await downloadModel(page)).sort()).toEqual([
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

  // Resume trains the same run on: no second run appears.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(fault).toHaveCount(0);
  await expect.poll(async () => epochsIn(await status.textContent())).toBeGreaterThan(kept + 2);
  await expect(status).toContainText('training');
  await expect(page.getByTestId('stored-run-2')).toHaveCount(0);
  // Reset records it as stopped where it was, not as still training.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(status).toContainText(/stopped after \d+ epochs/);
});

test('memory that runs out in a training step: the page recovers the fresh model and trains it', async ({ page }) => {
  await openLab(page, '?backend=wasm&faults', '#epochs=2');
  // The fresh model's views are drawn first (the boundaries run the same kernel): the fault is for the step.
  await expect(page.getByTestId('boundary-sample-info')).toBeAttached();
  await inject(page, { kind: 'kernel', after: 3, error: 'oom' });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('fault')).toContainText(
    'The training step failed (RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded (injected))',
  );
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expectControlsUsable(page, 'Start', true);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('run-status-1')).toContainText('done · 2 epochs');
  // Nothing was trained before: the run started from the seeded initial weights, so training again
  // from them (Train again rebuilds the model from the seed) ends at the very same weights.
  const recovered = await downloadModel(page);
  await page.getByRole('button', { name: 'Train again', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('run-status-2')).toContainText('done · 2 epochs');
  expect((await downloadModel(page))['model.safetensors']).toEqual(recovered['model.safetensors']);
});

test('a worker that closes itself: the finished run and its exact weights are back', async ({ page }) => {
  await openLab(page, '?backend=wasm&faults', '#epochs=3');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const before = await downloadModel(page);
  await inject(page, { kind: 'close' });
  await expect(page.getByTestId('fault')).toContainText('The training worker stopped without a word');
  await expect(page.getByTestId('fault')).toContainText('run #1 goes on from its last stored epoch');
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('run-status-1')).toContainText('done · 3 epochs · on display');
  await expectControlsUsable(page, 'Train again');
  const after = await downloadModel(page);
  expect(after['model.safetensors']).toEqual(before['model.safetensors']);
  expect(after['lab-weights.bin']).toBeDefined();
  expect(after['lab-weights.bin']).toEqual(before['lab-weights.bin']);
});

test('an error nothing catches, with an imported model on display: the imported model is back', async ({ page }) => {
  await openLab(page, '?backend=wasm&faults', '#epochs=1');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  const imported = await downloadModel(page);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await page
    .getByTestId('load-model')
    .setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: readFileSync(await zip.path()) });
  await expect
    .poll(async () => (await downloadModel(page))['model.safetensors'])
    .toEqual(imported['model.safetensors']);
  await inject(page, { kind: 'uncaught' });
  await expect(page.getByTestId('fault')).toContainText('an uncaught error in the training worker (injected)');
  await expect(page.getByTestId('fault')).toContainText('the imported model is back');
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  expect((await downloadModel(page))['model.safetensors']).toEqual(imported['model.safetensors']);
  await expectControlsUsable(page, 'Start');
});

test('an image decode that cannot allocate refuses the upload and keeps the dataset; training still works', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm&faults', '#epochs=1');
  await inject(page, { kind: 'decode' });
  await page.getByTestId('upload-folder').setInputFiles(resolve('tests/fixtures/good/media'));
  await expect(page.getByTestId('data-error')).toContainText(
    'Upload refused: day/0.png cannot be decoded as an image (Array buffer allocation failed (injected)). The current dataset is unchanged.',
  );
  await expect(page.getByTestId('dataset-name')).toHaveText('toy-2d');
  await expect(page.getByTestId('fault')).toHaveCount(0);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  // The same upload, read again without the fault, is taken.
  await page.getByTestId('upload-folder').setInputFiles(resolve('tests/fixtures/good/media'));
  await expect(page.getByTestId('dataset-name')).toHaveText('media');
});

test('a worker that keeps failing is left stopped with the reason; Reset starts a fresh one', async ({ page }) => {
  await openLab(page, '?backend=wasm&faults');
  for (let i = 1; i <= 4; i++) {
    await expect(page.getByTestId('run-state')).toHaveText('idle');
    await inject(page, { kind: 'close' });
    await expect(page.getByTestId('run-state')).not.toHaveText('idle');
  }
  await expect(page.getByTestId('run-state')).toHaveText('failed');
  await expect(page.getByTestId('fault')).toContainText('failed 4 times within a minute, so it was not started again');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status-1')).toContainText('training');
});

test('Reset, new settings and new data record the run they leave as stopped at its epoch', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=1000');
  const pause = async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('run-state')).toHaveText('paused');
  };
  // Reset works while training; the settings and the dataset can be changed once it is paused.
  const leave = [
    async () => page.getByRole('button', { name: 'Reset', exact: true }).click(),
    async () => (await pause(), page.getByTestId('method-select').selectOption('crmt-jt')),
    async () => (await pause(), page.getByTestId('dataset-select').selectOption('audioVisual')),
  ];
  for (const [i, act] of leave.entries()) {
    const status = page.getByTestId(`run-status-${i + 1}`);
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(status).toContainText(/training · ([2-9]|\d\d+) epochs/);
    await act();
    await expect(page.getByTestId('run-state')).toHaveText('idle');
    await expect(status).toContainText(/^stopped after \d+ epochs/);
    const epochs = epochsIn(await status.textContent());
    await page.reload();
    await expect(page.getByTestId('run-state')).toHaveText('idle');
    await expect(status).toContainText(`stopped after ${epochs} epochs`);
  }
});

test('a backend switch mid-run goes on with the same run on the new backend, curves kept', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=400');
  await page.getByRole('button', { name: 'Start' }).click();
  const status = page.getByTestId('run-status-1');
  await expect(status).toContainText(/training · ([3-9]|\d\d+) epochs/);
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-backend', 'cpu');
  const switched = epochsIn(await status.textContent());
  // Training goes on: the same run gains epochs, and no other run appears.
  await expect(page.getByTestId('run-state')).toHaveText('training');
  await expect.poll(async () => epochsIn(await status.textContent())).toBeGreaterThan(switched);
  await expect(status).toContainText('training');
  await expect(status).not.toContainText('interrupted');
  await expect(page.getByTestId('stored-run-2')).toHaveCount(0);
  // The view did not go back to epoch 0: the metrics on display start at the run's first epoch.
  await page.getByRole('button', { name: 'Pause' }).click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const rows = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  expect(rows.length).toBeGreaterThan(switched);
  expect(rows.map((r) => Number(r.split(',')[0]))).toEqual(rows.map((_, i) => i + 1));
});
