/**
 * The crash test: the built CLI drives a 6-WP mission with dependencies on the REAL host, and is
 * killed with SIGKILL at many different moments (an agent running, its mark-status call running,
 * a host mutation running, right after a run-state write, right after a WP reached done, at
 * random, and whenever an agent hangs), then `resume`d, again and again until the mission is
 * done. Every run must end with every WP done, no WP claimed twice, no lane move the host's
 * workflow does not have, no agent process left running, and a run-state file that parses after
 * every kill. Agents that outlive a kill must be stopped by the next session before its first
 * host call (a witness in front of the host binary notes any call that overlaps one); a hanging
 * agent, which never ends by itself, must be reported as reaped.
 */

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
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
import {
  hostMissionState,
  lanesOf,
  liveAgentPids,
  processGroupOf,
  runStateFile,
  waitFor,
} from '../cli-e2e/support/inspect.js';
import { type CliProject, createCliProject, workPackage } from '../cli-e2e/support/project.js';
import type { NormalizedLaneEvent } from '../support/real-mission.js';
import {
  agentRunning,
  agentsAccountedFor,
  hangingAgents,
  lanesReached,
  markStatusRunning,
  mutationRunning,
  stateFileStamp,
} from './support/moments.js';
import { hostWitness } from './support/witness-host.js';

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

/**
 * Not in the rotation: an agent that hangs keeps its WP from ever finishing, so a session with one
 * is killed as soon as it is seen (the scenario makes two agents hang, once each).
 */
const AGENT_HANGING: KillPoint = { name: 'agent hanging', reached: (p) => hangingAgents(p).length > 0 };

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
  /** Hanging agents a kill left behind, and how many of them the next session reported reaping. */
  hangingLeft: number;
  hangingReaped: number;
  /** Host calls that started while an agent of the killed run was still alive. */
  hostCallsBeforeReap: string[];
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
/** How long a session may take to be rid of the agents the last kill left running. */
const LEFTOVER_WAIT_MS = 30_000;

/**
 * Waits while the CLI runs for `preferred` (or, after a while, for any moment, so that late
 * phases of a mission, where e.g. no agent marks subtasks any more, are killed too); a hanging
 * agent is a moment whatever is preferred, and the only one once `preferred` is null (no kills
 * left). Returns the moment that came, or null when the CLI ended first. No kill comes before the
 * agents the previous kill left running are gone (reaped by this session, or ended by themselves)
 * and this session has reported reaping the hanging ones.
 */
async function awaitMoment(
  run: RunningCli,
  project: CliProject,
  preferred: KillPoint | null,
  leftover: readonly number[],
  hanging: readonly number[],
): Promise<KillPoint | null> {
  const since: Since = {
    stamp: stateFileStamp(project.root),
    done: lanesReached(project, 'done'),
    startedAt: Date.now(),
    randomDelayMs: 1_000 + Math.floor(Math.random() * 4_000),
  };
  const exited = () => run.child.exitCode !== null || run.child.signalCode !== null;
  // Give the session a moment to start (reap, read lanes) so kills land in real work.
  const reported = (pid: number) =>
    run.stderr().includes(`process group ${pid}) left running by an earlier run`);
  while (Date.now() - since.startedAt < 400 || leftover.some(isAlive) || !hanging.every(reported)) {
    if (exited()) return null;
    // Reaping takes a second (or the grace period, for an agent that ignores SIGTERM); a hanging
    // agent never ends by itself, so waiting on for it would only turn a failure into a timeout.
    if (Date.now() - since.startedAt > LEFTOVER_WAIT_MS)
      throw new Error(
        `the agents ${leftover.filter(isAlive).join(', ')} the last kill left running are still alive, ` +
          `or reaping the hanging ones (${hanging.join(', ')}) was not reported; stderr:\n${run.stderr()}`,
      );
    await sleep(20);
  }
  for (;;) {
    if (exited()) return null;
    if (AGENT_HANGING.reached(project, since)) return AGENT_HANGING;
    if (!preferred) {
      await sleep(50);
      continue;
    }
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

/** CRASH_TRACE=<file>: each session, its kill point and stderr tail, to see where a slow or failed run went. */
const trace = (line: string) => {
  if (process.env.CRASH_TRACE)
    appendFileSync(process.env.CRASH_TRACE, `${new Date().toISOString()} ${line}\n`);
};

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
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
      // Hang at the first attempt: such an agent ends only when the next session reaps it. Two
      // WPs without dependencies, so both hang early, while kills are still to be spent.
      WP01: {
        implementation: [{ action: 'hang' }, { action: 'implement' }],
        review: { action: 'approve' },
      },
      WP03: {
        implementation: { action: 'implement' },
        review: [{ action: 'hang' }, { action: 'approve' }],
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
  const witness = hostWitness(project);
  let killsHere = 0;
  let command = ['orchestrate', '--mission', project.mission];
  /** Agents the last kill left running, and which of them hang. */
  let leftover: number[] = [];
  let hanging: number[] = [];
  /** Each session's stderr must report reaping every hanging agent the previous kill left. */
  const checkHangingReaped = (stderr: string) => {
    stats.reapedByResume += (stderr.match(/left running by an earlier run/g) ?? []).length;
    for (const pid of hanging)
      if (stderr.includes(`process group ${pid}) left running by an earlier run`)) stats.hangingReaped += 1;
  };
  for (let session = 0; session < 60; session += 1) {
    // Agents take a moment (so they can be caught running), but not long.
    const env = { ...witness.env(leftover), FAKE_AGENT_SLEEP_MS: '500' };
    const run = startCli(command, { cwd: project.root, env });
    const preferred =
      killsHere < budget ? (KILL_POINTS[stats.kills % KILL_POINTS.length] as KillPoint) : null;
    trace(
      `${slug} session ${session} ${command[0]} preferred=${preferred?.name} leftover=${leftover} hanging=${hanging}`,
    );
    const point = await awaitMoment(run, project, preferred, leftover, hanging);
    trace(`  -> ${point?.name ?? 'exit'}`);
    if (point) {
      run.signal('SIGKILL');
      const killed = await run.done;
      trace(`  killed; stderr tail: ${killed.stderr.slice(-1500)}`);
      checkHangingReaped(killed.stderr);
      leftover = liveAgentPids(project);
      // An agent started just before the kill may not have logged its invocation yet (nor read
      // its whole prompt): wait until each has, or has ended, to know which ones hang.
      await waitFor(() => agentsAccountedFor(project, leftover), { what: 'the leftover agents logged' });
      // Reported by process group: the bubblewrap process that runs a confined agent.
      hanging = hangingAgents(project).map(processGroupOf);
      stats.outlivedKill += leftover.length;
      stats.hangingLeft += hanging.length;
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
    trace(`  exit ${result.exitCode}\n${result.stderr.slice(-3000)}`);
    checkHangingReaped(result.stderr);
    expect(result.exitCode, describeRun(result)).toBe(0);
    break;
  }
  stats.hostCallsBeforeReap.push(...witness.overlaps());
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
      hangingLeft: 0,
      hangingReaped: 0,
      hostCallsBeforeReap: [],
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
      `kill points by moment: ${JSON.stringify(stats.byPoint)}; agents alive right after a kill: ${stats.outlivedKill}; ` +
        `agent groups reaped by resume: ${stats.reapedByResume}; hanging agents left by a kill: ${stats.hangingLeft}, reaped: ${stats.hangingReaped}`,
    );
    expect(stats.stateFileProblems).toEqual([]);
    expect(stats.hostCallsBeforeReap).toEqual([]);
    expect(stats.hangingLeft).toBeGreaterThanOrEqual(2 * mission);
    expect(stats.hangingReaped).toBe(stats.hangingLeft);
    expect(stats.illegal).toEqual([]);
    expect(stats.duplicateClaims).toBe(0);
    expect(stats.orphans).toBe(0);
    expect(stats.resumedToDone).toBe(stats.kills);
    expect(stats.kills).toBeGreaterThanOrEqual(MIN_KILL_POINTS);
  }, 900_000);
});
