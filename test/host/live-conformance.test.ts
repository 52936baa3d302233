/**
 * The simulated host against the REAL host (spec-kitty-cli 3.2.7): the same mission, the same
 * steps, and every envelope validated with the contract schemas. The two runs must agree on
 * success/error_code per step, the lanes after each step, the lane event sequence and the facts
 * each step records (no_op, lane names, paths relative to the repo...).
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedMission } from '../../src/host/simulated/create-mission.js';
import { createRealMission, readRealLaneEvents, readSimulatedLaneEvents } from '../support/real-mission.js';
import {
  createTempRepo,
  GIT_TEST_ENV,
  git,
  hostTestEnv,
  realHostBin,
  type TempRepo,
} from '../support/temp-repo.js';
import { runConformance, type StepOutcome } from './conformance-runner.js';
import { MISSION_SPEC, SLUG } from './conformance-steps.js';

const SIMULATED_BIN = path.resolve(import.meta.dirname, '../../fixtures/bin/spec-kitty');
const SIMULATED_CLI = path.resolve(import.meta.dirname, '../../dist/host/simulated/cli.js');

describe('host conformance: real host vs simulated host', () => {
  const repos: TempRepo[] = [];
  let home = '';
  let real: StepOutcome[] = [];
  let simulated: StepOutcome[] = [];
  let realRoot = '';
  let simulatedRoot = '';

  beforeAll(() => {
    if (!existsSync(SIMULATED_CLI))
      throw new Error(`${SIMULATED_CLI} is missing: run \`npm run build\` first`);
    home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-host-home-')));
  });

  afterAll(() => {
    for (const repo of repos) repo.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function workingRepo(): string {
    const repo = createTempRepo('sko-conformance-');
    repos.push(repo);
    git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
    return repo.root;
  }

  it('drives the real host through the full lifecycle', async () => {
    realRoot = workingRepo();
    const env = { ...hostTestEnv(home), ...GIT_TEST_ENV };
    const mission = await createRealMission(realRoot, MISSION_SPEC, { hostBin: realHostBin(), env });
    expect(mission.finalize.dependencies_parsed).toEqual({ WP01: [], WP02: ['WP01'] });
    real = await runConformance(
      { bin: realHostBin(), env, readLaneEvents: () => readRealLaneEvents(realRoot, SLUG) },
      { repoRoot: realRoot, workspaces: new Map() },
    );
    expect(real.at(-1)?.lanes).toEqual({ WP01: 'done', WP02: 'done' });
  });

  it('drives the simulated host through the same lifecycle', async () => {
    simulatedRoot = workingRepo();
    await createSimulatedMission(simulatedRoot, MISSION_SPEC);
    simulated = await runConformance(
      {
        bin: SIMULATED_BIN,
        env: { ...GIT_TEST_ENV },
        readLaneEvents: () => readSimulatedLaneEvents(simulatedRoot, SLUG),
      },
      { repoRoot: simulatedRoot, workspaces: new Map() },
    );
    expect(simulated.at(-1)?.lanes).toEqual({ WP01: 'done', WP02: 'done' });
  });

  it('both hosts agree step by step', () => {
    expect(real.length).toBeGreaterThan(0);
    // Outcomes hold no timestamps, ids or absolute paths: they must be equal as they are.
    expect(simulated).toEqual(real);
  });

  it('both hosts record the same lane event sequence', () => {
    const realEvents = readRealLaneEvents(realRoot, SLUG);
    expect(realEvents.length).toBeGreaterThan(10);
    expect(readSimulatedLaneEvents(simulatedRoot, SLUG)).toEqual(realEvents);
  });

  it('neither host commits its mutations', () => {
    expect(git(realRoot, 'status', '--porcelain', '--', 'kitty-specs')).toMatch(/status\.events\.jsonl/);
    expect(git(simulatedRoot, 'log', '--oneline', '-1')).toMatch(/initial commit/);
  });
});
