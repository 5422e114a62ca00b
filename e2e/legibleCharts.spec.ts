import { expect, test, type Page } from '@playwright/test';
import { writeManyClassFolder } from '../src/bench/node/manyClassFolder';
import { openLab } from './helpers';

const stroke = (page: Page, chart: string, series: string) =>
  page.getByTestId(chart).locator(`[data-series="${series}"]`).first().getAttribute('stroke');
const dash = (page: Page, chart: string, series: string) =>
  page.getByTestId(chart).locator(`[data-series="${series}"]`).first().getAttribute('stroke-dasharray');

/** Text of every chart's SVG that sticks out of its SVG (a clipped label). */
const clippedLabels = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<SVGSVGElement>('.plot svg.recharts-surface')].flatMap((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')]
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        })
        .map((t) => `${svg.closest('figure')?.getAttribute('data-testid')}: ${t.textContent}`);
    }),
  );

test('one colour per modality and one line style per split or bound kind on every chart, with legends that draw them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=6');
  await page.getByTestId('attack-A').check();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('chart-attack')).toBeVisible();
  // Modality A has one colour everywhere, B another.
  const a = [
    await stroke(page, 'learning-curves', 'val-acc-A'),
    await stroke(page, 'chart-margins', 'median-0'),
    await stroke(page, 'chart-certified', 'sound-A'),
    await stroke(page, 'chart-integration', 'a-0'),
    await stroke(page, 'chart-attack', 'A'),
    await stroke(page, 'chart-robust-epochs', 'attacked'),
  ];
  expect(new Set(a).size).toBe(1);
  const b = [
    await stroke(page, 'learning-curves', 'val-acc-B'),
    await stroke(page, 'chart-margins', 'median-1'),
    await stroke(page, 'chart-certified', 'sound-B'),
    await stroke(page, 'chart-attack', 'B'),
  ];
  expect(new Set(b).size).toBe(1);
  expect(b[0]).not.toBe(a[0]);
  // Training is dashed and validation solid; sound solid, estimated dotted; each legend draws its style.
  const trainDash = await dash(page, 'learning-curves', 'train-acc');
  expect(trainDash).toBeTruthy();
  expect(await dash(page, 'learning-curves', 'val-acc')).toBeNull();
  expect(await dash(page, 'chart-certified', 'sound-all')).toBeNull();
  const estimatedDash = await dash(page, 'chart-certified', 'estimated-all');
  expect(estimatedDash).toBeTruthy();
  expect(estimatedDash).not.toBe(trainDash);
  const legendDash = (chart: string, style: string) =>
    page.getByTestId(chart).locator(`.legend-style[data-style="${style}"] line`).getAttribute('stroke-dasharray');
  expect(await legendDash('learning-curves', 'train')).toBe(trainDash);
  expect(await legendDash('chart-certified', 'estimated')).toBe(estimatedDash);
  // The robust accuracy was recorded at every epoch while the attack was on: 6 + 2 of step 2.
  const trace = ((await page.getByTestId('chart-robust-epochs').getAttribute('data-summary')) ?? '').split(',');
  expect(trace.map((p) => Number(p.split(':')[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  // The loss chart and the objective card say what the margin term does.
  await expect(page.getByTestId('learning-curves')).toContainText("CRMT's margin term");
  expect(await clippedLabels(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/charts-crmt-jt-1440x900.png', fullPage: true });
});

test('the margin plane has round ticks with 0; decision regions have axes and a class legend', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=5');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('chart-margin-plane')).toHaveAttribute('data-summary', /certified:[1-9]/);
  // A plot draws for the first time in a task of its own, just after its figure has data.
  const tickLabels = page.getByTestId('chart-margin-plane').locator('.recharts-cartesian-axis-tick-label text');
  await expect(tickLabels.first()).toBeVisible();
  const ticks = await tickLabels.evaluateAll((ts) => ts.map((t) => t.textContent ?? ''));
  const numbers = ticks.filter((t) => /^-?\d+(\.\d+)?$/.test(t)).map(Number);
  expect(numbers).toContain(0);
  const xs = [...new Set(numbers)].sort((p, q) => p - q);
  const step = xs[1] - xs[0];
  const power = 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 2.5, 5, 10].some((s) => Math.abs(step / power - s) < 1e-9)).toBe(true);
  const planes = page.getByTestId('boundary-planes');
  await expect(planes.locator('.legend-item')).toHaveCount(5 + 1);
  await expect(planes.locator('.legend')).toContainText('class 0');
  await expect(planes.locator('.plane-x .plane-tick').first()).toBeVisible();
  await expect(planes.locator('.plane-y .plane-tick').first()).toBeVisible();
  await expect(planes).toContainText('A₁ →');
  expect(await clippedLabels(page)).toEqual([]);
  await page.getByTestId('boundary-planes').screenshot({ path: 'test-results/screenshots/decision-regions-axes.png' });
});

test('with 15 classes the integration weights stay readable: a summary, a class picker, the plot keeps the figure', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=2');
  await page.getByTestId('upload-folder').setInputFiles(writeManyClassFolder());
  await expect(page.getByTestId('dataset-name')).toHaveText('scene15like');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  const figure = page.getByTestId('chart-integration');
  await expect(figure.locator('.plot svg.recharts-surface')).toBeVisible();
  // The legend has a line per modality and one for the band, not one per (modality, class).
  expect(await figure.locator('.legend-item').count()).toBeLessThanOrEqual(4);
  const [fig, plot] = [
    (await figure.boundingBox())!,
    (await figure.locator('.plot svg.recharts-surface').boundingBox())!,
  ];
  expect(plot.height / fig.height).toBeGreaterThan(0.55);
  await expect(figure.getByTestId('integration-class').locator('option')).toHaveCount(16);
  await figure.getByTestId('integration-class').selectOption({ index: 10 });
  await expect(figure.locator('path.recharts-area-area')).toHaveCount(0);
  await expect(figure.locator('path.recharts-line-curve')).toHaveCount(2);
  expect(await clippedLabels(page)).toEqual([]);
  await figure.screenshot({ path: 'test-results/screenshots/integration-15-classes.png' });
});
