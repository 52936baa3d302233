/**
 * The crash test: the built CLI drives a 6-WP mission with dependencies on the REAL host, and is
 * killed with SIGKILL at many different moments (an agent running, its mark-status call running,
 * a host mutation running, right after a run-state write, right after a WP reached done, at
 * random), then `resume`d, again and again until the mission is done. Every run must end with
 * every WP done, no WP claimed twice, no lane move the host's workflow does not have, no agent
 * process left running, and a run-state file that parses after every kill.
 */

import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRunState } from '../../src/actors/persistence/index.js';
import {
  assertCliBuilt,
  describeRun,
  killStrayClis,
  type RunningCli,
  startCli,
} from '../cli-e2e/support/cli.js';
import { hostMissionState, lanesOf, liveAgentPids, runStateFile } from '../cli-e2e/support/inspect.js';
import { type CliProject, createCliProject, workPackage } from '../cli-e2e/support/project.js';
import type { NormalizedLaneEvent } from '../support/real-mission.js';
import {
  agentRunning,
  lanesReached,
  markStatusRunning,
  mutationRunning,
  stateFileStamp,
} from './support/moments.js';

const WPS = ['WP01', 'WP02', 'WP03', 'WP04', 'WP05', 'WP06'];
const MIN_KILL_POINTS = 20;
/** Kills per mission before it is let run to its end (a next mission takes any kills left). */
const MAX_KILLS_PER_MISSION = 20;

/** The lane moves the host's workflow has; a forced in_review -> for_review is crash recovery. */
const LEGAL = new Set([
  'planned>claimed',
  'claimed>in_progress',
  'in_progress>for_review',
  'for_review>in_review',
  'in_review>done',
  'in_review>in_progress',
]);
const LEGAL_FORCED = new Set(['in_review>for_review']);

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const project of projects) project.cleanup();
});

function crashMission(slug: string) {
  return {
    slug,
    title: `Crash ${slug}`,
    workPackages: [
      workPackage('WP01', 'Core', 'T001'),
      workPackage('WP02', 'Store', 'T002', ['WP01']),
      workPackage('WP03', 'Parser', 'T003'),
      workPackage('WP04', 'Api', 'T004', ['WP02', 'WP03']),
      workPackage('WP05', 'Cli', 'T005', ['WP03']),
      workPackage('WP06', 'Docs', 'T006', ['WP04', 'WP05']),
    ],
  };
}

/** What a session looked like when it started (moments are changes since then). */
interface Since {
  stamp: bigint | null;
  done: number;
  startedAt: number;
  randomDelayMs: number;
}

interface KillPoint {
  name: string;
  /** True once the moment has come (polled every few ms). */
  reached(project: CliProject, since: Since): boolean;
}

const KILL_POINTS: KillPoint[] = [
  { name: 'agent running', reached: (p) => agentRunning(p) },
  { name: 'host mutation running', reached: (p) => mutationRunning(p) },
  {
    name: 'right after a state write',
    reached: (p, since) => {
      const stamp = stateFileStamp(p.root);
      return stamp !== null && since.stamp !== null && stamp !== since.stamp;
    },
  },
  { name: 'mark-status running (partial edits on disk)', reached: (p) => markStatusRunning(p) },
  { name: 'a WP just reached done', reached: (p, since) => lanesReached(p, 'done') > since.done },
  {
    name: 'random delay',
    reached: (_p, since) => Date.now() - since.startedAt > since.randomDelayMs,
  },
];

interface CrashStats {
  kills: number;
  byPoint: Record<string, number>;
  resumedToDone: number;
  duplicateClaims: number;
  illegal: string[];
  orphans: number;
  stateFileProblems: string[];
  reapedByResume: number;
  /** Agents still running right after a kill (each must be gone by the end). */
  outlivedKill: number;
}

function checkEvents(events: NormalizedLaneEvent[], stats: CrashStats): void {
  for (const wpId of WPS) {
    const own = events.filter((event) => event.wp_id === wpId && !(event.to_lane === 'planned'));
    const claims = own.filter((event) => event.to_lane === 'claimed').length;
    if (claims > 1) stats.duplicateClaims += claims - 1;
    let lane = 'planned';
    for (const event of own) {
      const move = `${event.from_lane}>${event.to_lane}`;
      const legal = LEGAL.has(move) || (event.force && LEGAL_FORCED.has(move));
      if (!legal || event.from_lane !== lane)
        stats.illegal.push(`${wpId} ${move}${event.force ? ' (forced)' : ''}`);
      lane = event.to_lane;
    }
  }
}

/** How long a session waits for its preferred moment before any other moment will do. */
const PREFERRED_WAIT_MS = 12_000;

/**
 * Waits while the CLI runs for `preferred` (or, after a while, for any moment, so that late
 * phases of a mission, where e.g. no agent marks subtasks any more, are killed too); returns the
 * moment that came, or null when the CLI ended first.
 */
async function awaitMoment(
  run: RunningCli,
  project: CliProject,
  preferred: KillPoint,
): Promise<KillPoint | null> {
  const since: Since = {
    stamp: stateFileStamp(project.root),
    done: lanesReached(project, 'done'),
    startedAt: Date.now(),
    randomDelayMs: 1_000 + Math.floor(Math.random() * 4_000),
  };
  const exited = () => run.child.exitCode !== null || run.child.signalCode !== null;
  // Give the session a moment to start (reap, read lanes) so kills land in real work.
  while (Date.now() - since.startedAt < 400) {
    if (exited()) return null;
    await sleep(20);
  }
  for (;;) {
    if (exited()) return null;
    if (preferred.reached(project, since)) return preferred;
    if (Date.now() - since.startedAt > PREFERRED_WAIT_MS) {
      // Any other moment, the random delay last (it always comes).
      const others = KILL_POINTS.filter((point) => point !== preferred && point.reached(project, since));
      const other = others.find((point) => point.name !== 'random delay') ?? others[0];
      if (other) return other;
    }
    await sleep(preferred.name.startsWith('right after') ? 2 : 15);
  }
}

async function crashMissionUntilDone(slug: string, stats: CrashStats, budget: number): Promise<void> {
  const project = await createCliProject({
    host: 'real',
    mission: crashMission(slug),
    scenario: {
      '*': {
        implementation: { action: 'implement' },
        review: { action: 'approve' },
      },
      WP04: {
        implementation: { action: 'implement' },
        review: [{ action: 'request_changes', feedback: 'Handle the empty input' }, { action: 'approve' }],
      },
    },
    config: {
      agents: { implementation: ['claude-code'], review: ['claude-code'] },
      max_concurrent_wps: 2,
      max_retries: 2,
      retry_backoff_seconds: 0.05,
      max_review_cycles: 4,
      timeout_seconds: 600,
      poll_interval_seconds: 600,
    },
  });
  projects.push(project);
  // Agents take a moment (so they can be caught running), but not long.
  const env = { ...project.env, FAKE_AGENT_SLEEP_MS: '500' };
  let killsHere = 0;
  let command = ['orchestrate', '--mission', project.mission];
  for (let session = 0; session < 60; session += 1) {
    const run = startCli(command, { cwd: project.root, env });
    const preferred = KILL_POINTS[stats.kills % KILL_POINTS.length] as KillPoint;
    const point = killsHere < budget ? await awaitMoment(run, project, preferred) : null;
    if (point) {
      run.signal('SIGKILL');
      const killed = await run.done;
      stats.outlivedKill += liveAgentPids(project).length;
      stats.reapedByResume += (killed.stderr.match(/left running by an earlier run/g) ?? []).length;
      killsHere += 1;
      stats.kills += 1;
      stats.byPoint[point.name] = (stats.byPoint[point.name] ?? 0) + 1;
      // The state file is replaced atomically: whatever the instant, it parses. A run killed
      // before its first write (during the preflight checks) has none: it is started again.
      if (existsSync(runStateFile(project.root))) {
        const text = readFileSync(runStateFile(project.root), 'utf8');
        const parsed = parseRunState(runStateFile(project.root), text);
        if (parsed.kind !== 'ok') stats.stateFileProblems.push(`${point.name}: ${parsed.kind}`);
        command = ['resume'];
      }
      continue;
    }
    const result = await run.done;
    if (command[0] === 'resume')
      stats.reapedByResume += (result.stderr.match(/left running by an earlier run/g) ?? []).length;
    expect(result.exitCode, describeRun(result)).toBe(0);
    break;
  }
  const lanes = lanesOf(await hostMissionState(project));
  expect(lanes).toEqual(Object.fromEntries(WPS.map((wp) => [wp, 'done'])));
  stats.resumedToDone += killsHere;
  checkEvents(project.laneEvents(), stats);
  stats.orphans += liveAgentPids(project).length;
}

describe('crash test (real host, built CLI, SIGKILL at many moments)', () => {
  it(`every run killed at >= ${MIN_KILL_POINTS} points resumes to all-done`, async () => {
    const stats: CrashStats = {
      kills: 0,
      byPoint: {},
      resumedToDone: 0,
      duplicateClaims: 0,
      illegal: [],
      orphans: 0,
      stateFileProblems: [],
      reapedByResume: 0,
      outlivedKill: 0,
    };
    let mission = 0;
    while (stats.kills < MIN_KILL_POINTS) {
      mission += 1;
      await crashMissionUntilDone(
        `00${mission}-crash`,
        stats,
        Math.min(MAX_KILLS_PER_MISSION, MIN_KILL_POINTS - stats.kills),
      );
    }
    console.log(
      `crash test: ${stats.kills} kill points, ${stats.resumedToDone} resumed to all-done, ` +
        `${stats.duplicateClaims} duplicate claims, ${stats.orphans} orphan processes`,
    );
    console.log(
      `kill points by moment: ${JSON.stringify(stats.byPoint)}; agents alive right after a kill: ${stats.outlivedKill}; agent groups reaped by resume: ${stats.reapedByResume}`,
    );
    expect(stats.stateFileProblems).toEqual([]);
    expect(stats.illegal).toEqual([]);
    expect(stats.duplicateClaims).toBe(0);
    expect(stats.orphans).toBe(0);
    expect(stats.resumedToDone).toBe(stats.kills);
    expect(stats.kills).toBeGreaterThanOrEqual(MIN_KILL_POINTS);
  }, 900_000);
});
