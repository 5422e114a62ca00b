import { expect, test, type Locator, type Page } from '@playwright/test';
import { openLab } from './helpers';

/** The run controls of issue 14: data choice, method, Start/Pause/Step/Reset, progress. */
const controls = (page: Page): Locator[] => [
  page.getByTestId('dataset-select'),
  page.getByTestId('method-select'),
  page.getByRole('button', { name: 'Step' }),
  page.getByRole('button', { name: 'Reset', exact: true }),
  page.getByLabel('Training progress'),
];
const KEY_CHARTS = ['learning-curves', 'chart-margins', 'chart-certified', 'chart-integration'];

async function inViewport(page: Page, l: Locator): Promise<boolean> {
  const box = await l.boundingBox();
  const vp = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width;
}

test('at 1440×900 the run controls and the key live charts are on screen together, without scrolling', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=40');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('pause')).toBeVisible();
  // Curves drawn while it trains.
  for (const id of KEY_CHARTS.slice(0, 3))
    await expect(page.getByTestId(id).locator('.plot svg.recharts-surface').first()).toBeVisible();
  expect(await page.evaluate(() => scrollY)).toBe(0);
  for (const l of [...controls(page), page.getByTestId('pause')])
    expect(await inViewport(page, l), String(l)).toBe(true);
  for (const id of KEY_CHARTS) {
    const plot = page.getByTestId(id).locator('.plot svg.recharts-surface, .empty').first();
    expect(await inViewport(page, plot), id).toBe(true);
  }
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.screenshot({ path: 'test-results/screenshots/first-hour-1440x900.png' });
});

test('at 390 px nothing overflows, every control can be reached and the charts fit', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  await page.getByTestId('attack-A').check();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('chart-certified').locator('.plot svg.recharts-surface')).toBeVisible();
  await expect(page.getByTestId('plane-fused-A')).toBeVisible();
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    vw: innerWidth,
  }));
  expect(widths.doc).toBe(widths.vw);
  expect(widths.body).toBeLessThanOrEqual(widths.vw);
  // Every control and every plot lies within the width of the screen.
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input, a, .plot svg.recharts-surface, canvas')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return false;
        if (e.closest('.preview-row')) return false; // thumbnails scroll inside their own row
        return r.left < -1 || r.right > innerWidth + 1;
      })
      .map((e) => `${e.tagName} ${e.getAttribute('data-testid') ?? e.textContent?.slice(0, 30)}`),
  );
  expect(outside).toEqual([]);
  for (const l of controls(page)) {
    await l.scrollIntoViewIfNeeded();
    expect(await inViewport(page, l)).toBe(true);
  }
  // The run controls come first, before the charts they drive.
  const start = (await page.getByRole('button', { name: /Train again|Start/ }).boundingBox())!;
  const charts = (await page.getByTestId('learning-curves').boundingBox())!;
  expect(start.y).toBeLessThan(844);
  expect(start.y).toBeLessThan(charts.y);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/screenshots/first-hour-390x844.png' });
  await page.screenshot({ path: 'test-results/screenshots/first-hour-390x844-full.png', fullPage: true });
});

test('a skip link is the first stop on the keyboard and leads to Start in a few Tabs', async ({ page }) => {
  await openLab(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the training controls' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  let tabs = 0;
  for (; tabs < 6; tabs++) {
    await page.keyboard.press('Tab');
    if (await page.getByTestId('start').evaluate((b) => b === document.activeElement)) break;
  }
  // Dataset, method, then Start.
  expect(tabs).toBeLessThan(4);
});
