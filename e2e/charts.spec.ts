import { readFileSync } from 'node:fs';
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
  for (const id of CHARTS)
    await expect(page.getByTestId(id).locator('.plot svg.recharts-surface').first()).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  const late = await Promise.all(CHARTS.slice(1).map((id) => summary(page, id)));
  late.forEach((s, i) => {
    expect(s).not.toBe('');
    expect(s, CHARTS[i + 1]).not.toBe(early[i]);
  });
  await expect(page.getByTestId('chart-certified')).toContainText('Solid: sound — a guarantee');
  // Smoothing (TensorBoard's debiased EMA) keeps the raw curves as faint lines underneath: 6 → 12.
  const curves = page.getByTestId('learning-curves').locator('path.recharts-line-curve');
  await expect(curves).toHaveCount(6);
  await page.getByTestId('smoothing').fill('0.9');
  await expect(page.getByTestId('learning-curves').locator('output')).toHaveText('0.900');
  await expect(curves).toHaveCount(12);
  await expect(
    page.getByTestId('learning-curves').locator('path.recharts-line-curve[stroke-opacity="0.25"]'),
  ).toHaveCount(6);
  await page.screenshot({ path: 'test-results/screenshots/charts-crmt-jt.png', fullPage: true });
});

test('a joint-head method says it has no integration weights', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=1');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('chart-integration')).toContainText('This method has a joint head');
  await expect(page.getByTestId('chart-radii').locator('.plot svg.recharts-surface')).toBeVisible();
});

test('jt then crmt-jt: both runs are kept, and overlaying them shows both in the charts and the table', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=6');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('method-select').selectOption('crmt-jt');
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('run-1').check();
  await page.getByTestId('run-2').check();
  await expect(page.getByTestId('run-row-1')).toContainText('#1 jt · toy-2d · seed 1');
  await expect(page.getByTestId('run-row-2')).toContainText('#2 crmt-jt · toy-2d · seed 1');
  for (const id of ['chart-runs-accuracy', 'chart-runs-certified']) {
    await expect(page.getByTestId(id)).toContainText('#1 jt');
    await expect(page.getByTestId(id)).toContainText('#2 crmt-jt');
    await expect(page.getByTestId(id).locator('path.recharts-line-curve')).toHaveCount(2);
  }
  // The hyper-parameters that differ (the method; ρ and step 2 are at their defaults), sortable, as CSV.
  const table = page.getByTestId('run-table');
  await expect(table.locator('thead th')).toHaveText([
    'run',
    'Method',
    'epochs',
    'val accuracy',
    'A alone',
    'B alone',
    'sound CA ε=0.1',
    'sound CA ε=0.25',
    'median radius (sound)',
  ]);
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('jt');
  await page.getByTestId('sort-train.method').click();
  await page.getByTestId('sort-train.method').click();
  await expect(table.locator('thead th').nth(1)).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('jt');
  await page.getByTestId('sort-train.method').click();
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('crmt-jt');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-table-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toBe(
    'run,Method,epochs,val accuracy,A alone,B alone,sound CA ε=0.1,sound CA ε=0.25,median radius (sound)',
  );
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
    '#2 crmt-jt · toy-2d · seed 1,crmt-jt',
    '#1 jt · toy-2d · seed 1,jt',
  ]);
  await page.screenshot({ path: 'test-results/screenshots/runs-overlay.png', fullPage: true });
  await page.getByTestId('run-1').uncheck();
  await expect(page.getByTestId('run-row-1')).toHaveCount(0);
});

test('the page stays responsive while training: long main-thread tasks are measured and Pause answers at once', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=60');
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
      type: 'longtask',
      buffered: false,
    });
  });
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('epoch')).toHaveText(/^epoch (2\d|[3-9]\d) \//, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 2_000 });
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const longest = Math.max(0, ...tasks);
  console.log(
    `main-thread long tasks while training 20+ epochs of crmt-jt with live charts: ${tasks.length}, longest ${longest.toFixed(0)} ms`,
  );
  test.info().annotations.push({ type: 'longest main-thread task (ms)', description: longest.toFixed(0) });
});
