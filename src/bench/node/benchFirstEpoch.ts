import type { Browser } from '@playwright/test';
import type { FirstEpochRow } from '../benchTypes';
import { median } from '../stats';

interface Marks {
  ready: number | null;
  epoch: number | null;
}

/**
 * Runs in the page before its scripts: notes (ms after navigation start) when the run state
 * first reads "idle" and when the epoch counter first shows epoch 1 or more. A string, since tsx
 * would wrap a compiled function in helpers the page does not have.
 */
const WATCH_MARKS = `(() => {
  const marks = { ready: null, epoch: null };
  window.__benchMarks = marks;
  const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent?.trim() ?? '';
  new MutationObserver(() => {
    if (marks.ready === null && text('run-state') === 'idle') marks.ready = performance.now();
    if (marks.epoch === null && /^epoch [1-9]/.test(text('epoch'))) marks.epoch = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

/**
 * Time from page load to the first trained epoch in the built lab: open it (a fresh context, so
 * nothing is cached), click Start as soon as it is idle, stop when "epoch 1" shows.
 */
export async function firstEpoch(browser: Browser, url: string, query: string, runs: number): Promise<FirstEpochRow> {
  const ready: number[] = [];
  const epoch: number[] = [];
  const click: number[] = [];
  let backend = '';
  let reason = '';
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.addInitScript({ content: WATCH_MARKS });
      await page.goto(`${url}/${query}`);
      const marks = () => page.evaluate(() => (window as unknown as { __benchMarks: Marks }).__benchMarks);
      await page.waitForFunction(
        () => (window as unknown as { __benchMarks: Marks }).__benchMarks.ready !== null,
        null,
        {
          timeout: 120_000,
        },
      );
      const start = page.getByRole('button', { name: 'Start' });
      await start.waitFor({ state: 'visible' });
      const clickedAt = await page.evaluate(() => performance.now());
      await start.click();
      await page.waitForFunction(
        () => (window as unknown as { __benchMarks: Marks }).__benchMarks.epoch !== null,
        null,
        {
          timeout: 300_000,
        },
      );
      const m = await marks();
      ready.push(m.ready! / 1000);
      epoch.push(m.epoch! / 1000);
      click.push((m.epoch! - clickedAt) / 1000);
      backend = ((await page.getByTestId('backend-chip').textContent()) ?? '').trim();
      reason = ((await page.getByTestId('backend-reason').textContent()) ?? '').trim();
    } finally {
      await context.close();
    }
  }
  return {
    choice: new URLSearchParams(query).get('backend') ?? 'auto',
    backend,
    reason,
    runs,
    ready: median(ready),
    firstEpoch: median(epoch),
    clickToEpoch: median(click),
    all: epoch,
  };
}
