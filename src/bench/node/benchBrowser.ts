import { chromium, type Browser } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import type { BackendResult, BenchPlan } from '../benchTypes';
import { BACKENDS, type BackendName } from '../../core/backend/backendNames';
import { chromiumPath, QUIET_CHROMIUM_ARGS } from '../../cli/chromium';

/** The flags playwright.config.ts gives Chromium, WebGPU on. */
export const CHROMIUM_ARGS = [...QUIET_CHROMIUM_ARGS, '--enable-unsafe-webgpu'];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

/** A static build served by `vite preview` on `port`, removed on close. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * Builds with `config` into a temporary folder (never the lab's dist/) and previews it. The
 * bench page uses an inline config; the lab uses its own vite.config.ts unchanged.
 */
export async function buildAndServe(root: string, port: number, config: InlineConfig): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'crmt-bench-build-'));
  const server: PreviewServer = await (async () => {
    await build({ ...config, root, logLevel: 'error', build: { ...config.build, outDir, emptyOutDir: true } });
    return preview({
      ...config,
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true },
    });
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The bench page: bench/index.html and its worker, nothing of the lab's UI. */
export const benchPageConfig = (root: string): InlineConfig => ({
  configFile: false,
  publicDir: false,
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    rollupOptions: { input: join(root, 'bench/index.html') },
  },
});

/** Each browser backend in a fresh worker of the bench page, one after the other. */
export async function benchBrowserBackends(
  browser: Browser,
  url: string,
  plan: BenchPlan,
  log: (s: string) => void,
  backends: readonly BackendName[] = BACKENDS,
): Promise<BackendResult[]> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${url}/bench/index.html`);
    await page.waitForFunction(() => 'runBackendBench' in window);
    const results: BackendResult[] = [];
    for (const backend of backends) {
      const t0 = performance.now();
      const r = await page.evaluate(
        (req) =>
          (
            window as unknown as {
              runBackendBench: (q: typeof req) => Promise<BackendResult>;
            }
          ).runBackendBench(req),
        { backend, plan },
      );
      if (errors.length) r.errors.push(...errors.splice(0));
      log(`browser ${backend}: ${r.status} in ${((performance.now() - t0) / 1000).toFixed(0)} s — ${r.reason}`);
      results.push(r);
    }
    return results;
  } finally {
    await page.close();
  }
}
