import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { openLab } from './helpers';

const run = promisify(execFile);

const json = async (page: Page, attr: string): Promise<(number | null)[]> =>
  JSON.parse((await page.getByTestId('attack-cost-result').getAttribute(attr)) ?? 'null');

/**
 * Which modality is cheaper to attack, as a user asks the page: train the toy, press Measure,
 * read the bound and the measured ε per modality and the verdict. The same model, downloaded and
 * evaluated by the CLI on the validation split, gives the same numbers.
 */
test('the attack panel measures the cheaper modality beside the bound, as the CLI does for the same model', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openLab(page, '?backend=wasm', '#epochs=15');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const t0 = Date.now();
  await page.getByTestId('attack-cost-measure').click();
  const result = page.getByTestId('attack-cost-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  console.log(`attack cost: measured in ${Date.now() - t0} ms (WASM, toy validation split)`);
  await expect(result).toContainText('a guarantee (lower bound), not a measurement');
  await expect(page.getByTestId('attack-cost-settings')).toContainText('Measured by PGD-ℓ2: 20 steps');

  const halving = await json(page, 'data-halving');
  const perFeature = await json(page, 'data-halving-per-feature');
  const bound = await json(page, 'data-bound');
  // What a reader sees is what the attributes hold.
  for (const [i, n] of ['A', 'B'].entries()) {
    expect(halving[i], n).not.toBeNull();
    expect(Number(await page.getByTestId(`attack-cost-eps-${n}`).textContent())).toBeCloseTo(halving[i]!, 2);
    expect(Number(await page.getByTestId(`attack-cost-bound-${n}`).textContent())).toBeCloseTo(bound[i]!, 2);
    // Both 2-D: per feature is the total over √2.
    expect(perFeature[i]).toBeCloseTo(halving[i]! / Math.SQRT2, 10);
    expect(bound[i]!).toBeGreaterThan(0);
  }
  // The local (CROWN) bound beside it, on the page's local sample (10 random validation samples by default).
  const local = await json(page, 'data-local');
  const localSound = await json(page, 'data-local-sound');
  const samples = Number(await result.getAttribute('data-local-samples'));
  expect(samples).toBe(10);
  await expect(result).toContainText(`a guarantee on ${samples} random validation samples of`);
  for (const [i, n] of ['A', 'B'].entries()) {
    expect(Number.isFinite(local[i]) && local[i]! > 0, `${n}: local ${local[i]}`).toBe(true);
    expect(Number(await page.getByTestId(`attack-cost-local-${n}`).textContent())).toBeCloseTo(local[i]!, 2);
    expect(Number(await page.getByTestId(`attack-cost-local-feature-${n}`).textContent())).toBeCloseTo(
      local[i]! / Math.SQRT2,
      2,
    );
    // Sample by sample the local radius is floored by the sound one: so are the medians on the same samples,
    // and here also the sound median of the whole split that the table shows beside it.
    expect(localSound[i]!).toBeGreaterThan(0);
    expect(local[i]!).toBeGreaterThanOrEqual(localSound[i]!);
    expect(local[i]!).toBeGreaterThanOrEqual(bound[i]!);
  }
  console.log(
    `attack cost: local medians ${JSON.stringify(local)} on ${samples} samples (sound on them ` +
      `${JSON.stringify(localSound)}; sound on the split ${JSON.stringify(bound)})`,
  );
  const agreement = (await page.getByTestId('attack-cost-agreement').textContent()) ?? '';
  const localCheapest = local[0]! <= local[1]! ? 'A' : 'B';
  expect(agreement).toContain(`The local bound, on ${samples} random validation samples, names ${localCheapest}`);
  expect(agreement).toContain('the local one about 1.1–2.3×');
  await page.getByTestId('attack-cost').screenshot({ path: 'test-results/screenshots/attack-cost.png' });

  // At a phone's width the wide table scrolls inside the panel: nothing sticks out of the page.
  await page.setViewportSize({ width: 390, height: 844 });
  const panel = page.getByTestId('attack-cost');
  await panel.scrollIntoViewIfNeeded();
  const table = result.locator('table');
  const box = await table.evaluate((t) => ({
    right: t.getBoundingClientRect().right,
    scrolls: t.scrollWidth > t.clientWidth,
    overflowX: getComputedStyle(t).overflowX,
  }));
  expect(box.right).toBeLessThanOrEqual(390);
  expect(box.scrolls && box.overflowX === 'auto').toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await panel.screenshot({ path: 'test-results/screenshots/attack-cost-390.png' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The same weights through the CLI, evaluated as they stand on the validation split.
  const dir = mkdtempSync(join(tmpdir(), 'crmt-attack-cost-'));
  try {
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(await zip.path()))))
      if (!name.endsWith('/')) writeFileSync(join(dir, name.split('/').pop()!), bytes);
    const out = join(dir, 'result.json');
    await run(
      'node_modules/.bin/tsx',
      [
        'src/cli/experiment.ts',
        '--weights',
        dir,
        '--epochs',
        '0',
        '--eval-split',
        'val',
        '--backend',
        'wasm',
        '--eps',
        '0.1',
        '--out',
        out,
      ],
      { timeout: 150_000 },
    );
    const cliResult = JSON.parse(readFileSync(out, 'utf8'));
    const cli = cliResult.preference;
    console.log(
      `attack cost: page ε ${JSON.stringify(halving)}, CLI ${JSON.stringify(cli.measured.halvingEps)}; ` +
        `bound page ${JSON.stringify(bound)}, CLI ${JSON.stringify(cli.medianRadius.sound)}`,
    );
    expect(halving).toEqual(cli.measured.halvingEps);
    cli.medianRadius.sound.forEach((r: number, i: number) => expect(bound[i]!).toBeCloseTo(r, 5));
    // Raw units by the CLI's own feature std: ε × RMS std, radius × smallest std.
    const std = cliResult.units.featureStd;
    const raw = (await page.getByTestId('attack-cost-raw').textContent()) ?? '';
    for (const i of [0, 1]) {
      expect(raw).toContain(`measured ε ≈ ${(halving[i]! * std.rms[i]).toPrecision(3)} raw`);
      expect(raw).toContain(`raw changes up to ${(bound[i]! * std.min[i]).toPrecision(3)}`);
      expect(raw).toContain(`the local bound up to ${(local[i]! * std.min[i]).toPrecision(3)} on its samples`);
    }
    const agree = cli.measured.cheapest === cli.cheapest.sound;
    await expect(result).toHaveAttribute('data-agree', String(agree));
    await expect(result).toHaveAttribute('data-local-agree', String(cli.measured.cheapest === localCheapest));
    expect(agreement).toContain(
      agree
        ? `The sound bound and the measurement agree: ${cli.cheapest.sound} is the cheaper modality to attack.`
        : `the sound bound names ${cli.cheapest.sound}, PGD finds ${cli.measured.cheapest} cheaper`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ε axes of the certified and attack charts read per feature when asked, and say so', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=6');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const chart = page.getByTestId('chart-certified');
  const largestTick = async (id: string) => {
    const ticks = page.getByTestId(id).locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-label text');
    await expect(ticks.first()).toBeVisible();
    const numbers = (await ticks.evaluateAll((ts) => ts.map((t) => t.textContent ?? '')))
      .filter((t) => /^-?\d+(\.\d+)?$/.test(t))
      .map(Number);
    return Math.max(...numbers);
  };
  await expect(chart).toContainText('ε (joint ℓ2, standardised units)');
  // The live curves run to ε = 1 in standardised units.
  expect(await largestTick('chart-certified')).toBeGreaterThanOrEqual(1);
  await page.getByTestId('certified-eps-scale').selectOption('per-feature');
  await expect(chart).toContainText('ε per feature, ε/√d (standardised units)');
  // Per feature, the joint curve (4 features) ends at 1/2 and each modality's (2) at 1/√2: the axis ends below 1.
  await expect.poll(() => largestTick('chart-certified')).toBeLessThan(1);

  await page.getByTestId('attack-eps').fill('1');
  await page.getByTestId('attack-A').check();
  const attack = page.getByTestId('chart-attack');
  await expect(attack).toContainText('ε (ℓ2, standardised units)');
  // The curves run to 2ε.
  expect(await largestTick('chart-attack')).toBeGreaterThanOrEqual(2);
  await page.getByTestId('attack-eps-scale').selectOption('per-feature');
  await expect(attack).toContainText('ε per feature, ε/√d (standardised units)');
  // Per feature they run to 2/√2 (one modality) and 2/2 (both): the axis ends below 2.
  await expect.poll(() => largestTick('chart-attack')).toBeLessThan(2);
});

test('a measurement is withdrawn when training starts again, and can be asked for again', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page, '?backend=wasm', '#epochs=6');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');

  // Cancel: nothing shows, the button is back.
  await page.getByTestId('attack-cost-measure').click();
  await page.getByTestId('attack-cost-cancel').click();
  await expect(page.getByTestId('attack-cost-measure')).toBeEnabled();
  await expect(page.getByTestId('attack-cost-running')).toHaveCount(0);

  // A new run replaces the model: the measurement in flight is withdrawn and never shows.
  await page.getByTestId('attack-cost-measure').click();
  await page.getByRole('button', { name: 'Train again' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 90_000 });
  await expect(page.getByTestId('attack-cost-result')).toHaveCount(0);
  await expect(page.getByTestId('attack-cost-running')).toHaveCount(0);

  // The controls are alive: the new model is measured when asked.
  await page.getByTestId('attack-cost-measure').click();
  await expect(page.getByTestId('attack-cost-result')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('attack-cost-agreement')).toContainText('The sound bound and the measurement');
  await expect(page.getByTestId('attack-cost-measure')).toBeDisabled();
});
