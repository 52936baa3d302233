/**
 * Whole missions driven by the statecharts, in-process (createMissionLogic + createActor), with
 * real git, real fake-agent processes and each host: the simulated host in-process, the
 * simulated host as an executable, and the real spec-kitty-cli 3.2.7. The same scenario runs on
 * every host; the last block checks that the simulated and real hosts recorded the same lane
 * moves for it (the simulated host is only useful while it is faithful).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { REWORK_FEEDBACK_HEADING } from '../../src/agents/prompts.js';
import type { MissionOutput } from '../../src/machines/mission/types.js';
import type { FakeInvocation } from './support/fake-agents.js';
import {
  assertSimulatedHostBuilt,
  createHostTarget,
  type HostKind,
  type HostTarget,
} from './support/hosts.js';
import { callCounts, groupBy, hostLanes, laneSequences, laneWork, survivors } from './support/inspect.js';
import { prepareMission, runToEnd } from './support/run-mission.js';
import {
  ACCEPT_SCENARIO,
  type E2eScenario,
  type ExpectedWp,
  PROBLEMS_SCENARIO,
  WP02_FEEDBACK,
} from './support/scenarios.js';

const HOSTS: HostKind[] = ['simulated', 'simulated-exec', 'real'];
const SCENARIOS: E2eScenario[] = [PROBLEMS_SCENARIO, ACCEPT_SCENARIO];
/** The real host costs ~1.5 s a call; a scenario makes a few dozen, partly in parallel. */
const REAL_HOST_TIMEOUT_MS = 300_000;

/** What each run recorded, by `<scenario>|<host>`, for the cross-host comparison at the end. */
interface Recorded {
  sequences: Record<string, string[]>;
  wps: Record<string, ObservedWp>;
  durationMs: number;
  hostCalls: number;
  medianCallMs: number;
}
/**
 * Each scenario runs once per host, when a test first asks for it: the comparisons at the end
 * reuse the runs the per-host tests made, and run what is missing themselves (under a filter,
 * alone), so no test depends on which others ran before it.
 */
const runs = new Map<string, Promise<Recorded>>();
const targets = new Map<HostKind, HostTarget>();

function targetFor(kind: HostKind): HostTarget {
  let target = targets.get(kind);
  if (!target) {
    if (kind !== 'real') assertSimulatedHostBuilt();
    target = createHostTarget(kind);
    targets.set(kind, target);
  }
  return target;
}

function recordedRun(kind: HostKind, scenario: E2eScenario): Promise<Recorded> {
  const key = `${scenario.name}|${kind}`;
  let run = runs.get(key);
  if (!run) {
    run = runScenario(targetFor(kind), scenario);
    runs.set(key, run);
  }
  return run;
}

afterAll(() => {
  for (const target of targets.values()) target.cleanup();
});

type ObservedWp = Pick<ExpectedWp, 'outcome' | 'lane' | 'attempts' | 'agents' | 'reviewCycles'>;

function observedWps(output: MissionOutput): Record<string, ObservedWp> {
  const wps: Record<string, ObservedWp> = {};
  for (const [wpId, summary] of Object.entries(output.wps)) {
    const result = summary.result;
    if (!result) throw new Error(`${wpId} has no WP output: it was never run (${summary.lane})`);
    wps[wpId] = {
      outcome: result.outcome,
      lane: result.lane,
      attempts: result.attempts,
      agents: result.agents as ObservedWp['agents'],
      reviewCycles: result.reviewCycles,
    };
  }
  return wps;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}

function runsByWp(invocations: readonly FakeInvocation[]): Record<string, string[]> {
  return groupBy(
    invocations,
    (run) => run.wp,
    (run) => `${run.role}:${run.agent}:${run.action}`,
  );
}

function mapWps<T>(scenario: E2eScenario, pick: (wp: ExpectedWp) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(scenario.expected.wps).map(([id, wp]) => [id, pick(wp)]));
}

async function runScenario(target: HostTarget, scenario: E2eScenario): Promise<Recorded> {
  const world = await prepareMission({ target, mission: scenario.mission, agents: scenario.agents });
  try {
    const { output, durationMs } = await runToEnd(world.actor(scenario.config));
    // The orchestrator's own calls; the checks below make some more.
    const runCalls = [...world.calls];
    const context = JSON.stringify(output, null, 2);
    const { expected } = scenario;

    // The mission's verdict and every WP actor's output.
    expect(output.status, context).toBe(expected.status);
    if (expected.accepted !== undefined) expect(output.accepted, context).toBe(expected.accepted);
    const wps = observedWps(output);
    expect(wps, context).toEqual(
      mapWps(scenario, ({ outcome, lane, attempts, agents, reviewCycles }) => ({
        outcome,
        lane,
        attempts,
        agents,
        reviewCycles,
      })),
    );

    // What the host says now, and the lane moves it recorded, WP by WP.
    expect(await hostLanes(world.host, world.slug)).toEqual(mapWps(scenario, (wp) => wp.lane));
    const events = target.readLaneEvents(world.repo.root, world.slug);
    const sequences = laneSequences(events);
    expect(sequences).toEqual(expected.laneSequences);
    expect(events.filter((event) => event.force)).toEqual([]);

    // Who was asked to do what, in order (the fake agents' own log).
    expect(runsByWp(world.agents.invocations())).toEqual(mapWps(scenario, (wp) => wp.runs));

    // The agents' work is on the lane branches the host allocated.
    for (const [wpId, wp] of Object.entries(expected.wps)) {
      const work = await laneWork(world.host, world.repo.root, world.slug, wpId);
      expect(work.outputCommits, `${wpId} on ${work.branch}`).toBe(wp.outputCommits);
      if (wp.finalAuthor === null) {
        expect(work.output, `${wpId} on ${work.branch}`).toBeNull();
      } else {
        expect(work.output, `${wpId} on ${work.branch}`).toContain(
          `${wpId} implemented by ${wp.finalAuthor.fakeAgent}, attempt ${wp.finalAuthor.attempt},`,
        );
      }
    }

    // Every agent run went through our launcher, and none outlived the mission.
    const pids = world.agents.pids();
    expect([...pids].sort()).toEqual(world.agentStarts.map((start) => start.pid).sort());
    expect(pids.length).toBe(world.agents.invocations().length);
    expect(await survivors(pids, 0)).toEqual([]);

    // No safety-net poll was needed: dependents started the moment their dependency finished.
    expect(runCalls.filter((call) => !call.ok)).toEqual([]);
    const counts = callCounts(runCalls);
    expect(counts['mission-state'], JSON.stringify(counts)).toBe(expected.missionStateReads);
    expect(counts['accept-mission'] ?? 0).toBe(expected.accepted === undefined ? 0 : 1);
    expect(counts['list-ready'] ?? 0).toBe(0);

    if (scenario === PROBLEMS_SCENARIO) checkProblemDetails(output, world.agents.prompts());
    return {
      sequences,
      wps,
      durationMs,
      hostCalls: runCalls.length,
      medianCallMs: median(runCalls.map((call) => call.durationMs)),
    };
  } finally {
    world.cleanup();
  }
}

/** The specifics of the problems mission: feedback reaches the rework, WP05's block is explained. */
function checkProblemDetails(output: MissionOutput, prompts: { agent: string; text: string }[]): void {
  const wp02Implementations = prompts.filter(
    (prompt) =>
      /work_package_id:\s*["']?WP02\b/.test(prompt.text) &&
      !prompt.text.includes('[spec-kitty-orchestrator:review-request]'),
  );
  expect(wp02Implementations).toHaveLength(2);
  const reworks = wp02Implementations.filter((prompt) => prompt.text.includes(REWORK_FEEDBACK_HEADING));
  expect(reworks).toHaveLength(1);
  expect(reworks[0]?.text).toContain(WP02_FEEDBACK);
  // Feedback is for the WP it was given on only.
  const elsewhere = prompts.filter((p) => p.text.includes(WP02_FEEDBACK) && !wp02Implementations.includes(p));
  expect(elsewhere).toEqual([]);

  const wp05 = output.wps.WP05;
  expect(wp05?.outcome).toBe('blocked');
  expect(wp05?.reason).toMatch(/All implementation agents exhausted/);
  expect(wp05?.reason).toContain('codex attempt 2 failed');
  expect(wp05?.reason).toContain('WP05 cannot be built by anyone');
  expect(output.summary).toMatch(/^WP05 blocked: All implementation agents exhausted/);
  for (const wpId of ['WP01', 'WP02', 'WP03', 'WP04']) expect(output.summary).not.toContain(wpId);
}

describe.each(HOSTS)('whole missions on the %s host', (kind) => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => recordedRun(kind, scenario), REAL_HOST_TIMEOUT_MS);
  }
});

describe('the simulated host is faithful to the real host', () => {
  afterAll(async () => {
    const rows: string[] = [];
    for (const [key, run] of runs) {
      const done = await run.catch(() => null);
      if (done)
        rows.push(
          `${key}: ${done.durationMs} ms, ${done.hostCalls} host calls (median ${done.medianCallMs} ms each)`,
        );
    }
    console.info(`e2e mission durations\n${rows.join('\n')}`);
  });

  for (const scenario of SCENARIOS) {
    for (const simulated of ['simulated', 'simulated-exec'] as const) {
      it(
        `${scenario.name}: ${simulated} and real record the same lane moves and WP outcomes`,
        async () => {
          const [real, sim] = await Promise.all([
            recordedRun('real', scenario),
            recordedRun(simulated, scenario),
          ]);
          expect(sim.sequences).toEqual(real.sequences);
          expect(sim.wps).toEqual(real.wps);
        },
        REAL_HOST_TIMEOUT_MS,
      );
    }
  }
});
