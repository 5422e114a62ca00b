import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

const robust = async (page: import('@playwright/test').Page) => {
  const el = page.getByTestId('robust-acc');
  return { acc: Number(await el.getAttribute('data-value')), clean: Number(await el.getAttribute('data-clean')) };
};

test('toggling an attack per modality changes the robust accuracy, without retraining', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=15');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const steps = await page.getByTestId('step').getAttribute('data-value');

  await page.getByTestId('attack-eps').fill('1');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toContainText('on A at ε = 1');
  const onA = await robust(page);
  expect(onA.acc).toBeLessThan(onA.clean);
  await expect(page.getByTestId('chart-attack').locator('.plot svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('attack-sample-view').locator('canvas')).toHaveCount(4);

  await page.getByTestId('attack-A').uncheck();
  await page.getByTestId('attack-B').check();
  await expect(page.getByTestId('robust-acc')).toContainText('on B at ε = 1');
  const onB = await robust(page);
  // The toy's A is the preferred modality under jt: attacking it costs more than attacking B.
  expect(onB.acc).toBeGreaterThan(onA.acc);

  await page.getByTestId('attack-all').check();
  await expect(page.getByTestId('robust-acc')).toContainText('on all modalities');
  await page.getByTestId('attack-eps').fill('0');
  await expect(page.getByTestId('robust-acc')).toContainText('at ε = 0');
  const atZero = await robust(page);
  expect(atZero.acc).toBe(atZero.clean);

  await page.getByTestId('attack-kind').selectOption('missing-mean');
  await page.getByTestId('attack-all').uncheck();
  await page.getByTestId('attack-B').check();
  await expect(page.getByTestId('robust-acc')).toContainText('missing (mean imputation) on B');
  await expect(page.getByTestId('attack-eps')).toBeDisabled();
  // Nothing retrained.
  await expect(page.getByTestId('step')).toHaveAttribute('data-value', steps!);
  await page.screenshot({ path: 'test-results/screenshots/attack-panel.png', fullPage: true });
});

test('an attack left on while training is followed over the epochs', async ({ page }) => {
  await openLab(page, '?backend=cpu', '#epochs=25');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toBeVisible();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  await expect
    .poll(
      async () =>
        ((await page.getByTestId('chart-robust-epochs').getAttribute('data-summary')) ?? '').split(',').length,
    )
    .toBeGreaterThan(2);
  await expect(page.getByTestId('chart-robust-epochs').locator('path.recharts-line-curve')).toHaveCount(2);
});

test('moving ε quickly several times ends with the answer for the last ε, and no late answer replaces it', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=8');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toContainText('on A at ε = 0.5');
  const eps = page.getByTestId('attack-eps');
  // Every answer the panel ever shows from here on, with the ε typed in at that moment.
  await page.evaluate(() => {
    const seen: { text: string; typed: string }[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="robust-acc"]')?.textContent;
      const typed = document.querySelector<HTMLInputElement>('[data-testid="attack-eps"]')!.value;
      if (text) seen.push({ text, typed });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  // Some values stay long enough to be asked (and then withdrawn), others are typed over at once.
  for (const [i, v] of ['0.1', '0.2', '0.3', '0.6', '0.8', '1', '1.2', '0.7'].entries()) {
    await eps.fill(v);
    await page.waitForTimeout(i % 2 ? 30 : 200);
  }
  await eps.fill('1.5');
  await expect(page.getByTestId('robust-acc')).toContainText('on A at ε = 1.5');
  const shown = await robust(page);
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('robust-acc')).toContainText('on A at ε = 1.5');
  expect(await robust(page)).toEqual(shown);
  // Never, not even for a moment, an answer for another ε than the one in the box.
  const seen = await page.evaluate(() => (window as unknown as { seen: { text: string; typed: string }[] }).seen);
  expect(seen.length).toBeGreaterThan(0);
  for (const { text, typed } of seen) expect(text).toContain(`at ε = ${Number(typed)}:`);
  // They are the numbers for ε = 1.5: asked again, slowly, the answer is the same.
  await eps.fill('0.3');
  await expect(page.getByTestId('robust-acc')).toContainText('at ε = 0.3');
  expect((await robust(page)).acc).toBeGreaterThan(shown.acc);
  await eps.fill('1.5');
  await expect(page.getByTestId('robust-acc')).toContainText('at ε = 1.5');
  expect(await robust(page)).toEqual(shown);
});
