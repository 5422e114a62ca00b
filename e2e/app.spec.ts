import { expect, test, type Page } from '@playwright/test';
import { numberOf, openLab, watchPage } from './helpers';

/** The chip's hover text, one line per backend: its measured rate, why it was not timed, or why it does not work. */
async function backendLines(page: Page): Promise<Record<string, string>> {
  const title = (await page.getByTestId('backend-chip').getAttribute('title')) ?? '';
  return Object.fromEntries(title.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
}

const rateOf = (line: string | undefined) => Number(/^(\d+(?:\.\d+)?) steps\/s over \d+ steps/.exec(line ?? '')?.[1]);

test('opens on the built-in dataset with no console errors and no request off the origin', async ({ page }) => {
  const watch = watchPage(page);
  await openLab(page);
  await expect(page.getByTestId('dataset-summary')).toContainText('toy-2d');
  await expect(page.getByTestId('dataset-summary')).toContainText('modality A');
  await expect(page.getByTestId('backend-chip')).not.toHaveText('starting…');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  // Train briefly so the worker, its backend and the WASM binaries are all exercised.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('loss')).not.toHaveText('—');
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('training a few epochs updates epoch, loss and accuracy', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=4');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 0 / 4');
  await expect(page.getByTestId('val-acc')).toHaveText('—');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 4 / 4');
  // Untrained, the loss sits near ln 4 ≈ 1.386 (uniform over four classes).
  expect(await numberOf(page, 'val-loss')).toBeLessThan(0.8);
  expect(await numberOf(page, 'loss')).toBeLessThan(0.8);
  // Four classes: chance is 25%; the clean modality alone separates them well.
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.6);
  await expect(page.getByTestId('val-acc')).toHaveText(/^\d+\.\d%$/);
  // Train and val loss and accuracy, and each branch's validation accuracy.
  await expect(page.getByTestId('learning-curves').locator('path.recharts-line-curve')).toHaveCount(6);
});

test('pause stops training, resume continues, step trains one batch, reset starts over', async ({ page }) => {
  // Many epochs so the run is still going when we pause it.
  await openLab(page, '?backend=cpu', '#epochs=500');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('epoch')).not.toHaveText('epoch 0 / 500');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const pausedAt = await page.getByTestId('epoch').textContent();
  const step = () => numberOf(page, 'step');
  const s0 = await step();
  expect(s0).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  expect(await step()).toBe(s0);
  expect(await page.getByTestId('epoch').textContent()).toBe(pausedAt);

  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(step).toBe(s0 + 1);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(step).toBeGreaterThan(s0 + 1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 0 / 500');
  expect(await step()).toBe(0);
  await expect(page.getByTestId('loss')).toHaveText('—');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
});

test('auto times the usable backends on the model, trains on the fastest and shows the numbers', async ({ page }) => {
  await openLab(page);
  const chip = page.getByTestId('backend-chip');
  await expect(chip).not.toHaveAttribute('data-backend', '');
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toContainText(
    /^auto: \w+ was (fastest|within 5% of the fastest) on this model( and comes first in the preference order)? \(\w+ [\d.]+ steps\/s/,
  );
  const lines = await backendLines(page);
  // Every backend is accounted for.
  expect(Object.keys(lines).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  // WASM and CPU run the default MLP here; this machine's WebGPU and WebGL are SwiftShader, which
  // auto does not time (a real GPU would show a rate).
  for (const b of ['wasm', 'cpu']) expect(rateOf(lines[b])).toBeGreaterThan(0);
  for (const b of ['webgpu', 'webgl'])
    expect(lines[b]).toMatch(/^(\d+(\.\d+)? steps\/s|not timed \(software-emulated GPU \(swiftshader\))/);
  const rates = Object.values(lines).map(rateOf).filter(Number.isFinite);
  const chosen = (await chip.getAttribute('data-backend'))!;
  // The fastest, or within the 5% tie band of it (rates shown rounded).
  expect(rateOf(lines[chosen])).toBeGreaterThanOrEqual(Math.max(...rates) * 0.95 - 1);
  await expect(reason).toContainText(`${chosen} ${lines[chosen].split(' ')[0]}`);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('loss')).not.toHaveText('—');
});

test('auto re-times when the model gains convolutions, WASM among the timed, and goes back', async ({ page }) => {
  await openLab(page, '', '#data=audioVisual&avSamples=300');
  const chip = page.getByTestId('backend-chip');
  await expect(chip).not.toHaveAttribute('data-backend', '');
  const mlpPick = (await chip.getAttribute('data-backend'))!;
  const mlpReason = (await page.getByTestId('backend-reason').textContent())!;
  await page.getByTestId('setting-encoder').selectOption('cnn-for-images');
  await page.getByTestId('apply-settings').click();
  // The lab registers WASM's missing convolution gradient: WASM is timed on the CNN with a rate.
  await expect(page.getByTestId('backend-reason')).not.toHaveText(mlpReason);
  await expect(page.getByTestId('backend-reason')).toContainText(/wasm \d+(\.\d+)?/);
  await expect(page.getByTestId('backend-reason')).not.toContainText('cannot train convolutions');
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('loss')).not.toHaveText('—', { timeout: 60_000 });
  expect(await numberOf(page, 'loss')).toBeGreaterThan(0);
  // Back to the MLP: the pick timed for it before, without timing again.
  await page.getByTestId('setting-encoder').selectOption('mlp');
  await page.getByTestId('apply-settings').click();
  await expect(chip).toHaveAttribute('data-backend', mlpPick);
  await expect(page.getByTestId('backend-reason')).toHaveText(mlpReason);
});

test('a forced WASM trains the CNN encoders in the worker', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#data=audioVisual&avSamples=300&epochs=1');
  const chip = page.getByTestId('backend-chip');
  await page.getByTestId('setting-encoder').selectOption('cnn-for-images');
  await page.getByTestId('apply-settings').click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(chip).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend-reason')).toHaveText(/forced by the user \(wasm\)/);
  await expect(chip).not.toContainText('cannot train convolutions');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('loss')).not.toHaveText('—', { timeout: 30_000 });
  expect(await numberOf(page, 'loss')).toBeGreaterThan(0);
  await expect(chip).toHaveAttribute('data-backend', 'wasm');
});

test('the backend control forces a backend and the chip says so', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-reason')).toContainText('forced by the user');
  await expect(page).toHaveURL(/\?backend=cpu/);
  // Forcing WebGPU gives WebGPU (here SwiftShader, which auto would not pick).
  await page.getByTestId('backend-select').selectOption('webgpu');
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('backend-reason')).toContainText('forced by the user (webgpu)');
});
