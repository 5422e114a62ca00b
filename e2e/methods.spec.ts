import { expect, test } from '@playwright/test';
import { numberOf, openLab } from './helpers';

test('crmt-jt runs step 1, Lipschitz estimation and step 2 in order', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=60');
  await expect(page.getByTestId('method-select')).toHaveValue('crmt-jt');
  for (const p of ['step1', 'lipschitz', 'step2'])
    await expect(page.getByTestId(`phase-${p}`)).toHaveAttribute('data-state', 'pending');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('phase-step1')).toHaveAttribute('data-state', 'current');
  await expect(page.getByTestId('phase-lipschitz')).toHaveAttribute('data-state', 'pending');
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  for (const p of ['step1', 'lipschitz', 'step2'])
    await expect(page.getByTestId(`phase-${p}`)).toHaveAttribute('data-state', 'done');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.8);
});

test('choosing a method reloads the experiment and records it in the URL', async ({ page }) => {
  await openLab(page, '?backend=cpu');
  await page.getByTestId('method-select').selectOption('umt');
  await expect(page).toHaveURL(/#.*method=umt/);
  await expect(page.getByTestId('phase-teachers')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
});
