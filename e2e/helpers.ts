import { expect, type Page } from '@playwright/test';

/** Collects console errors, uncaught exceptions and any request that leaves the page's origin. */
export function watchPage(page: Page, origin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`) {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  return { errors, foreign };
}

export async function openLab(page: Page, query = '', hash = '') {
  await page.goto(`/${query}${hash}`);
  await expect(page.getByTestId('run-state')).toHaveText('idle');
}

export async function numberOf(page: Page, testId: string): Promise<number> {
  const v = await page.getByTestId(testId).getAttribute('data-value');
  return v === null || v === '' ? NaN : Number(v);
}
