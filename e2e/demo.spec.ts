import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

const percent = (x: number) => `${(100 * x).toFixed(0)}%`;

test('"Show me" trains jt, crmt-jt and ojt on the toy and tells the story with the numbers it measured', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openLab(page, '?backend=wasm');
  const t0 = Date.now();
  await page.getByTestId('show-me').click();
  const demo = page.getByTestId('demo');
  await expect(demo).toBeVisible();
  // The charts follow the runs as they train.
  await expect(page.getByTestId('demo-status')).toContainText('1 of 3: training jt');
  await expect(page.getByTestId('demo-status')).toContainText('Done in', { timeout: 240_000 });
  const seconds = (Date.now() - t0) / 1000;
  console.log(`"Show me" took ${seconds.toFixed(0)} s`);
  test.info().annotations.push({ type: 'Show me (s)', description: seconds.toFixed(0) });
  expect(seconds).toBeLessThan(240);

  // One sentence per step, each built from the table's numbers.
  for (const id of ['preference', 'attack', 'gap', 'certified', 'weights', 'ablation'])
    await expect(page.getByTestId(`story-${id}`)).toBeVisible();
  const cells = async (method: string) =>
    page
      .getByTestId(`story-row-${method}`)
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => ({ text: td.textContent ?? '', value: td.getAttribute('data-value') })));
  const jt = await cells('jt');
  const crmt = await cells('crmt-jt');
  const ojt = await cells('ojt');
  // Columns: clean, A alone, B alone, A attacked, B attacked, certified, a A, a B.
  const [cleanJt, aAlone, bAlone, aAttacked, bAttacked] = jt.map((c) => c.text);
  const preferred = parseFloat(aAlone) >= parseFloat(bAlone) ? 'A' : 'B';
  await expect(page.getByTestId('story-preference')).toContainText(
    preferred === 'A' ? `A's branch alone gets ${aAlone}` : `B's branch alone gets ${bAlone}`,
  );
  await expect(page.getByTestId('story-preference')).toContainText(`the fused model ${cleanJt}`);
  await expect(page.getByTestId('story-attack')).toContainText(`attacking only A leaves jt ${aAttacked} correct`);
  await expect(page.getByTestId('story-attack')).toContainText(`attacking only B ${bAttacked}`);
  await expect(page.getByTestId('story-gap')).toContainText(`attacking A leaves ${crmt[3].text} (jt ${aAttacked})`);
  await expect(page.getByTestId('story-certified')).toContainText(
    `${jt[5].text} under jt, ${crmt[5].text} under crmt-jt`,
  );
  await expect(page.getByTestId('story-weights')).toContainText(`A ${crmt[6].text} and B ${crmt[7].text}`);
  await expect(page.getByTestId('story-ablation')).toContainText(`leaves ${ojt[3].text} under the attack on A`);
  // The numbers are the attack panel's own: the data-values read back as the shown percentages.
  expect(percent(Number(jt[3].value))).toBe(aAttacked);
  // On the built-in data made for it, the story shows: A preferred and the cheap one to attack.
  expect(preferred).toBe('A');
  expect(Number(jt[3].value)).toBeLessThan(Number(jt[4].value));
  // The three runs are stored and overlaid for comparison.
  for (const id of ['chart-runs-accuracy', 'chart-runs-certified'])
    await expect(page.getByTestId(id).locator('path.recharts-line-curve')).toHaveCount(3);
  await page.getByTestId('demo').screenshot({ path: 'test-results/screenshots/show-me-story.png' });
  await page.screenshot({ path: 'test-results/screenshots/show-me-1440x900.png' });
});
