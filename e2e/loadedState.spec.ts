import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { numberOf, openLab } from './helpers';

const WATCH = ['chart-margins', 'chart-certified', 'chart-radii'];

async function expectChartsFilled(page: Page, crmtHead: boolean) {
  for (const id of WATCH) await expect(page.getByTestId(id).locator('.plot svg.recharts-surface'), id).toBeVisible();
  if (crmtHead) await expect(page.getByTestId('chart-integration').locator('.plot svg.recharts-surface')).toBeVisible();
  else await expect(page.getByTestId('chart-integration')).toContainText('This method has a joint head');
  for (const id of ['val-acc', 'val-loss', 'branch-acc-A', 'branch-acc-B'])
    await expect(page.getByTestId(id), id).not.toHaveText('—');
}

const zipNames = (path: string) =>
  Object.keys(unzipSync(new Uint8Array(readFileSync(path)))).map((k) => k.split('/').slice(1).join('/'));

test('a loaded model says what it is and where it came from, fills the cards and charts, and downloads whole', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=3');
  await expect(page.getByTestId('export-model')).toBeDisabled();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  const trainedAccuracy = await numberOf(page, 'val-acc');
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  const bytes = readFileSync(await zip.path());

  // A fresh page: nothing trained, then the model from the file.
  await page.goto('about:blank');
  await page.goto('/?backend=wasm#epochs=30');
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(page.getByTestId('on-display')).toContainText('A fresh jt model (seed 1) on toy-2d, not trained yet.');
  await expect(page.getByTestId('export-everything')).toBeDisabled();
  await page.getByTestId('load-model').setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: bytes });
  const display = page.getByTestId('on-display');
  await expect(display).toContainText(
    'The model loaded from model.zip (crmt-jt, its config asks for 3 epochs) on toy-2d',
  );
  await expect(page.getByTestId('phase')).toHaveText('loaded model on display');
  await expect(page.getByTestId('epoch')).toHaveText('trained elsewhere');
  await expectChartsFilled(page, true);
  // Evaluated as it stands: the accuracy the page showed when it was trained.
  expect(await numberOf(page, 'val-acc')).toBeCloseTo(trainedAccuracy, 6);
  await expect(page.getByTestId('chart-integration')).toHaveAttribute('data-summary', /^A:.*B:/);

  const everything = page.getByTestId('export-everything');
  await expect(everything).toBeEnabled();
  const [bundle] = await Promise.all([page.waitForEvent('download'), everything.click()]);
  const names = zipNames(await bundle.path());
  for (const f of ['experiment.json', 'evaluation.json', 'model/config.json', 'model/model.safetensors', 'README.txt'])
    expect(names).toContain(f);
  expect(names.filter((n) => n.startsWith('charts/')).length).toBeGreaterThanOrEqual(4);
});

test('an opened run says which run it is, shows its stored curves and cards, and downloads whole', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=4');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  // The last epoch's numbers, as the learning curves summarise them once drawn (Metrics JSON has
  // them; the cards show the epoch model selection kept, which need not be the last).
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const last = JSON.parse(readFileSync(await json.path(), 'utf8')).history.at(-1);
  const trained = `${last.val.loss.toFixed(4)} ${last.val.accuracy.toFixed(4)}`;
  await expect(page.getByTestId('learning-curves')).toHaveAttribute('data-summary', trained);
  const cards = [await numberOf(page, 'val-loss'), await numberOf(page, 'val-acc')];
  await page.reload();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(page.getByTestId('learning-curves').locator('.empty')).toBeVisible();
  await page.getByTestId('run-open-1').click();
  await expect(page.getByTestId('on-display')).toContainText(
    "Run #1 (jt · toy-2d · seed 1): 4 epochs, done, reopened from this browser's storage.",
  );
  await expect(page.getByTestId('phase')).toHaveText('run #1 on display');
  await expect(page.getByTestId('epoch')).toHaveText('4 epochs stored');
  await expect(page.getByTestId('learning-curves')).toHaveAttribute('data-summary', trained);
  expect([await numberOf(page, 'val-loss'), await numberOf(page, 'val-acc')]).toEqual(cards);
  await expect(page.getByTestId('learning-curves').locator('path.recharts-line-curve')).toHaveCount(6);
  await expectChartsFilled(page, false);
  const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-everything').click()]);
  const names = zipNames(await bundle.path());
  for (const f of ['metrics.json', 'metrics.csv', 'model/model.safetensors']) expect(names).toContain(f);
});
