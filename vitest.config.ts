import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Hooks train small models; on a loaded 2-core machine that can take longer than vitest's default 10 s.
    hookTimeout: 120_000,
    setupFiles: ['tests/setup.ts'],
  },
});
