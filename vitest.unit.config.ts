import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the tests that need nothing installed beyond `npm ci` (no real host, no
 * real agent CLI, no built CLI), for a quick loop while editing machines, adapters and parsers.
 * `npm test` runs these and everything else. A file that starts the real host belongs in
 * INTEGRATION below: without the global setup it fails saying SPEC_KITTY_BIN is not set.
 */
const UNIT = [
  'test/architecture.test.ts',
  'test/machines/**/*.test.ts',
  'test/agents/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/cli/output/**/*.test.ts',
  'test/cli/runtime/**/*.test.ts',
  'test/persistence/**/*.test.ts',
  'test/actors/**/*.test.ts',
  'test/host/**/*.test.ts',
  'test/model-server/**/*.test.ts',
  'test/support/**/*.test.ts',
  'test/bench/ideal.test.ts',
  'test/bench/scenarios.test.ts',
  'test/bench/state-writes.test.ts',
];

const INTEGRATION = [
  'test/host/live-conformance.test.ts',
  'test/host/real-mutation-concurrency.test.ts',
  'test/host/exec-transport.test.ts',
  'test/host/policy.test.ts',
];

export default defineConfig({
  test: {
    include: UNIT,
    exclude: INTEGRATION,
    testTimeout: 60_000,
    pool: 'forks',
  },
});
