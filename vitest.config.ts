import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    globalSetup: ['./test/support/temp-root.ts'],
    setupFiles: ['./test/support/isolated-store.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
