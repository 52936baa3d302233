import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/cli/config/schema.js';
import { renderRunStatus, summarizeRunState } from '../../../src/cli/output/status-view.js';
import { runPolicy } from '../../../src/cli/runtime/launch-run.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { runStateAround, snapshotWithWpInFlight } from './support/in-flight-snapshot.js';

let world: SimWorld | undefined;
let snapshot: unknown;

beforeAll(async () => {
  world = await createSimWorld([
    { id: 'WP01', title: 'First' },
    { id: 'WP02', title: 'Second' },
    { id: 'WP03', title: 'Third', dependencies: ['WP01', 'WP02'] },
  ]);
  snapshot = await snapshotWithWpInFlight(world);
});
afterAll(() => world?.cleanup());

describe('summarizeRunState on a real persisted snapshot', () => {
  it('shows the policy recorded with the host, in words, and nothing for one it cannot read', () => {
    const policy = runPolicy(DEFAULT_CONFIG);
    const view = summarizeRunState(runStateAround(snapshot, world!.repo.root, { policy }));
    expect(view.policy).toEqual({
      confinement: 'full_auto, sandbox none (an agent can write wherever you can), network open',
      dangerousFlags: policy.dangerous_flags,
    });
    expect(renderRunStatus(view, { cwd: world!.repo.root })).toContain(
      `  policy:   full_auto, sandbox none (an agent can write wherever you can), network open; widening flags: ${policy.dangerous_flags.join(', ')}`,
    );
    const unreadable = summarizeRunState(runStateAround(snapshot, world!.repo.root));
    expect(unreadable.policy).toBeNull();
    expect(renderRunStatus(unreadable, { cwd: world!.repo.root })).not.toContain('policy:');
  });

  it('reads finished WPs from results and in-flight WPs from their child snapshot', () => {
    const state = runStateAround(snapshot, world!.repo.root);
    const view = summarizeRunState(state, { lock: { kind: 'missing' } });
    expect(view).toMatchObject({
      runId: 'run-status-1',
      mission: '001-demo',
      status: 'running',
      missionState: 'running.supervising',
      snapshotProblem: null,
      orchestrator: { pid: 3_999_999, running: false, lockHolderPid: null },
    });
    expect(view.orchestrator.note).toContain('`resume` continues the run');
    expect(view.wps.map((wp) => wp.wp)).toEqual(['WP01', 'WP02', 'WP03']);
    const [wp01, wp02, wp03] = view.wps;
    expect(wp01).toMatchObject({
      phase: 'finished',
      state: 'done',
      lane: 'done',
      laneSource: 'last_known',
      agents: { implementation: ['claude-code'], review: ['codex'] },
      runs: { implementation: 1, review: 1 },
      reviewCycles: 1,
      lastError: null,
      logPath: '/logs/codex-review.log',
      usage: { inputTokens: 200, outputTokens: 20 },
    });
    expect(wp01?.elapsedMs).toBeGreaterThanOrEqual(90_000);
    expect(wp02).toMatchObject({
      phase: 'in_flight',
      state: 'inProgress.implementing',
      lane: 'in_progress',
      agent: 'claude-code',
      attempt: 2,
      runs: { implementation: 1, review: 0 },
      logPath: '/logs/WP02-impl-1.log',
      lastError: 'claude-code attempt 1 failed (timeout): timeout trouble',
    });
    expect(wp03).toMatchObject({
      phase: 'not_started',
      state: '-',
      lane: 'planned',
      laneSource: 'last_known',
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('prefers the host lanes and says when the orchestrator still runs', () => {
    const state = runStateAround(snapshot, world!.repo.root, { pid: process.pid, runId: 'run-status-1' });
    const view = summarizeRunState(state, {
      hostLanes: { WP01: 'done', WP02: 'blocked', WP03: 'planned' },
      lock: {
        kind: 'held',
        holder: {
          pid: process.pid,
          mission: '001-demo',
          runId: 'run-status-1',
          startedAt: 'x',
          hostname: 'h',
        },
        alive: true,
        sameHost: true,
      },
      now: Date.now(),
    });
    expect(view.orchestrator).toMatchObject({ running: true, lockHolderPid: process.pid });
    expect(view.wps.map((wp) => `${wp.wp}:${wp.lane}:${wp.laneSource}`)).toEqual([
      'WP01:done:host',
      'WP02:blocked:host',
      'WP03:planned:host',
    ]);
    const text = renderRunStatus(view, { cwd: '/tmp' });
    expect(text).toContain('Run run-status-1: mission 001-demo');
    expect(text).toMatch(/pid:\s+\d+: running \(pid \d+\)/);
    expect(text).not.toContain('(last known)');
  });

  it('marks snapshot lanes as last known and prints errors and logs', () => {
    const view = summarizeRunState(runStateAround(snapshot, world!.repo.root), {
      lock: { kind: 'missing' },
      hostNote: "the host's mission-state could not be read (HOST_UNREACHABLE: no host)",
    });
    const text = renderRunStatus(view, { cwd: '/tmp' });
    expect(text).toMatch(/WP02\s+in_progress \(last known\)\s+inProgress\.implementing\s+claude-code #2/);
    expect(text).toMatch(/WP01\s+done \(last known\)\s+done\s+-\s+claude-code\s+codex\s+1\/1\s+1/);
    expect(text).toContain('(last known) lanes: the host');
    expect(text).toContain('WP02 last error: claude-code attempt 1 failed (timeout): timeout trouble');
    expect(text).toContain('WP02 log: /logs/WP02-impl-1.log');
  });

  it('names a snapshot it cannot read instead of failing', () => {
    const state = runStateAround({ status: 'active', value: 'x', context: { nope: true } }, '/r');
    const view = summarizeRunState(state, { lock: { kind: 'missing' } });
    expect(view.wps).toEqual([]);
    expect(view.snapshotProblem).toContain('not readable by this version');
    expect(renderRunStatus(view)).toContain('Note: the saved snapshot');
  });
});
