import { expect, test } from '@playwright/test';
import { numberOf, openLab, watchPage } from './helpers';

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
  await expect(page.getByTestId('learning-curves').locator('.recharts-line')).toHaveCount(6);
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

test('the backend control forces a backend and the chip says so', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-reason')).toContainText('forced by the user');
  await expect(page).toHaveURL(/\?backend=cpu/);
});
