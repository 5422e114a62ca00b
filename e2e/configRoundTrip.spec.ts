import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openLab } from './helpers';

const run = promisify(execFile);

interface Record {
  phase: string;
  epoch: number;
  val: { loss: number; accuracy: number };
}

/**
 * DESIGN.md's promise: every number on screen can be reproduced headless. The page trains on WASM
 * with settings set through the URL, its Config JSON goes to `npm run experiment -- --config`,
 * and both runs' per-epoch validation loss and accuracy agree.
 */
test("the page's Config JSON run by the CLI reproduces the page's epochs", async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page, '?backend=wasm', '#method=crmt-jt&epochs=4&lr=0.02&hidden=24-12&act=tanh&seed=7');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });
  const dir = mkdtempSync(join(tmpdir(), 'crmt-roundtrip-'));
  try {
    const save = async (testId: string, name: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      const path = join(dir, name);
      await d.saveAs(path);
      return path;
    };
    const config = await save('export-config', 'experiment.json');
    const metrics = JSON.parse(readFileSync(await save('export-json', 'metrics.json'), 'utf8'));
    const experiment = JSON.parse(readFileSync(config, 'utf8'));
    // The settings typed into the URL are in the file the CLI reads.
    expect(experiment.train.method).toBe('crmt-jt');
    expect(experiment.model.hidden).toEqual([24, 12]);
    expect(experiment.model.activation).toBe('tanh');

    const out = join(dir, 'result.json');
    await run(
      'node_modules/.bin/tsx',
      ['src/cli/experiment.ts', '--config', config, '--backend', 'wasm', '--eps', '0.1', '--out', out],
      { timeout: 200_000 },
    );
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const page_: Record[] = metrics.history;
    const cli: Record[] = result.history;
    // crmt-jt: 4 epochs of step 1, then step 2 (a third of step 1's, at least 1).
    expect(cli.map((r) => `${r.phase} ${r.epoch}`)).toEqual(page_.map((r) => `${r.phase} ${r.epoch}`));
    expect(cli.filter((r) => r.phase === 'step1')).toHaveLength(4);
    const worst = { loss: 0, accuracy: 0 };
    page_.forEach((p, i) => {
      worst.loss = Math.max(worst.loss, Math.abs(p.val.loss - cli[i].val.loss) / Math.max(1, Math.abs(p.val.loss)));
      worst.accuracy = Math.max(worst.accuracy, Math.abs(p.val.accuracy - cli[i].val.accuracy));
    });
    console.log(
      `config round trip: ${page_.length} epochs, largest relative val-loss difference ${worst.loss.toExponential(2)}, accuracy ${worst.accuracy}`,
    );
    expect(worst.loss).toBeLessThan(1e-5);
    expect(worst.accuracy).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
