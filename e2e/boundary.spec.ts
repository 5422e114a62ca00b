import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('2-D toy: branch and fused regions per modality, with certified radii as circles and the attack as an arrow', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=8');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  for (const m of ['A', 'B']) {
    await expect(page.getByTestId(`plane-branch-${m}`)).toBeVisible();
    const fused = page.getByTestId(`plane-fused-${m}`);
    await expect(fused).toBeVisible();
    // The panel redraws once the trained model is in: wait for it.
    await expect.poll(async () => Number(await fused.getAttribute('data-circles'))).toBeGreaterThan(100);
    const [x0, y0, x1, y1] = ((await fused.getAttribute('data-arrow')) ?? '').split(',').map(Number);
    // A PGD step of ε = 0.5 on this modality only: the arrow has (about) that length.
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeGreaterThan(0.3);
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeLessThanOrEqual(0.5 + 1e-3);
  }
  await expect(page.getByTestId('chart-margin-plane')).toHaveAttribute('data-summary', /certified:[1-9]/);
  const summary = (await page.getByTestId('chart-margin-plane').getAttribute('data-summary')) ?? '';
  const counts = Object.fromEntries(
    summary
      .split(' ')
      .map((s) => s.split(':'))
      .map(([k, v]) => [k, Number(v)]),
  );
  expect(counts.certified + counts.correct + counts.wrong).toBe(180);
  expect(counts.certified).toBeGreaterThan(0);
  await expect(page.getByTestId('slice-canvas')).toBeVisible();
  // Another sample, another picture.
  await page.getByTestId('boundary-sample').fill('7');
  await expect(page.getByTestId('boundary-sample-info')).toContainText('Sample 7');
  await page.getByTestId('boundary-planes').screenshot({ path: 'test-results/screenshots/decision-regions.png' });
});

test('high-dimensional inputs get the margin plane and the attack slice, not planes', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await page.getByTestId('dataset-select').selectOption('audioVisual');
  await expect(page.getByTestId('dataset-name')).toHaveText('audio-visual');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('slice-canvas')).toBeVisible();
  await expect(page.getByTestId('chart-margin-plane')).toBeVisible();
  await expect(page.getByTestId('boundary-planes')).toHaveCount(0);
  await page.getByTestId('boundary-slice').screenshot({ path: 'test-results/screenshots/attack-slice.png' });
});
