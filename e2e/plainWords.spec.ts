import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('the backend chip says which backend and why in a few words, the details on hover', async ({ page }) => {
  await openLab(page);
  const phrase = page.getByTestId('backend-phrase');
  await expect(page.getByTestId('backend-chip')).not.toHaveText('starting…');
  const text = (await phrase.textContent()) ?? '';
  expect(text.length).toBeLessThanOrEqual(45);
  expect(text).not.toMatch(/swiftshader|emulated|convolution/i);
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toBeHidden();
  await page.locator('.backend-summary').hover();
  await expect(reason).toBeVisible();
  await expect(reason).toContainText(/auto: \w+/);
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect(phrase).toHaveText('your choice');
});

test('controls are enabled only when they can act, and the status says done when done', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=3');
  await expect(page.getByTestId('export-model')).toBeDisabled();
  await expect(page.getByTestId('export-everything')).toBeDisabled();
  await expect(page.getByTestId('export-csv')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Reset', exact: true })).toBeDisabled();
  await expect(page.getByTestId('phase')).toHaveText('not started');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('phase')).toHaveText('done');
  await expect(page.getByTestId('export-model')).toBeEnabled();
  await expect(page.getByTestId('export-everything')).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Reset', exact: true })).toBeEnabled();
  await expect(page.getByTestId('on-display')).toContainText('jt on toy-2d, seed 1, trained here for 3 epochs');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(page.getByRole('button', { name: 'Reset', exact: true })).toBeDisabled();
  await expect(page.getByTestId('export-model')).toBeDisabled();
});

test('no doubled words anywhere on the page, class names included', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('attack-sample-view')).toContainText('(class ');
  await expect(page.getByTestId('boundary-sample-info')).toContainText('class ');
  const text = await page.evaluate(() => document.body.innerText);
  const doubled = [...text.matchAll(/\b([A-Za-z]{2,}) \1\b/g)].map((m) => m[0]);
  expect(doubled).toEqual([]);
});
