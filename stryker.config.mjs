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
  // Each mutant reruns only the tests that reached it (static mutants rerun every related file).
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
  // A mutant that hangs an actor is stopped by the 4 s test timeout of the mutation config
  // first; this grace on top of each test's dry-run time only catches a hang outside a test.
  timeoutMS: 5_000,
  cleanTempDir: 'always',
};
