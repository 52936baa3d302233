/**
 * One lifecycle, written once, run against every real host and the simulated host. Each host step
 * says what it expects; the runner validates every envelope with the contract schemas and records
 * a comparable outcome per step. Where a real host version answers differently, the step says so
 * as data (`differs`, `only`), with what that host does; the simulated host plays 3.2.7.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostCapabilities } from '../../src/host/capabilities.js';
import { git } from '../support/temp-repo.js';

/** The host versions the suite knows (test/support/real-hosts.ts installs them). */
export type HostVersion = '3.2.7' | '4.0.0rc7';

export const HOST_PROFILES: Readonly<Record<HostVersion, { contract: string }>> = {
  '3.2.7': { contract: '1.5.0' },
  '4.0.0rc7': { contract: '1.16.0' },
};

/** The profile of an installed host; a version the suite does not know is a clear failure. */
export function hostVersionOf(version: string): HostVersion {
  if (Object.hasOwn(HOST_PROFILES, version)) return version as HostVersion;
  throw new Error(
    `no conformance profile for spec-kitty-cli ${version}: add it to HOST_PROFILES in test/host/conformance-steps.ts`,
  );
}

/**
 * The mission's name. The real host calls the mission it creates `<name>-<mid8>`; the simulated
 * mission gets a slug of that form (SLUG), so both answer the same handles. Outcomes name the
 * mission as `<mission>` (the runner replaces each host's slug), so they compare as they are.
 */
export const MISSION_NAME = 'demo';
export const SLUG = `${MISSION_NAME}-01KQ5Z3R`;

export const MISSION_SPEC = {
  slug: SLUG,
  title: 'Conformance demo',
  workPackages: [
    {
      id: 'WP01',
      title: 'First piece',
      dependencies: [],
      subtasks: ['T001', 'T002'],
      prompt: 'Write src/wp01.txt.',
    },
    {
      id: 'WP02',
      title: 'Second piece',
      dependencies: ['WP01'],
      subtasks: ['T003'],
      prompt: 'Write src/wp02.txt.',
    },
  ],
};

export const POLICY = JSON.stringify({
  orchestrator_id: 'spec-kitty-orchestrator',
  orchestrator_version: '0.1.0',
  agent_family: 'claude',
  approval_mode: 'full_auto',
  sandbox_mode: 'workspace_write',
  network_mode: 'none',
  dangerous_flags: [],
});
const SECRET_LIKE_POLICY = POLICY.replace('spec-kitty-orchestrator', 'monkey-business');
const changesRequested = JSON.stringify({
  reviewer: 'rev',
  verdict: 'changes_requested',
  reference: 'review-1',
});
const approved = JSON.stringify({ reviewer: 'rev', verdict: 'approved', reference: 'review-2' });
const approvedWp02 = JSON.stringify({ reviewer: 'rev', verdict: 'approved', reference: 'review-3' });

export interface StepWorld {
  repoRoot: string;
  mission: string;
  /** Lane worktrees by WP, learned from start-implementation. */
  workspaces: Map<string, string>;
  /** What the orchestrator derives from this host's contract-version answer. */
  capabilities?: HostCapabilities;
}

export interface HostStep {
  kind: 'host';
  name: string;
  /** Words after `spec-kitty`. */
  args: (world: StepWorld) => string[];
  /** Run in the WP's lane worktree (agents do) instead of the repo root. */
  cwdWorkspaceOf?: string;
  expect: { exitCode: number; success?: boolean; errorCode?: string | null; noJson?: boolean };
  /** Comparable facts from a success payload (paths made repo-relative). */
  facts?: (data: Record<string, unknown>, world: StepWorld) => Record<string, unknown>;
  /** Run only on these hosts (what a newer host needs that the others do not). */
  only?: readonly HostVersion[];
  /** How a host version answers instead; its outcome is checked here, not against the others. */
  differs?: Partial<Record<HostVersion, Pick<HostStep, 'expect' | 'facts'>>>;
}

export interface AgentStep {
  kind: 'agent';
  name: string;
  act: (world: StepWorld) => void;
  only?: readonly HostVersion[];
}

export type ConformanceStep = HostStep | AgentStep;

const api = (...words: string[]) => ['orchestrator-api', ...words];
const m = (w: StepWorld) => ['--mission', w.mission];
const ok = { exitCode: 0, success: true, errorCode: null };
const refused = (errorCode: string) => ({ exitCode: 1, success: false, errorCode });

const laneFacts = (data: Record<string, unknown>, world: StepWorld) => ({
  workspace: path.relative(world.repoRoot, String(data.workspace_path)),
  lane_id: data.lane_id,
  lane_branch: data.lane_branch,
  lane_base_ref: data.lane_base_ref,
});

function commitIn(wp: string, file: string, content: string): AgentStep {
  return {
    kind: 'agent',
    name: `agent commits ${file} in ${wp}'s worktree`,
    act(world) {
      const workspace = world.workspaces.get(wp);
      if (!workspace) throw new Error(`no worktree known for ${wp}`);
      writeFileSync(path.join(workspace, file), content);
      git(workspace, 'add', file);
      git(workspace, 'commit', '-q', '-m', `${wp}: ${content.trim()}`);
    },
  };
}

function mergeVerbOf(world: StepWorld): string {
  if (!world.capabilities) throw new Error('no contract-version answer seen before the merge step');
  return world.capabilities.mergeVerb;
}

/**
 * 4.0.0rc7's accept readiness verdict refuses a mission the orchestrator drove to done. What it
 * lists, and what a user does about each, on this test mission (measured):
 */
const READINESS_REPAIRS: readonly ConformanceStep[] = [];

export const STEPS: readonly ConformanceStep[] = [
  {
    kind: 'host',
    name: 'contract-version',
    args: () => api('contract-version'),
    expect: ok,
    facts: (d, w) => ({ api: d.api_version, mergeVerb: w.capabilities?.mergeVerb }),
    differs: {
      // 4.0.0rc7 speaks contract 1.16.0 and lists its verbs in delivery_profile.supported:
      // merge-mission is gone, consolidate-mission replaces it.
      '4.0.0rc7': {
        expect: ok,
        facts: (d, w) => ({
          api: d.api_version,
          mergeVerb: w.capabilities?.mergeVerb,
          lists: (d.delivery_profile as { supported?: unknown } | undefined)?.supported !== undefined,
        }),
      },
    },
  },
  {
    kind: 'host',
    name: 'mission-state',
    args: (w) => api('mission-state', ...m(w)),
    expect: ok,
    facts: (d) => ({ wps: d.work_packages, number: d.mission_number }),
  },
  {
    kind: 'host',
    name: 'mission-state by the name without the mission id',
    args: () => api('mission-state', '--mission', MISSION_NAME),
    expect: ok,
    facts: (d) => ({ slug: d.mission_slug }),
  },
  {
    kind: 'host',
    name: 'mission-state by the mission id prefix',
    args: (w) => api('mission-state', '--mission', w.mission.split('-').at(-1) ?? ''),
    expect: ok,
    facts: (d) => ({ slug: d.mission_slug }),
  },
  {
    kind: 'host',
    name: 'mission-state of a mission that does not exist',
    args: () => api('mission-state', '--mission', 'no-such-mission'),
    expect: refused('MISSION_NOT_FOUND'),
  },
  {
    // Read at the start of every run (open decisions). A mission made from a MissionSpec has a
    // spec and finalized tasks but no plan: both real hosts say specify/plan (measured).
    kind: 'host',
    name: 'design-status',
    args: (w) => api('design-status', ...m(w)),
    expect: ok,
    facts: (d) => ({
      number: d.mission_number,
      type: d.mission_type,
      phase: d.current_phase,
      next: d.next_action,
      decisions: d.open_decisions,
      fields: Object.keys(d).sort(),
    }),
  },
  {
    kind: 'host',
    name: 'design-status of a mission that does not exist',
    args: () => api('design-status', '--mission', 'no-such-mission'),
    expect: refused('MISSION_NOT_FOUND'),
  },
  {
    kind: 'host',
    name: 'list-ready',
    args: (w) => api('list-ready', ...m(w)),
    expect: ok,
    facts: (d) => ({ ready: d.ready_work_packages }),
  },
  {
    kind: 'host',
    name: 'resolve-workspace WP02 before any start',
    args: (w) => api('resolve-workspace', ...m(w), '--wp', 'WP02'),
    expect: ok,
    facts: laneFacts,
  },
  {
    kind: 'host',
    name: 'start WP02 before its dependency',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP02', '--actor', 'impl', '--policy', POLICY),
    expect: refused('DEPENDENCIES_NOT_SATISFIED'),
  },
  {
    kind: 'host',
    name: 'start WP01 without policy',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'impl'),
    expect: refused('POLICY_METADATA_REQUIRED'),
  },
  {
    kind: 'host',
    name: 'start WP01 with a secret-like policy value',
    args: (w) =>
      api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'impl', '--policy', SECRET_LIKE_POLICY),
    expect: refused('POLICY_VALIDATION_FAILED'),
  },
  {
    kind: 'host',
    name: 'start WP01',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'impl', '--policy', POLICY),
    expect: ok,
    facts: (d, w) => ({ ...laneFacts(d, w), from: d.from_lane, to: d.to_lane, no_op: d.no_op }),
  },
  {
    kind: 'host',
    name: 'start WP01 again, same actor',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'impl', '--policy', POLICY),
    expect: ok,
    facts: (d) => ({ from: d.from_lane, to: d.to_lane, no_op: d.no_op }),
  },
  {
    kind: 'host',
    name: 'start WP01, another actor',
    args: (w) =>
      api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'intruder', '--policy', POLICY),
    expect: refused('WP_ALREADY_CLAIMED'),
    facts: (d) => ({ claimed_by: d.claimed_by, requesting_actor: d.requesting_actor }),
  },
  {
    kind: 'host',
    name: 'for_review before any commit',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP01', '--to', 'for_review', '--actor', 'impl', '--policy', POLICY),
    expect: refused('TRANSITION_REJECTED'),
  },
  commitIn('WP01', 'wp01.txt', 'first attempt\n'),
  {
    kind: 'host',
    name: 'for_review with a commit but open subtasks',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP01', '--to', 'for_review', '--actor', 'impl', '--policy', POLICY),
    expect: refused('TRANSITION_REJECTED'),
  },
  {
    kind: 'host',
    name: 'for_review with --subtasks-complete does not bypass the subtask guard',
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP01',
        '--to',
        'for_review',
        '--actor',
        'impl',
        '--policy',
        POLICY,
        '--subtasks-complete',
        '--implementation-evidence-present',
      ),
    expect: refused('TRANSITION_REJECTED'),
  },
  {
    kind: 'host',
    name: 'agent marks T001 T002 done from the worktree',
    cwdWorkspaceOf: 'WP01',
    args: (w) => [
      'agent',
      'tasks',
      'mark-status',
      'T001',
      'T002',
      '--status',
      'done',
      '--mission',
      w.mission,
      '--json',
    ],
    expect: { exitCode: 0 },
  },
  {
    kind: 'host',
    name: 'for_review',
    // The run's note rides on the lane change (no append-history): the host keeps it as the
    // event's reason, which the lane events compared below include.
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP01',
        '--to',
        'for_review',
        '--actor',
        'impl',
        '--policy',
        POLICY,
        '--note',
        'Implementation by claude-code (attempt 1 of 3) complete (1 commit(s) on lane)',
      ),
    expect: ok,
    facts: (d) => ({ from: d.from_lane, to: d.to_lane, policy: d.policy_metadata_recorded }),
  },
  {
    kind: 'host',
    name: 'start-review without policy',
    args: (w) => api('start-review', ...m(w), '--wp', 'WP01', '--actor', 'rev'),
    expect: refused('POLICY_METADATA_REQUIRED'),
  },
  {
    kind: 'host',
    name: 'start-review',
    args: (w) => api('start-review', ...m(w), '--wp', 'WP01', '--actor', 'rev', '--policy', POLICY),
    expect: ok,
    facts: (d) => ({ from: d.from_lane, to: d.to_lane, no_op: d.no_op }),
  },
  {
    kind: 'host',
    name: 'start-review again by another reviewer is a no-op',
    args: (w) => api('start-review', ...m(w), '--wp', 'WP01', '--actor', 'rev2', '--policy', POLICY),
    expect: ok,
    facts: (d) => ({ from: d.from_lane, to: d.to_lane, no_op: d.no_op }),
  },
  {
    kind: 'host',
    name: 'leave in_review without a review result',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP01', '--to', 'in_progress', '--actor', 'rev', '--policy', POLICY),
    expect: refused('TRANSITION_REJECTED'),
  },
  {
    kind: 'host',
    name: 'rework: changes requested',
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP01',
        '--to',
        'in_progress',
        '--actor',
        'rev',
        '--policy',
        POLICY,
        '--review-result-json',
        changesRequested,
      ),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'start WP01 again by the implementer after rework: the reviewer now holds it',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP01', '--actor', 'impl', '--policy', POLICY),
    expect: refused('WP_ALREADY_CLAIMED'),
    facts: (d) => ({ claimed_by: d.claimed_by }),
  },
  commitIn('WP01', 'wp01.txt', 'second attempt\n'),
  {
    kind: 'host',
    name: 'for_review after rework',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP01', '--to', 'for_review', '--actor', 'impl', '--policy', POLICY),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'start-review again',
    args: (w) => api('start-review', ...m(w), '--wp', 'WP01', '--actor', 'rev', '--policy', POLICY),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'done with a changes_requested result is refused',
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP01',
        '--to',
        'done',
        '--actor',
        'rev',
        '--review-result-json',
        changesRequested,
      ),
    expect: refused('TRANSITION_REJECTED'),
  },
  {
    kind: 'host',
    name: 'done with approved review result and evidence',
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP01',
        '--to',
        'done',
        '--actor',
        'rev',
        '--review-result-json',
        approved,
        '--evidence-json',
        JSON.stringify({ review: JSON.parse(approved) }),
        '--note',
        'Review approved by rev in cycle 2',
      ),
    expect: ok,
    facts: (d) => ({ from: d.from_lane, to: d.to_lane, policy: d.policy_metadata_recorded }),
  },
  {
    kind: 'host',
    name: 'append-history',
    args: (w) =>
      api('append-history', ...m(w), '--wp', 'WP01', '--actor', 'orchestrator', '--note', 'WP01 finished'),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'transition on an unknown mission',
    args: () =>
      api('transition', '--mission', '999-nope', '--wp', 'WP01', '--to', 'planned', '--actor', 'impl'),
    expect: refused('MISSION_NOT_FOUND'),
  },
  {
    kind: 'host',
    name: 'transition to an unknown WP',
    args: (w) => api('transition', ...m(w), '--wp', 'WP09', '--to', 'planned', '--actor', 'impl'),
    expect: refused('WP_NOT_FOUND'),
  },
  {
    kind: 'host',
    name: 'transition to an unknown lane prints no JSON',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP02', '--to', 'bogus', '--actor', 'impl', '--policy', POLICY),
    expect: { exitCode: 1, noJson: true },
  },
  {
    kind: 'host',
    name: 'unknown option',
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP02', '--to', 'planned', '--actor', 'impl', '--bogus', 'x'),
    expect: { exitCode: 2, success: false, errorCode: 'USAGE_ERROR' },
  },
  {
    kind: 'host',
    name: 'accept-mission before every WP is done',
    args: (w) => api('accept-mission', ...m(w), '--actor', 'orchestrator'),
    expect: refused('MISSION_NOT_READY'),
    facts: (d) => ({ incomplete: d.incomplete_wps }),
  },
  {
    kind: 'host',
    name: 'list-ready offers WP02',
    args: (w) => api('list-ready', ...m(w)),
    expect: ok,
    facts: (d) => ({ ready: d.ready_work_packages }),
  },
  {
    kind: 'host',
    name: 'start WP02',
    args: (w) => api('start-implementation', ...m(w), '--wp', 'WP02', '--actor', 'impl', '--policy', POLICY),
    expect: ok,
    facts: (d, w) => ({
      ...laneFacts(d, w),
      no_op: d.no_op,
      // A dependent lane starts from its dependency's lane tip.
      sees_wp01_work: git(String(d.workspace_path), 'show', 'HEAD:wp01.txt'),
    }),
  },
  {
    kind: 'host',
    name: 'agent marks T003 done',
    cwdWorkspaceOf: 'WP02',
    args: (w) => [
      'agent',
      'tasks',
      'mark-status',
      'T003',
      '--status',
      'done',
      '--mission',
      w.mission,
      '--json',
    ],
    expect: { exitCode: 0 },
  },
  {
    kind: 'host',
    name: "WP02 for_review passes the commit gate on its dependency's commits alone",
    args: (w) =>
      api('transition', ...m(w), '--wp', 'WP02', '--to', 'for_review', '--actor', 'impl', '--policy', POLICY),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'start-review WP02',
    args: (w) => api('start-review', ...m(w), '--wp', 'WP02', '--actor', 'rev', '--policy', POLICY),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'WP02 done with an approved review result and no evidence',
    args: (w) =>
      api(
        'transition',
        ...m(w),
        '--wp',
        'WP02',
        '--to',
        'done',
        '--actor',
        'rev',
        '--review-result-json',
        approvedWp02,
      ),
    expect: ok,
  },
  {
    kind: 'host',
    name: 'accept-mission',
    args: (w) => api('accept-mission', ...m(w), '--actor', 'orchestrator'),
    expect: ok,
    facts: (d) => ({ accepted: d.accepted, mode: d.mode, done: d.done_wps, approved: d.approved_wps }),
    differs: {
      // 4.0.0rc7 (contract >= 1.7) applies its readiness verdict: every WP is done, yet it
      // refuses with MISSION_NOT_READY and lists what is outstanding, by category.
      '4.0.0rc7': {
        expect: refused('MISSION_NOT_READY'),
        facts: (d) => ({
          incomplete: d.incomplete_wps,
          outstanding: Object.keys((d.outstanding as Record<string, unknown> | undefined) ?? {}).sort(),
        }),
      },
    },
  },
  {
    kind: 'host',
    name: 'mission-state at the end',
    args: (w) => api('mission-state', ...m(w)),
    expect: ok,
    facts: (d) => ({ wps: d.work_packages, summary: d.summary }),
  },
  ...READINESS_REPAIRS,
  {
    // 3.2.7's merge-mission wipes uncommitted status files (every WP showed planned again).
    kind: 'agent',
    name: 'the user commits the status files before merging',
    act(world) {
      if (git(world.repoRoot, 'status', '--porcelain') === '') return;
      git(world.repoRoot, 'add', '-A');
      git(world.repoRoot, 'commit', '-q', '-m', 'Record mission status');
    },
  },
  {
    kind: 'host',
    name: 'merge with the verb contract-version names',
    args: (w) => api(mergeVerbOf(w), ...m(w)),
    expect: ok,
    facts: (d, w) => ({
      merged: d.merged,
      target: d.target_branch,
      strategy: d.strategy,
      worktree_removed: d.worktree_removed,
      // WP02 committed nothing of its own; WP01's reworked file must reach the target branch.
      target_has: git(w.repoRoot, 'show', 'HEAD:wp01.txt'),
      lane_branches_left: git(w.repoRoot, 'branch', '--list', 'kitty/*'),
    }),
  },
];
