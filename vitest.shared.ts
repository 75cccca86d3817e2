import { defineConfig } from 'vitest/config';

// One vitest configuration for every package: each package's vitest.config.ts re-exports it.
// reflect-metadata is loaded before any test file because tsyringe needs it at import time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
