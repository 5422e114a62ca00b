import { expect, test } from '@playwright/test';
import { numberOf, openLab } from './helpers';

test('Start runs the settings the panel shows: an edit is flagged, said, and starts a new run with it', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=30');
  await page.getByTestId('setting-epochs').fill('3');
  // Said at the field and at Start, before anything runs.
  await expect(page.getByTestId('setting-epochs-changed')).toBeVisible();
  await expect(page.getByTestId('pending-note')).toContainText('Not applied yet: Epochs');
  await expect(page.getByTestId('start')).toHaveText('Start with the new settings');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 0 / 30');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  // It trained what the field said: 3 epochs, not 30, and the field and URL now agree.
  await expect(page.getByTestId('epoch')).toHaveText('epoch 3 / 3');
  await expect(page.getByTestId('learning-curves')).toHaveAttribute('data-summary', /\S/);
  await expect(page.getByTestId('setting-epochs')).toHaveValue('3');
  await expect(page.getByTestId('pending-note')).toHaveCount(0);
  await expect(page).toHaveURL(/epochs=3/);

  // Edited while paused: Resume would run the old settings, so Start offers a new run instead.
  await page.getByTestId('setting-lr').fill('0,005');
  await expect(page.getByTestId('setting-lr-meaning')).toHaveText('read as 0.005');
  await expect(page.getByTestId('start')).toHaveText('Start with the new settings');
  await page.getByRole('button', { name: 'Revert' }).first().click();
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.01');
  await expect(page.getByTestId('start')).toHaveText('Train again');
});

test('widths, decimals and exponents are typed as people type them, and the field says what it read', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=1');
  const widths = page.getByTestId('setting-hidden');
  await widths.fill('');
  await widths.pressSequentially('32-16');
  await expect(widths).toHaveValue('32-16');
  await expect(page.getByTestId('setting-hidden-meaning')).toHaveText('2 layers: 32 → 16');
  for (const typed of ['32,16', '32 16']) {
    await widths.fill('');
    await widths.pressSequentially(typed);
    await expect(page.getByTestId('setting-hidden-meaning')).toHaveText('2 layers: 32 → 16');
  }
  const lr = page.getByTestId('setting-lr');
  await lr.fill('');
  await lr.pressSequentially('1e-3');
  await expect(page.getByTestId('setting-lr-meaning')).toHaveText('read as 0.001');
  await lr.fill('0,05');
  await expect(page.getByTestId('setting-lr-meaning')).toHaveText('read as 0.05');
  await page.getByTestId('toy-noiseB').fill('0,8');
  await expect(page.getByTestId('toy-noiseB-changed')).toBeAttached();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page).toHaveURL(/hidden=32-16/);
  await expect(page).toHaveURL(/noiseB=0.8/);
  await expect(page).toHaveURL(/lr=0.05/);
});

test('a value that does not read blocks Start, with the reason at the field and a link to it', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await page.getByTestId('setting-epochs').fill('2x');
  await expect(page.getByTestId('setting-epochs-error')).toHaveText('"2x" is not a number');
  await expect(page.getByTestId('start')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Step' })).toBeDisabled();
  const blocked = page.getByTestId('start-blocked');
  await expect(blocked).toContainText('Start is blocked until Epochs: "2x" is not a number');
  await blocked.getByRole('link', { name: 'Epochs' }).click();
  await expect(page.getByTestId('setting-epochs')).toBeFocused();
  // The hash still holds the experiment.
  await expect(page).toHaveURL(/epochs=2/);
  await page.getByTestId('setting-lr').fill('1,500');
  await expect(page.getByTestId('setting-lr-error')).toContainText('could mean 1.500 or 1500');
  await page.getByTestId('setting-lr').fill('0.02');
  await page.getByTestId('setting-epochs').fill('2');
  await expect(page.getByTestId('start')).toBeEnabled();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('epoch')).toHaveText('epoch 2 / 2');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
});
