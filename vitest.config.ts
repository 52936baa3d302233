import { defineConfig } from 'vitest/config';

// Real processes, real git and the real host make many tests I/O bound: a generous timeout,
// never a timed assertion (speed is measured in bench/).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
});
