import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Child processes inherit this; set DROVER_LOG_LEVEL=debug to see everything.
    env: { DROVER_LOG_LEVEL: process.env['DROVER_LOG_LEVEL'] ?? 'error' },
  },
});
