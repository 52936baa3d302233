import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.js';

// Real processes, real git and the real host make many tests wait on other processes: a
// generous timeout, never a timed assertion (speed is measured in bench/). The timeout is sized
// for a loaded 2-core machine, where one real host call costs 2-6 s of CPU.
//
// Workers: vitest's default is cores - 1, one worker on a 2-core CI machine, which left the
// suite at 1762 s. Files wait on host and agent processes much of the time, so three workers
// keep both cores busy.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
});
