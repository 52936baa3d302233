/**
 * What happens when agents do not simply succeed, end to end against the REAL host: a review that
 * asks for changes once (rework, then approval) and implementation agents that all fail (blocked).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enforcedPolicyFields } from '../../src/agents/enforced-policy.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli } from './support/cli.js';
import {
  fakeInvocations,
  hostMissionState,
  hostRecordedPolicies,
  laneSequences,
  lanesOf,
  liveAgentPids,
  readRunStateJson,
} from './support/inspect.js';
import { type CliProject, createCliProject, TEST_CONFIG, twoWpMission } from './support/project.js';

const CLAIM = ['planned>claimed', 'claimed>in_progress'];
const REVIEW_ROUND = ['in_progress>for_review', 'for_review>in_review'];
const APPROVED_PATH = [...CLAIM, ...REVIEW_ROUND, 'in_review>done'];
const FEEDBACK = 'Cover the empty input case (cli-e2e-feedback-51c2)';
const FAILURE = 'linker exploded on purpose (cli-e2e-failure-9d0e)';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const created of projects) created.cleanup();
});

describe('review and failure paths on the real host', () => {
  it('a review that requests changes sends the WP back for rework, then it is approved (exit 0)', async () => {
    const p = await createCliProject({
      host: 'real',
      mission: twoWpMission('001-cli-rework'),
      scenario: {
        WP01: { review: [{ action: 'request_changes', feedback: FEEDBACK }, { action: 'approve' }] },
      },
    });
    projects.push(p);
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 0);

    expect(laneSequences(p)).toEqual({
      WP01: [...CLAIM, ...REVIEW_ROUND, 'in_review>in_progress', ...REVIEW_ROUND, 'in_review>done'],
      WP02: APPROVED_PATH,
    });
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
    const wp01Runs = fakeInvocations(p)
      .filter((run) => run.wp === 'WP01')
      .map((run) => `${run.role}:${run.action}`);
    expect(wp01Runs).toEqual([
      'implementation:implement',
      'review:request_changes',
      'implementation:implement',
      'review:approve',
    ]);
    expect(readRunStateJson(p.root)?.status).toBe('completed');
  });

  it('when every implementation agent fails, the WP ends blocked and the run exits 1 naming it and why', async () => {
    // WP02 (after WP01) fails with both agents; WP01 is done, so the run finished with problems.
    const p = await createCliProject({
      host: 'real',
      mission: twoWpMission('002-cli-blocked'),
      scenario: { WP02: { implementation: { action: 'fail', exitCode: 3, message: FAILURE } } },
      // Unconfined (the other real-host runs are confined where bubblewrap works, as in CI).
      config: { ...TEST_CONFIG, sandbox: 'off' },
    });
    projects.push(p);
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 1);

    // What the host recorded with every lane move says so: no sandbox, the unconfined flags.
    const unconfined = enforcedPolicyFields({
      agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
      singleAgentMode: false,
      agentSettings: {},
    });
    const recorded = hostRecordedPolicies(p);
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    for (const policy of recorded) {
      expect(policy).toMatchObject({ sandbox_mode: 'none', dangerous_flags: unconfined.dangerous_flags });
    }

    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'blocked' });
    expect(laneSequences(p)).toEqual({ WP01: APPROVED_PATH, WP02: [...CLAIM, 'in_progress>blocked'] });
    // Both agents tried, each with its one retry; nobody reviewed a failed implementation.
    const wp02Runs = fakeInvocations(p)
      .filter((run) => run.wp === 'WP02')
      .map((run) => `${run.role}:${run.agent}:${run.action}`);
    expect(wp02Runs).toEqual([
      'implementation:claude:fail',
      'implementation:claude:fail',
      'implementation:codex:fail',
      'implementation:codex:fail',
    ]);
    // stderr names the WP, its state, and the agents' own error.
    const blockedLine = result.stderr
      .split('\n')
      .find((line) => line.includes('WP02') && /blocked/.test(line));
    expect(blockedLine, describeRun(result)).toBeDefined();
    expect(result.stderr, describeRun(result)).toContain(FAILURE);
    expect(readRunStateJson(p.root)?.status).toBe('finished_with_problems');
    expect(liveAgentPids(p)).toEqual([]);
  });
});
