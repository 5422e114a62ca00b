import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { numberOf, openLab } from './helpers';

const epochsIn = (text: string | null) => Number(/(\d+) epochs?/.exec(text ?? '')?.[1] ?? NaN);

async function train(page: Page) {
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
}

test('a reload in the middle of training keeps the finished epochs, their metrics and the last weights', async ({
  page,
}) => {
  await openLab(page, '?backend=wasm', '#epochs=400');
  await page.getByRole('button', { name: 'Start' }).click();
  const status = page.getByTestId('run-status-1');
  await expect(status).toContainText(/training · ([4-9]|\d\d+) epochs/);
  const before = epochsIn(await status.textContent());
  await page.reload();
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  await expect(status).toContainText('interrupted after');
  const kept = epochsIn(await status.textContent());
  expect(kept).toBeGreaterThanOrEqual(before);
  expect(kept).toBeLessThan(400);
  await expect(page.getByTestId('storage-use')).toContainText('1 stored run ·');

  // The attack view reports the clean accuracy of whatever model the worker holds: fresh weights now.
  await page.getByTestId('attack-A').check();
  await expect(page.getByTestId('robust-acc')).toBeVisible();
  await page.getByTestId('run-open-1').click();
  await expect(status).toContainText('on display');
  // The stored metrics are back: the learning curves span every kept epoch…
  await expect(page.getByTestId('val-acc')).not.toHaveAttribute('data-value', '');
  const storedValAccuracy = await numberOf(page, 'val-acc');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(
    readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n'),
  ).toHaveLength(1 + kept);
  // …and the stored weights are those of the last kept epoch: evaluated afresh, they give its validation accuracy.
  await expect
    .poll(async () => Number(await page.getByTestId('robust-acc').getAttribute('data-clean')))
    .toBeCloseTo(storedValAccuracy, 6);

  // Training on from the opened run stores a new run; the stored one stays as it was.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status-2')).toContainText(/training · \d+ epochs? · on display/);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText(`interrupted after ${kept} epochs`);
});

test('runs can be renamed and deleted; storage use follows; the names survive a reload', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=2');
  await train(page);
  await page.getByTestId('method-select').selectOption('crmt-jt');
  await train(page);
  await expect(page.getByTestId('run-status-2')).toContainText('done · 3 epochs');
  const bytes = async () => Number(await page.getByTestId('storage-use').getAttribute('data-bytes'));
  const both = await bytes();
  expect(both).toBeGreaterThan(2 * 10_000); // two records with their weights in both formats

  await page.getByTestId('run-rename-1').click();
  await page.getByTestId('run-name-1').fill('joint baseline');
  await page.getByTestId('run-name-1').press('Enter');
  await expect(page.getByTestId('run-label-1')).toHaveText('#1 joint baseline');
  await page.reload();
  await expect(page.getByTestId('run-label-1')).toHaveText('#1 joint baseline');
  await expect(page.getByTestId('run-label-2')).toHaveText('#2 crmt-jt · toy-2d · seed 1');

  await page.getByTestId('run-delete-1').click();
  await page.getByTestId('run-delete-confirm-1').click();
  await expect(page.getByTestId('stored-run-1')).toHaveCount(0);
  await expect(page.getByTestId('storage-use')).toContainText('1 stored run ·');
  expect(await bytes()).toBeLessThan(both);
  await page.reload();
  await expect(page.getByTestId('stored-run-2')).toBeVisible();
  await expect(page.getByTestId('stored-run-1')).toHaveCount(0);
});

test('a full storage quota is reported with the run and epoch it lost, and training goes on', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=3');
  // A real quota, set through the DevTools protocol: far too small for a run.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  await train(page);
  await expect(page.getByTestId('storage-error')).toContainText(
    /^Browser storage is full: #1 jt · toy-2d · seed 1 at epoch \d was not saved(?: \(.+\))?\. Delete stored runs to make room/,
  );
  await expect(page.getByTestId('run-status-1')).toContainText('done · 3 epochs');
  // Room again: the next run is stored and the report goes away.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await train(page);
  await expect(page.getByTestId('storage-error')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('stored-run-2')).toBeVisible();
  await expect(page.getByTestId('stored-run-1')).toHaveCount(0);
});

test('a chart downloads as a PNG of what it shows, and "download everything" bundles the run', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#epochs=3');
  await train(page);
  // The charts redraw at most twice a second: wait until they show the last epoch. (The metric cards
  // show the epoch model selection kept, which need not be the last: the last is read from Metrics JSON.)
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const lastEpoch = JSON.parse(readFileSync(await json.path(), 'utf8')).history.at(-1);
  expect(lastEpoch.runEpoch).toBe(3);
  const last = `${lastEpoch.val.loss.toFixed(4)} ${lastEpoch.val.accuracy.toFixed(4)}`;
  await expect(page.getByTestId('learning-curves')).toHaveAttribute('data-summary', last);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('learning-curves-png').click()]);
  expect(png.suggestedFilename()).toBe('loss-and-accuracy.png');
  const bytes = readFileSync(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const box = (await page.getByTestId('learning-curves').boundingBox())!;
  expect(bytes.readUInt32BE(16)).toBe(Math.ceil(box.width * 2));
  // The series are drawn in their colours: count pixels of the first series' colour in the decoded PNG.
  const colour = await page
    .locator('[data-testid="learning-curves"] path.recharts-line-curve')
    .first()
    .getAttribute('stroke');
  const count = (png: Buffer) =>
    page.evaluate(
      async ({ b64, colour }) => {
        // Decoded from bytes: the page's Content-Security-Policy (connect-src 'self') refuses fetching a data: URL.
        const png = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const img = await createImageBitmap(new Blob([png], { type: 'image/png' }));
        const c = new OffscreenCanvas(img.width, img.height).getContext('2d')!;
        c.drawImage(img, 0, 0);
        const d = c.getImageData(0, 0, img.width, img.height).data;
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
        let same = 0;
        let ink = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 30) same++;
          if (d[i] + d[i + 1] + d[i + 2] < 600) ink++;
        }
        return { same, ink: ink / (d.length / 4) };
      },
      { b64: png.toString('base64'), colour: colour! },
    );
  const counted = await count(bytes);
  expect(counted.same).toBeGreaterThan(100);
  // As much is drawn as the page shows: the share of dark pixels matches a screenshot of the figure.
  const shown = await count(await page.getByTestId('learning-curves').screenshot());
  expect(shown.ink).toBeGreaterThan(0);
  expect(counted.ink / shown.ink).toBeGreaterThan(0.5);
  expect(counted.ink / shown.ink).toBeLessThan(2);

  await expect(page.getByTestId('boundary-planes').locator('canvas').first()).toBeVisible();
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-everything').click()]);
  expect(zip.suggestedFilename()).toBe('run-1-jt-toy-2d-seed-1.zip');
  const entries = unzipSync(new Uint8Array(readFileSync(await zip.path())));
  const names = Object.keys(entries).map((k) => k.replace(/^run-1-jt-toy-2d-seed-1\//, ''));
  for (const f of [
    'README.txt',
    'experiment.json',
    'metrics.json',
    'metrics.csv',
    'model/config.json',
    'model/model.safetensors',
    'model/lab-weights.json',
    'model/lab-weights.bin',
    'model/model.json',
    'model/model.weights.bin',
    'model/model.onnx',
    'model/crmt_lab_model.py',
    'model/README.txt',
    'charts/loss-and-accuracy.png',
    'charts/decision-regions.png',
    'charts/attack-slice.png',
  ])
    expect(names).toContain(f);
  const metrics = JSON.parse(new TextDecoder().decode(entries['run-1-jt-toy-2d-seed-1/metrics.json']));
  expect(metrics).toMatchObject({ format: 'crmt-lab-metrics', version: 2, run: '#1 jt · toy-2d · seed 1' });
  expect(metrics.history).toHaveLength(3);
  // The cards show the held weights' epoch: the one the phase kept (on the last record), else the last.
  const held = metrics.history.find(
    (r: { runEpoch: number }) => r.runEpoch === (metrics.history[2].selection?.runEpoch ?? 3),
  );
  expect(held.val.accuracy).toBeCloseTo(await numberOf(page, 'val-acc'), 10);

  // A run that is no longer on display still bundles its own charts, drawn from its stored history.
  await page.getByTestId('method-select').selectOption('crmt-jt');
  await train(page);
  const [old] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-zip-1').click()]);
  const oldEntries = unzipSync(new Uint8Array(readFileSync(await old.path())));
  const oldNames = Object.keys(oldEntries).map((k) => k.replace(/^run-1-jt-toy-2d-seed-1\//, ''));
  expect(oldNames.filter((n) => n.startsWith('charts/')).sort()).toEqual(
    expect.arrayContaining(['charts/loss-and-accuracy.png']),
  );
  // The views computed from the live model (boundaries, attacks) belong to the run on display only.
  expect(oldNames).not.toContain('charts/decision-regions.png');
  const pngBytes = Buffer.from(oldEntries['run-1-jt-toy-2d-seed-1/charts/loss-and-accuracy.png']);
  expect(pngBytes.readUInt32BE(16)).toBeGreaterThan(1000); // 900 px at twice the resolution
  const oldMetrics = JSON.parse(new TextDecoder().decode(oldEntries['run-1-jt-toy-2d-seed-1/metrics.json']));
  expect(oldMetrics.history[2].val.accuracy).toBe(metrics.history[2].val.accuracy);
});

test("two tabs training at the same time store two runs, and each tab sees the other's runs and names", async ({
  context,
}) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openLab(a, '?backend=wasm', '#epochs=3');
  await openLab(b, '?backend=wasm', '#epochs=3&seed=2');
  await Promise.all([a, b].map((p) => p.getByRole('button', { name: 'Start' }).click()));
  await Promise.all([a, b].map((p) => expect(p.getByTestId('run-state')).toHaveText('done')));
  // Each tab's list follows the other's without a reload; a rename in one shows in the other.
  for (const p of [a, b]) await expect(p.getByTestId('storage-use')).toContainText('2 stored runs');
  await b.getByTestId('run-rename-1').click();
  await b.getByTestId('run-name-1').fill('named in tab b');
  await b.getByTestId('run-name-1').press('Enter');
  await expect(a.getByTestId('run-label-1')).toHaveText('#1 named in tab b');
  await a.reload();
  await expect(a.getByTestId('storage-use')).toContainText('2 stored runs');
  const labels = await a.locator('[data-testid^="run-label-"]').allTextContents();
  // Whichever tab finished its first epoch first took #1.
  expect(labels.map((l) => l.slice(0, 3)).sort()).toEqual(['#1 ', '#2 ']);
  expect(labels.map((l) => l.slice(3)).sort()).toContainEqual('named in tab b');
});

test('a run stored before the evaluation vocabulary was unified still opens and charts', async ({ page }) => {
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=2&s2tau=sound');
  await train(page);
  // The sound curve of the last epoch, as the certified chart summarises it.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const [header, ...rows] = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  const columns = header.split(',');
  const last = rows.at(-1)!.split(',');
  const curve = columns
    .flatMap((c, i) => (c.startsWith('ca_sound_all_') ? [Number(last[i]).toFixed(3)] : []))
    .join(',');
  expect(curve.split(',')).toHaveLength(21);
  await expect(page.getByTestId('chart-certified')).toHaveAttribute('data-summary', curve);
  // Rewrite the stored run as the lab stored it before: eps, medianRadius and estimatedOver beside
  // the curves, and step 2's sound τ called `certified` (in the run's config and its weights'
  // config.json, written as version 1 of the model format).
  await page.evaluate(async () => {
    interface Curves {
      all: number[];
      perModality: number[][];
      medianRadius: number;
    }
    interface Stored {
      config: { train: { step2: { tauSource: string } } };
      history: {
        evaluation: {
          marginQuantiles: number[][];
          radiusHistogram: unknown;
          certified: { eps: number[]; sound: Curves; estimated: Curves; estimatedOver: number };
        } | null;
      }[];
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('crmt-lab');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = (name = 'runs') => db.transaction(name, 'readwrite').objectStore(name);
    const run = await new Promise<Stored>((resolve) => {
      const r = store().get(1);
      r.onsuccess = () => resolve(r.result);
    });
    run.config.train.step2.tauSource = 'certified';
    const history = run.history.map((h) => {
      const e = h.evaluation;
      if (!e) return h;
      const c = e.certified;
      const old = {
        marginQuantiles: e.marginQuantiles,
        radiusHistogram: e.radiusHistogram,
        eps: c.eps,
        certified: {
          sound: { all: c.sound.all, perModality: c.sound.perModality },
          estimated: { all: c.estimated.all, perModality: c.estimated.perModality },
        },
        medianRadius: { sound: c.sound.medianRadius, estimated: c.estimated.medianRadius },
        estimatedOver: c.estimatedOver,
      };
      return { ...h, evaluation: old };
    });
    await new Promise((resolve) => (store().put({ ...run, history }).onsuccess = resolve));
    const weights = await new Promise<Record<string, Uint8Array>>((resolve) => {
      const r = store('weights').get(1);
      r.onsuccess = () => resolve(r.result);
    });
    // The weights' config.json as version 1 wrote it: the training settings as `train`, no experiment.
    const { experiment, version, ...config } = JSON.parse(new TextDecoder().decode(weights['config.json']));
    if (version !== 2) throw new Error(`expected a version-2 config.json, got ${version}`);
    const v1 = {
      ...config,
      format: 'crmt-lab-model/1',
      train: { ...experiment.train, step2: { ...experiment.train.step2, tauSource: 'certified' } },
    };
    weights['config.json'] = new TextEncoder().encode(JSON.stringify(v1));
    await new Promise((resolve) => (store('weights').put(weights, 1).onsuccess = resolve));
    db.close();
  });
  await page.reload();
  await expect(page.getByTestId('run-status-1')).toContainText('done · 3 epochs');
  await page.getByTestId('run-open-1').click();
  await expect(page.getByTestId('run-status-1')).toContainText('on display');
  await expect(page.getByTestId('chart-certified')).toHaveAttribute('data-summary', curve);
  await expect(page.getByTestId('chart-certified')).toContainText('from 256 training samples');
  await expect(page.getByTestId('setting-s2tau')).toHaveValue('sound');
});
