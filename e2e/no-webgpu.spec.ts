import { expect, test } from '@playwright/test';
import { numberOf, openLab } from './helpers';

// Runs in the project whose Chromium starts without WebGPU (see playwright.config.ts).
test('without WebGPU auto times the other backends, says why WebGPU is missing, and still trains', async ({ page }) => {
  await openLab(page, '', '#epochs=1');
  const chip = page.getByTestId('backend-chip');
  await expect(chip).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(chip).not.toHaveAttribute('data-backend', '');
  await expect(page.getByTestId('backend-reason')).toContainText(/^auto: \w+ was .* on this model \(/);
  await expect(page.getByTestId('backend-reason')).not.toContainText('webgpu');
  // The hover text keeps why WebGPU was not used.
  await expect(chip).toHaveAttribute('title', /^webgpu: .*(WebGPU|navigator\.gpu)/m);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  expect(await numberOf(page, 'val-acc')).toBeGreaterThan(0.5);
});

test('forcing webgpu where it is missing falls back instead of failing', async ({ page }) => {
  await openLab(page, '?backend=webgpu');
  await expect(page.getByTestId('backend-chip')).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('backend-reason')).toContainText(/webgpu: .*(WebGPU|navigator\.gpu)/);
});
