import { expect, test } from '@playwright/test';
import { measureResponsiveness } from '../src/bench/node/benchResponsiveness';
import { writeManyClassFolder } from '../src/bench/node/manyClassFolder';

test('the page answers while a 15-class, 3-modality set of 4,485 samples trains with every chart on screen', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const row = await measureResponsiveness(page, { url: baseURL!, folder: writeManyClassFolder(), trainSeconds: 6 });
  console.log(JSON.stringify(row));
  for (const [k, v] of Object.entries(row)) test.info().annotations.push({ type: k, description: String(v) });
  // Loose bounds: this machine is shared, and `npm run bench` keeps the strict table (50 ms, 100 ms, 1 snapshot).
  expect(row.epochShown).toBeGreaterThan(0);
  expect(row.longestTaskMs).toBeLessThan(400);
  // The work in the longest task, without the waits for a core this shared machine adds to its wall time.
  expect(row.longestTaskCpuMs).not.toBeNull();
  expect(row.longestTaskCpuMs!).toBeLessThan(100);
  expect(row.longTaskMs).toBeLessThan(0.2 * row.trainSeconds * 1000);
  expect(row.pauseLatencyMs).toBeLessThan(400);
  expect(row.framesPerSecond).toBeGreaterThan(15);
  expect(row.viewLagSnapshots).not.toBeNull();
  expect(row.viewLagSnapshots!).toBeLessThanOrEqual(3);
  // Paused means paused: nothing moves afterwards.
  const step = await page.getByTestId('step').getAttribute('data-value');
  await page.waitForTimeout(700);
  await expect(page.getByTestId('step')).toHaveAttribute('data-value', step!);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
});
