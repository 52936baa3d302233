import { defineConfig } from 'vitest/config';
import MutationFastFirstSequencer from './test/support/mutation-fast-first-sequencer.js';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutation`, stryker.config.mjs). Only the
 * tests that exercise the mutated decision code: the machine tests on the in-process simulated
 * host and the agent parsing/verdict tests. Every mutant reruns the tests that cover it, so a test
 * that starts a process per case (fake agent CLIs, the sandbox relay) or tests code that is not
 * mutated (detection, prompts, policy) only slows the run. Nothing here needs the real host.
 */
export default defineConfig({
  test: {
    include: ['test/machines/*.test.ts', 'test/agents/*.test.ts'],
    exclude: [
      // Renders diagrams from src/machines/diagram, which is not mutated.
      'test/machines/diagrams.test.ts',
      // The model tests walk the machines while vitest collects them (the paths are test
      // cases), so every machine line runs outside any test: Stryker then treats 95% of the
      // machine mutants as static and reruns all 578 tests (90 s) for each, about 40 hours
      // per run. Without them each mutant reruns only the tests that reach it. What they
      // would kill on top only raises the score, so the measured score is a lower bound.
      'test/machines/wp-model.test.ts',
      'test/machines/mission-model.test.ts',
      // Spawn the fake agent CLIs and the mark-status relay: processes per case, and they
      // test the adapters' process wiring rather than the parsing that is mutated.
      'test/agents/fake-agent.test.ts',
      'test/agents/sandbox.test.ts',
      // Cover code outside the mutated set.
      'test/agents/detect.test.ts',
      'test/agents/detect-alt-binaries.test.ts',
      'test/agents/flag-check.test.ts',
      'test/agents/enforced-policy.test.ts',
      'test/agents/prompts.test.ts',
    ],
    // Each included test settles within 1.5 s on a loaded 2-core machine. A mutant that leaves an
    // actor waiting forever then fails its test (killed) before Stryker's own timeout (the test's
    // time x 1.5 + 5 s) fires, which would also restart the test runner, costing seconds more.
    testTimeout: 4_000,
    sequence: { sequencer: MutationFastFirstSequencer },
  },
});
