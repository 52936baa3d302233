/**
 * The simulated host against EVERY installed real host (spec-kitty-cli 3.2.7 and 4.0.0rc7): the
 * same mission, the same steps, and every envelope validated with the contract schemas. On each
 * step both hosts share, the runs must agree on success/error_code, the lanes after the step, the
 * lane events it added and the facts it records (no_op, lane names, paths relative to the repo...).
 * Steps where a host version answers differently carry that host's expectation (conformance-steps).
 * The real runs start the installed script cold, as a user's shell does; one more run per host
 * goes through the warm host the rest of the suite uses and must give the same outcomes.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedMission } from '../../src/host/simulated/create-mission.js';
import { realHosts } from '../support/real-hosts.js';
import { createRealMission, readRealLaneEvents, readSimulatedLaneEvents } from '../support/real-mission.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv, type TempRepo } from '../support/temp-repo.js';
import { runConformance, runsOn, type StepOutcome } from './conformance-runner.js';
import { hostVersionOf, MISSION_NAME, MISSION_SPEC, SLUG, STEPS } from './conformance-steps.js';

const SIMULATED_BIN = path.resolve(import.meta.dirname, '../../fixtures/bin/spec-kitty');
const SIMULATED_CLI = path.resolve(import.meta.dirname, '../../dist/host/simulated/cli.js');

const repos: TempRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

function workingRepo(): string {
  const repo = createTempRepo('sko-conformance-');
  repos.push(repo);
  git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
  return repo.root;
}

/** The steps both hosts run and answer alike: the ones the two runs must agree on. */
const shared = (outcomes: readonly StepOutcome[]) => outcomes.filter((o) => !o.ownOutcome);

let simulated: StepOutcome[] = [];
let simulatedRoot = '';

describe('host conformance: the simulated host (plays spec-kitty-cli 3.2.7)', () => {
  it('drives the simulated host through the lifecycle', async () => {
    if (!existsSync(SIMULATED_CLI))
      throw new Error(`${SIMULATED_CLI} is missing: run \`npm run build\` first`);
    simulatedRoot = workingRepo();
    await createSimulatedMission(simulatedRoot, MISSION_SPEC);
    simulated = await runConformance(
      {
        bin: SIMULATED_BIN,
        env: { ...GIT_TEST_ENV },
        readLaneEvents: () => readSimulatedLaneEvents(simulatedRoot, SLUG),
        version: '3.2.7',
      },
      { repoRoot: simulatedRoot, mission: SLUG, workspaces: new Map() },
    );
    expect(simulated.find((o) => o.step === 'mission-state at the end')?.lanes).toEqual({
      WP01: 'done',
      WP02: 'done',
    });
  });
});

for (const host of realHosts()) {
  const version = hostVersionOf(host.version);

  /** A mission made by the host `bin` in `root`, then every conformance step on it. */
  async function realLifecycle(bin: string, root: string, home: string) {
    const env = { ...hostTestEnv(home, bin), ...GIT_TEST_ENV, SPEC_KITTY_NO_UPGRADE_CHECK: '1' };
    const mission = await createRealMission(root, MISSION_SPEC, { hostBin: bin, env });
    const outcomes = await runConformance(
      { bin, env, readLaneEvents: () => readRealLaneEvents(root, mission.slug), version },
      { repoRoot: root, mission: mission.slug, workspaces: new Map() },
    );
    return { mission, outcomes };
  }

  describe(`host conformance: real spec-kitty-cli ${host.version} vs the simulated host`, () => {
    let home = '';
    let real: StepOutcome[] = [];
    let realRoot = '';
    /** The slug the real host gave the mission (the simulated host's is SLUG). */
    let realSlug = '';

    beforeAll(() => {
      home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-host-home-')));
    });
    afterAll(() => {
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('drives the real host through the full lifecycle', async () => {
      realRoot = workingRepo();
      const startedAt = performance.now();
      const { mission, outcomes } = await realLifecycle(host.coldBin, realRoot, home);
      expect(mission.slug).toMatch(new RegExp(`^${MISSION_NAME}-[0-9A-Z]{8}$`));
      realSlug = mission.slug;
      expect(mission.finalize.dependencies_parsed).toEqual({ WP01: [], WP02: ['WP01'] });
      real = outcomes;
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      console.info(
        `live conformance on spec-kitty-cli ${host.version}: ${real.length} steps in ${seconds} s`,
      );
      expect(real.find((o) => o.step === 'mission-state at the end')?.lanes).toEqual({
        WP01: 'done',
        WP02: 'done',
      });
    }, 600_000);

    it('runs every step meant for this host', () => {
      expect(real.map((o) => o.step)).toEqual(STEPS.filter((s) => runsOn(s, version)).map((s) => s.name));
    });

    it('agrees with the simulated host on every step they share', () => {
      expect(shared(real).length).toBeGreaterThan(30);
      // The simulated host plays 3.2.7: a step with this host's own expectation (4.0's
      // contract-version and readiness-checked accept-mission) is not compared.
      const sharedHere = new Set(shared(real).map((o) => o.step));
      // Outcomes hold no timestamps, ids or absolute paths: they must be equal as they are.
      expect(shared(simulated).filter((o) => sharedHere.has(o.step))).toEqual(shared(real));
    });

    it('records the same lane event sequence on the shared steps', () => {
      const sharedHere = new Set(shared(real).map((o) => o.step));
      const events = (outcomes: readonly StepOutcome[]) =>
        shared(outcomes)
          .filter((o) => sharedHere.has(o.step))
          .flatMap((o) => o.addedEvents);
      expect(events(real).length).toBeGreaterThan(10);
      // A transition's --note is kept as its event's reason: the orchestrator's run notes ride there.
      expect(events(real).map((e) => e.reason)).toEqual(
        expect.arrayContaining([
          'Implementation by claude-code (attempt 1 of 3) complete (1 commit(s) on lane)',
          'Review approved by rev in cycle 2',
        ]),
      );
      expect(events(simulated)).toEqual(events(real));
      if (real.every((o) => !o.ownOutcome)) {
        // Nothing host-specific ran: the whole logs match too.
        expect(readSimulatedLaneEvents(simulatedRoot, SLUG)).toEqual(readRealLaneEvents(realRoot, realSlug));
      }
    });

    it('answers every step alike through the warm host the other tests use', async () => {
      // The rest of the suite calls this host warm (test/support/warm-host.ts: started once per
      // call environment, forked per call). Same mission, same steps: same outcomes as cold.
      const warmHome = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-host-home-')));
      try {
        const warm = await realLifecycle(host.bin, workingRepo(), warmHome);
        expect(real.length).toBeGreaterThan(30);
        expect(warm.outcomes).toEqual(real);
      } finally {
        rmSync(warmHome, { recursive: true, force: true });
      }
    }, 600_000);

    it("merges every WP's work onto the target branch", () => {
      const merge = real.at(-1);
      expect(merge?.step).toBe('merge with the verb contract-version names');
      expect(merge?.facts).toMatchObject({
        merged: true,
        target: 'e2e/orchestrator',
        target_has: 'second attempt',
      });
      expect(git(realRoot, 'log', '--format=%s', 'e2e/orchestrator')).toMatch(/WP01: second attempt/);
    });
  });
}
