import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * Playwright's own Chromium when it is installed, else the system's (Debian's `chromium`
 * package at /usr/bin/chromium), else whatever CHROMIUM_PATH names. Shared by the browser tests
 * and the benchmarks.
 */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright has no browser of its own here.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Quiet flags for a headless Chromium on a machine without network. */
export const QUIET_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
