import { defineConfig } from '@playwright/test';
import { chromiumPath, QUIET_CHROMIUM_ARGS as QUIET } from './src/cli/chromium';

const executablePath = chromiumPath();
// Another checkout can test beside this one on its own port (E2E_PORT).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 900 },
  },
  projects: [
    {
      name: 'chromium-webgpu',
      testIgnore: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...QUIET, '--enable-unsafe-webgpu'] } },
    },
    {
      // The same browser without the WebGPU flag: the lab must fall back and say why.
      name: 'chromium-no-webgpu',
      testMatch: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...QUIET, '--disable-features=WebGPU'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
