import { expect, test, type Page } from '@playwright/test';
import { openLab } from './helpers';

const CHARTS = ['learning-curves', 'chart-margins', 'chart-integration', 'chart-radii', 'chart-certified'];
const summary = (page: Page, id: string) => page.getByTestId(id).getAttribute('data-summary');

test('the live charts appear and change as crmt-jt trains on the toy', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=40');
  for (const id of CHARTS) await expect(page.getByTestId(id).locator('.empty')).toBeVisible();
  await page.getByRole('button', { name: 'Step' }).click();
  // Train one epoch by hand, read every chart, then let the run finish and read them again.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('epoch')).not.toHaveText(/^epoch 0 /);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const early = await Promise.all(CHARTS.slice(1).map((id) => summary(page, id)));
  for (const id of CHARTS) await expect(page.getByTestId(id).locator('.recharts-surface').first()).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  const late = await Promise.all(CHARTS.slice(1).map((id) => summary(page, id)));
  late.forEach((s, i) => {
    expect(s).not.toBe('');
    expect(s, CHARTS[i + 1]).not.toBe(early[i]);
  });
  await expect(page.getByTestId('chart-certified')).toContainText('Solid: sound — a guarantee');
  await page.screenshot({ path: 'test-results/screenshots/charts-crmt-jt.png', fullPage: true });
});

test('a joint-head method says it has no integration weights', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=1');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('chart-integration')).toContainText('This method has a joint head');
  await expect(page.getByTestId('chart-radii').locator('.recharts-surface')).toBeVisible();
});
