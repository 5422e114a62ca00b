import { expect, test, type Page } from '@playwright/test';
import { openLab, watchPage } from './helpers';

/**
 * The Content-Security-Policy (vite.config.ts): only the lab's own origin, its worker and WASM.
 * Every backend still trains under it, the audio and image previews and chart PNGs still work,
 * and no violation is reported; what the policy is for (inline script, a fetch elsewhere) is refused.
 */

/** Records every CSP violation the page reports, from before its first script runs. */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile ?? ''}:${e.lineNumber}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

test('the page is served with the policy, as a header and in the page, and it refuses inline script and other origins', async ({
  page,
}) => {
  const violations = await recordViolations(page);
  const response = await page.goto('/?backend=wasm');
  const header = response!.headers()['content-security-policy'];
  expect(header).toContain("default-src 'self'");
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).toContain("frame-ancestors 'none'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(header.startsWith(meta!)).toBe(true);
  await expect(page.getByTestId('run-state')).toHaveText('idle');
  expect(await violations()).toEqual([]);

  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __inline?: boolean };
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.head.appendChild(s);
    const fetched = await fetch('https://example.com/').then(
      () => true,
      () => false,
    );
    return { inline: w.__inline === true, fetched };
  });
  expect(ran).toEqual({ inline: false, fetched: false });
  // Reported once by each copy of the policy (header and meta).
  const refused = async () => [...new Set((await violations()).map((v) => v.split(' ').slice(0, 2).join(' ')))];
  await expect.poll(refused).toEqual(['script-src-elem inline', 'connect-src https://example.com/']);
});

for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const)
  test(`${backend} trains under the policy with no violation and no console error`, async ({ page }) => {
    const violations = await recordViolations(page);
    const watch = watchPage(page);
    await openLab(page, `?backend=${backend}`, '#epochs=1');
    // Forced, a backend that cannot start falls back: the WASM binary needs 'wasm-unsafe-eval', in the worker too.
    await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-backend', backend);
    // One training step: every kernel of a step, forward and backward, on that backend.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('loss')).not.toHaveText('—');
    expect(await violations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(watch.foreign).toEqual([]);
  });

test('thumbnails, playable audio and chart PNGs work under the policy', async ({ page }) => {
  const violations = await recordViolations(page);
  const watch = watchPage(page);
  await openLab(page, '?backend=wasm', '#epochs=1&data=audioVisual&avSamples=120');
  await expect(page.getByTestId('preview-image').locator('canvas')).toHaveCount(4);
  await expect(page.getByTestId('preview-audio').locator('audio').first()).toHaveAttribute('src', /^blob:/);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('done');
  // The chart's SVG is drawn onto a canvas through a data: image.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('learning-curves-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  expect(await violations()).toEqual([]);
  expect(watch.errors).toEqual([]);
});
