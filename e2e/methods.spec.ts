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

test('the settings panel shows only what applies to the method, with defaults and help, and Apply reloads', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm');
  await expect(page.getByTestId('setting-rho')).toHaveCount(0);
  await expect(page.getByTestId('setting-atEps')).toHaveCount(0);
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.01');
  await expect(page.locator('.setting', { has: page.getByTestId('setting-lr') })).toContainText(
    "Adam's learning rate in the main phase. Default: 0.01.",
  );
  await page.getByTestId('method-select').selectOption('crmt-jt');
  await expect(page.getByTestId('setting-rho')).toHaveValue('2');
  await expect(page.getByTestId('setting-s2tau')).toHaveValue('estimated');
  await expect(page.getByTestId('setting-atEps')).toHaveCount(0);
  await page.getByTestId('method-select').selectOption('crmt-at');
  await expect(page.getByTestId('setting-atEps')).toHaveValue('0.1');
  await page.getByTestId('setting-epochs').fill('1001');
  await expect(page.getByTestId('settings-error')).toContainText('Epochs: 1001 is above the maximum 1000');
  await expect(page.getByTestId('setting-epochs-error')).toHaveText('1001 is above the maximum 1000');
  await expect(page.getByTestId('apply-settings')).toBeDisabled();
  await page.getByTestId('setting-epochs').fill('3');
  await expect(page.getByTestId('settings-error')).toHaveCount(0);
  await page.getByTestId('setting-s2epochs').fill('2');
  await page.getByTestId('apply-settings').click();
  await expect(page.getByTestId('phase-step1')).toContainText('(3 epochs)');
  await expect(page.getByTestId('phase-step2')).toContainText('(2 epochs)');
  await expect(page).toHaveURL(/epochs=3/);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
});
