// @ts-check
/**
 * Mutation testing of the decision code (`npm run mutation`): the statecharts, the verdict and
 * output parsers and failure classification. Reports land in .cache/mutation (git-ignored);
 * docs/testing.md records the scores and the mutants judged equivalent.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Each mutant reruns only the tests that reached it; the model tests take most of a minute.
  coverageAnalysis: 'perTest',
  mutate: [
    'src/machines/**/*.ts',
    '!src/machines/diagram/**',
    // Barrels only re-export.
    '!src/machines/index.ts',
    '!src/machines/*/index.ts',
    'src/agents/verdict.ts',
    'src/agents/parse/**/*.ts',
  ],
  // State descriptions are documentation; stryker/ignore-descriptions.mjs says why they are left out.
  plugins: ['@stryker-mutator/vitest-runner', './stryker/ignore-descriptions.mjs'],
  ignorers: ['statechart-descriptions'],
  // The sandbox needs the sources, the tests and their fixtures; .cache holds the host venv and
  // bench builds, far too large to copy for nothing.
  ignorePatterns: ['/.cache', '/dist', '/coverage', '/docs', '/bench/results'],
  // A 2-core machine shared with other test runs: one test runner at a time.
  concurrency: 1,
  // Reruns after a new test only replay the mutants and tests that changed.
  incremental: true,
  incrementalFile: '.cache/mutation/stryker-incremental.json',
  tempDirName: '.cache/stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.cache/mutation/index.html' },
  jsonReporter: { fileName: '.cache/mutation/mutation.json' },
  thresholds: { high: 85, low: 80, break: null },
  // A statechart mutant often leaves an actor waiting for an event that never comes; such a
  // mutant counts as detected (timeout), and a short grace keeps each one to seconds. The
  // baseline (each test's dry-run time times timeoutFactor) already allows for a loaded machine.
  timeoutMS: 5_000,
  cleanTempDir: 'always',
};
