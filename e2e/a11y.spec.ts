import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('no serious or critical accessibility violations, before and after training with an attack on', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  const scan = async () => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  };
  expect(await scan()).toEqual([]);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toBeVisible();
  expect(await scan()).toEqual([]);
});

test('every control can be reached and used with the keyboard', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=1');
  const start = page.getByRole('button', { name: 'Start' });
  for (let i = 0; i < 60 && !(await start.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-state')).toHaveText('done');
});
