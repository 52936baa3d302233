/**
 * `orchestrate` end to end against the REAL host (spec-kitty-cli 3.2.7): the built CLI as a
 * subprocess, fake agents on PATH, a two-WP mission where WP02 depends on WP01.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from '../../src/actors/sandbox/detect-sandbox.js';
import { enforcedPolicyFields } from '../../src/agents/enforced-policy.js';
import { git } from '../support/temp-repo.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli } from './support/cli.js';
import {
  APPROVED_PATH,
  branches,
  commitsAhead,
  gitStatus,
  hostMissionState,
  hostRecordedPolicies,
  laneSequences,
  lanesOf,
  liveAgentPids,
  lockFile,
  readRunStateJson,
  runStateFile,
} from './support/inspect.js';
import { type CliProject, createCliProject, twoWpMission } from './support/project.js';

const BASE_BRANCH = 'feature/cli-e2e';

const projects: CliProject[] = [];
async function project(...args: Parameters<typeof createCliProject>): Promise<CliProject> {
  const created = await createCliProject(...args);
  projects.push(created);
  return created;
}

beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const created of projects) created.cleanup();
});

describe('orchestrate on the real host', () => {
  it('runs a two-WP mission to done: lanes, branches, run state and logs', async () => {
    const p = await project({ host: 'real', mission: twoWpMission('001-cli-happy') });
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 0);

    // The host's own view: every WP done, reached through the full review path.
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
    expect(laneSequences(p)).toEqual({ WP01: APPROVED_PATH, WP02: APPROVED_PATH });

    // Each WP's work is committed on a lane branch of the mission.
    const lanes = branches(p.root).filter((name) => name.startsWith(`kitty/mission-${p.mission}-lane-`));
    expect(lanes.length, branches(p.root).join(', ')).toBeGreaterThanOrEqual(1);
    for (const lane of lanes) expect(commitsAhead(p.root, BASE_BRANCH, lane), lane).toBeGreaterThan(0);
    for (const wp of ['WP01', 'WP02']) {
      const holding = lanes.filter((lane) => hasFile(p.root, lane, `fake-agent-output/${wp}.txt`));
      expect(holding, `a lane branch with ${wp}'s output`).not.toEqual([]);
    }

    // The run state: parses, completed, this mission; the lock is gone.
    const state = readRunStateJson(p.root);
    expect(state, runStateFile(p.root)).toBeDefined();
    expect(state).toMatchObject({
      format: 'spec-kitty-orchestrator/run-state',
      status: 'completed',
      mission: p.mission,
    });
    expect(existsSync(lockFile(p.root))).toBe(false);

    // The audit record is true: the policy the host kept with every lane move is what this run's
    // agents could do (claude-code and codex implement, claude-code reviews; bubblewrap confines
    // every run where it works, as in CI; the network is open), with each widening flag the
    // adapters pass.
    const sandboxed = (await probeSandbox()).available;
    const expected = enforcedPolicyFields(
      {
        agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
        singleAgentMode: false,
        agentSettings: {},
      },
      { sandboxed },
    );
    expect(expected.dangerous_flags).toContain('--permission-mode=acceptEdits');
    const recorded = hostRecordedPolicies(p);
    // Measured on 3.2.7: the host keeps a policy on 8 of the 10 lane events (4 per WP).
    expect(recorded.length).toBeGreaterThanOrEqual(8);
    for (const policy of recorded) {
      expect(policy).toMatchObject({
        orchestrator_id: 'spec-kitty-orchestrator',
        approval_mode: 'full_auto',
        sandbox_mode: sandboxed ? 'workspace_write' : 'none',
        network_mode: 'open',
        dangerous_flags: expected.dangerous_flags,
      });
    }
    expect(state?.policy).toMatchObject(expected);

    // One log per agent run, under .kittify/logs/<mission>/ (named after WP, role, agent, attempt).
    const logs = path.join(p.root, '.kittify', 'logs', p.mission);
    const logFiles = readdirSync(logs);
    for (const wp of ['WP01', 'WP02']) {
      for (const role of ['implementation', 'review']) {
        const files = logFiles.filter((name) => name.startsWith(`${wp}-${role}`) && name.endsWith('.log'));
        expect(files, `${wp} ${role} log in ${logFiles.join(', ')}`).toHaveLength(1);
        expect(statSync(path.join(logs, files[0] ?? '')).size, files[0]).toBeGreaterThan(0);
      }
    }
    expect(liveAgentPids(p)).toEqual([]);
  });

  it('--dry-run prints the plan and changes nothing (no state, no lock, no lane event, same git status)', async () => {
    const p = await project({ host: 'real', mission: twoWpMission('002-cli-dry-run') });
    const eventsFile = path.join(p.root, 'kitty-specs', p.mission, 'status.events.jsonl');
    const eventsBefore = readFileSync(eventsFile, 'utf8');
    const statusBefore = gitStatus(p.root);
    const headsBefore = git(p.root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/');

    const result = await runCli(['orchestrate', '--mission', p.mission, '--dry-run'], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(result, 0);
    expect(result.stderr, describeRun(result)).toMatch(/dry run/i);
    expect(result.stderr, describeRun(result)).toMatch(/ready to start:\s+WP01\b/);
    expect(result.stderr, describeRun(result)).toMatch(/WP02 \(after WP01\)/);
    // The policy the run would record, before it records anything: confined by bubblewrap where
    // it works (CI installs it), else nothing confines the claude runs.
    expect(result.stderr).toMatch(
      (await probeSandbox()).available
        ? /policy recorded:\s+full_auto, sandbox workspace_write \(writes confined to the worktree\), network open/
        : /policy recorded:\s+full_auto, sandbox none \(an agent can write wherever you can\), network open/,
    );
    // Each widening flag of the argv this run would use (confined: codex leaves it to ours).
    const flags = enforcedPolicyFields(
      {
        agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
        singleAgentMode: false,
        agentSettings: {},
      },
      { sandboxed: (await probeSandbox()).available },
    ).dangerous_flags;
    expect(result.stderr).toContain(`widening flags:     ${flags.join(', ')}`);

    expect(existsSync(runStateFile(p.root))).toBe(false);
    expect(existsSync(lockFile(p.root))).toBe(false);
    expect(readFileSync(eventsFile, 'utf8')).toBe(eventsBefore);
    expect(gitStatus(p.root)).toBe(statusBefore);
    expect(git(p.root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/')).toBe(headsBefore);
    expect(existsSync(path.join(p.root, '.kittify', 'logs'))).toBe(false);
  });
});

function hasFile(root: string, branch: string, file: string): boolean {
  return git(root, 'ls-tree', '--name-only', branch, '--', file) === file;
}
