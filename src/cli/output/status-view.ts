/**
 * `status`: what a run-state file says about a run, as plain data (for `--json`) and as text.
 * Pure: the run state, the lock reading and the host's lanes come in; nothing is read here.
 * Per-WP facts come from the persisted snapshot: `context.results` for WPs that finished in the
 * run (WpOutput), `children[wpId].snapshot.context` for WPs in flight (WpContext).
 */
import type { ReadLockResult } from '../../actors/persistence/lock.js';
import { displayPath } from '../../actors/persistence/paths.js';
import type { RunState } from '../../actors/persistence/run-state-schema.js';
import type { AgentRole } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import { policySchema } from '../../host/policy.js';
import { isWpChild, type PersistedMission } from '../../machines/restore/persisted-run.js';
import { agentsFor } from '../../machines/wp/context.js';
import { roleAt } from '../../machines/wp/role-at.js';
import type { WpContext, WpOutput } from '../../machines/wp/types.js';
import { readSavedSnapshot } from '../runtime/saved-run.js';
import { clip, formatCost, formatDuration, formatTokens, palette, table } from './format.js';
import { describeConfinement } from './policy-text.js';
import { missionPath, wpFlowPath } from './state-path.js';

export interface WpStatusView {
  wp: string;
  lane: Lane | null;
  /** 'host': read from mission-state just now; 'last_known': from the snapshot (may be stale). */
  laneSource: 'host' | 'last_known';
  /** 'in_flight': a WP actor was working on it; 'finished': its actor ended in this run. */
  phase: 'in_flight' | 'finished' | 'not_started';
  /** The WP actor's flow state (in flight), its outcome (finished), or '-'. */
  state: string;
  agent: string | null;
  attempt: number | null;
  agents: { implementation: string[]; review: string[] };
  /** Agent runs per role. */
  runs: { implementation: number; review: number };
  reviewCycles: number;
  lastError: string | null;
  logPath: string | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  elapsedMs: number | null;
}

export interface OrchestratorProcessView {
  /** The pid that last wrote the run state. */
  pid: number;
  /** Whether an orchestrator holds the repository lock now, per its pid; 'unknown' for another host. */
  running: boolean | 'unknown';
  /** The lock holder, when the lock is held (it may be a newer run than this file's). */
  lockHolderPid: number | null;
  note: string;
}

export interface RunStatusView {
  runId: string;
  mission: string;
  actor: string;
  repoRoot: string;
  status: RunState['status'];
  startedAt: string;
  updatedAt: string;
  orchestrator: OrchestratorProcessView;
  /** The mission actor's state (e.g. `running.supervising`), when readable. */
  missionState: string | null;
  summary: string | null;
  error: { code: string; message: string } | null;
  accepted: boolean | null;
  stalled: { wp: string; lane: Lane; reason: string }[];
  wps: WpStatusView[];
  /** Why per-WP facts are missing, when the snapshot cannot be read by this version. */
  snapshotProblem: string | null;
  /** The policy recorded with the host (confinement in words, widening flags); null when unreadable. */
  policy: { confinement: string; dangerousFlags: string[] } | null;
  /** Why lanes are "last known": the host could not be asked, or was not. */
  hostNote: string | null;
}

export interface SummarizeOptions {
  /** Lanes from the host's mission-state, when it answered. */
  hostLanes?: Readonly<Record<string, Lane>>;
  hostNote?: string | null;
  lock?: ReadLockResult;
  /** For elapsed times of a run still going. Default Date.now(). */
  now?: number;
}

function processView(state: RunState, lock: ReadLockResult | undefined): OrchestratorProcessView {
  const base = { pid: state.pid };
  if (!lock) return { ...base, running: 'unknown', lockHolderPid: null, note: 'lock not checked' };
  if (lock.kind === 'missing') {
    const note =
      state.status === 'running'
        ? 'not running: no orchestrator holds the lock (the process ended without recording its end; `resume` continues the run)'
        : 'not running';
    return { ...base, running: false, lockHolderPid: null, note };
  }
  if (lock.kind === 'corrupt')
    return { ...base, running: 'unknown', lockHolderPid: null, note: `lock unreadable: ${lock.reason}` };
  const holder = lock.holder.pid;
  if (lock.alive === 'unknown') {
    return {
      ...base,
      running: 'unknown',
      lockHolderPid: holder,
      note: `lock held by pid ${holder} on host ${lock.holder.hostname}`,
    };
  }
  if (!lock.alive) {
    return {
      ...base,
      running: false,
      lockHolderPid: holder,
      note: `not running: the lock of pid ${holder} is stale (that process is gone)`,
    };
  }
  if (lock.holder.runId === state.runId || holder === state.pid) {
    return { ...base, running: true, lockHolderPid: holder, note: `running (pid ${holder})` };
  }
  return {
    ...base,
    running: false,
    lockHolderPid: holder,
    note: `this run is not running; another orchestrator (pid ${holder}, run ${lock.holder.runId}) holds the lock`,
  };
}

function describeFailure(context: WpContext): string | null {
  if (context.blockReason) return context.blockReason;
  if (context.lastError) return `${context.lastError.code}: ${context.lastError.message}`;
  const failure = context.lastFailure;
  if (failure)
    return `${failure.agent} attempt ${failure.attempt} failed (${failure.kind}): ${failure.message}`;
  return null;
}

/** The agent of a role in charge now (single-agent mode reviews with the implementer in charge). */
function agentInCharge(context: WpContext, role: AgentRole): string | null {
  return agentsFor(context, role)[context[role].agentIndex] ?? null;
}

function inFlightView(
  wp: string,
  value: unknown,
  context: WpContext,
  reference: number,
): Omit<WpStatusView, 'lane' | 'laneSource'> {
  const state = wpFlowPath(value);
  const role = roleAt(value);
  return {
    wp,
    phase: 'in_flight',
    state,
    agent: role ? agentInCharge(context, role) : null,
    attempt: role ? context[role].attempt : null,
    agents: { implementation: context.implementation.agentsTried, review: context.review.agentsTried },
    runs: { implementation: context.implementation.runs, review: context.review.runs },
    reviewCycles: context.reviewCycle,
    lastError: describeFailure(context),
    logPath: context.logPaths.at(-1) ?? null,
    usage: { ...context.usage },
    elapsedMs: context.firstSeenAt === null ? null : Math.max(0, reference - context.firstSeenAt),
  };
}

function finishedView(result: WpOutput): Omit<WpStatusView, 'lane' | 'laneSource'> {
  return {
    wp: result.wpId,
    phase: 'finished',
    state: result.outcome,
    agent: null,
    attempt: null,
    agents: { implementation: result.agents.implementation, review: result.agents.review },
    runs: { implementation: result.attempts.implementation, review: result.attempts.review },
    reviewCycles: result.reviewCycles,
    lastError:
      result.reason ?? (result.lastError ? `${result.lastError.code}: ${result.lastError.message}` : null),
    logPath: result.logPaths.at(-1) ?? null,
    usage: { ...result.usage },
    elapsedMs: result.durationMs,
  };
}

function notStartedView(wp: string): Omit<WpStatusView, 'lane' | 'laneSource'> {
  return {
    wp,
    phase: 'not_started',
    state: '-',
    agent: null,
    attempt: null,
    agents: { implementation: [], review: [] },
    runs: { implementation: 0, review: 0 },
    reviewCycles: 0,
    lastError: null,
    logPath: null,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    elapsedMs: null,
  };
}

function wpViews(mission: PersistedMission, options: SummarizeOptions, reference: number): WpStatusView[] {
  const { context } = mission;
  const order = [...context.wpOrder];
  // The mission's own invokes (timers, host reads) are children too; WP actors have src 'wp'.
  const wpChildren = Object.entries(mission.children)
    .filter(([, child]) => isWpChild(child))
    .map(([id]) => id);
  for (const id of [...Object.keys(context.results), ...wpChildren]) {
    if (!order.includes(id)) order.push(id);
  }
  const wps: WpStatusView[] = [];
  for (const wp of order) {
    let view: Omit<WpStatusView, 'lane' | 'laneSource'> | null = null;
    let snapshotLane: Lane | null = context.known[wp]?.lane ?? null;
    const result = context.results[wp];
    const child = mission.children[wp];
    if (result !== undefined) {
      view = finishedView(result);
      snapshotLane = result.lane;
    } else if (child !== undefined && isWpChild(child)) {
      view = inFlightView(wp, child.snapshot.value, child.snapshot.context, reference);
      snapshotLane = child.snapshot.context.lane;
    }
    if (!context.wpOrder.includes(wp) && view === null) continue;
    const hostLane = options.hostLanes?.[wp];
    wps.push({
      ...(view ?? notStartedView(wp)),
      lane: hostLane ?? snapshotLane,
      laneSource: hostLane ? 'host' : 'last_known',
    });
  }
  return wps;
}

export function summarizeRunState(state: RunState, options: SummarizeOptions = {}): RunStatusView {
  const orchestrator = processView(state, options.lock);
  // Elapsed times run to now only while the run goes on; otherwise to its last update.
  const reference = orchestrator.running === true ? (options.now ?? Date.now()) : Date.parse(state.updatedAt);
  const view: RunStatusView = {
    runId: state.runId,
    mission: state.mission,
    actor: state.actor,
    repoRoot: state.repoRoot,
    status: state.status,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    orchestrator,
    policy: policyView(state.policy),
    missionState: null,
    summary: null,
    error: null,
    accepted: null,
    stalled: [],
    wps: [],
    snapshotProblem: null,
    hostNote: options.hostNote ?? null,
  };
  const read = readSavedSnapshot(state);
  if (!read.ok) {
    view.snapshotProblem = `the saved snapshot (machine version ${state.machineVersion}) is not readable by this version: ${read.problem}`;
    return view;
  }
  const mission = read.mission;
  const wps = wpViews(mission, options, reference);
  view.missionState = missionPath(mission.value);
  view.summary = mission.context.summary;
  view.error = mission.context.error
    ? { code: mission.context.error.code, message: mission.context.error.message }
    : null;
  view.accepted = mission.context.accepted;
  view.stalled = (mission.context.stalledWps ?? []).map((s) => ({
    wp: s.wpId,
    lane: s.lane,
    reason: s.reason,
  }));
  view.wps = wps;
  return view;
}

export interface RenderStatusOptions {
  color?: boolean;
  cwd?: string;
  /** Terminal width, to keep error lines on one line. Default 120. */
  width?: number;
}

export function renderRunStatus(view: RunStatusView, options: RenderStatusOptions = {}): string {
  const colours = palette(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const width = options.width ?? 120;
  const running = view.orchestrator.running === true;
  const out = [
    colours.bold(`Run ${view.runId}: mission ${view.mission}`),
    `  status:   ${view.status}${view.missionState ? ` (${view.missionState})` : ''}`,
    `  actor:    ${view.actor}`,
    `  started:  ${view.startedAt}`,
    `  updated:  ${view.updatedAt}`,
    `  pid:      ${view.orchestrator.pid}: ${running ? colours.green(view.orchestrator.note) : view.orchestrator.note}`,
  ];
  if (view.summary) out.push(`  summary:  ${view.summary}`);
  if (view.error) out.push(colours.red(`  error:    ${view.error.code}: ${view.error.message}`));
  if (view.accepted !== null) out.push(`  accepted: ${view.accepted ? 'yes' : 'no'}`);
  if (view.policy) {
    const flags = view.policy.dangerousFlags.length > 0 ? view.policy.dangerousFlags.join(', ') : 'none';
    out.push(`  policy:   ${view.policy.confinement}; widening flags: ${flags}`);
  }
  out.push('');
  if (view.wps.length > 0) {
    const anyLastKnown = view.wps.some((wp) => wp.laneSource === 'last_known' && wp.lane !== null);
    const rows = view.wps.map((wp) => [
      wp.wp,
      `${wp.lane ?? '?'}${wp.laneSource === 'last_known' && wp.lane !== null ? ' (last known)' : ''}`,
      wp.state,
      wp.agent ? `${wp.agent}${wp.attempt !== null ? ` #${wp.attempt}` : ''}` : '-',
      wp.agents.implementation.join(',') || '-',
      wp.agents.review.join(',') || '-',
      `${wp.runs.implementation}/${wp.runs.review}`,
      String(wp.reviewCycles),
      formatDuration(wp.elapsedMs),
      wp.usage.costUsd > 0 ? formatCost(wp.usage.costUsd) : '-',
      wp.usage.inputTokens + wp.usage.outputTokens > 0
        ? formatTokens(wp.usage.inputTokens + wp.usage.outputTokens)
        : '-',
    ]);
    out.push(
      ...table(
        [
          'WP',
          'lane',
          'state',
          'now',
          'implemented by',
          'reviewed by',
          'runs i/r',
          'cycles',
          'elapsed',
          'cost',
          'tokens',
        ],
        rows,
      ).map((line) => `  ${line}`),
    );
    if (anyLastKnown && view.hostNote) out.push(colours.dim(`  (last known) lanes: ${view.hostNote}`));
    const details = view.wps.filter((wp) => wp.lastError || wp.logPath);
    if (details.length > 0) {
      out.push('');
      for (const wp of details) {
        if (wp.lastError)
          out.push(
            `  ${wp.wp} ${colours.red('last error')}: ${clip(wp.lastError.replace(/\s+/g, ' '), width)}`,
          );
        if (wp.logPath) out.push(`  ${wp.wp} log: ${displayPath(wp.logPath, cwd)}`);
      }
    }
  } else if (!view.snapshotProblem) {
    out.push('  No work packages recorded yet.');
  }
  if (view.stalled.length > 0) {
    out.push('', 'Stalled on:');
    for (const stuck of view.stalled) out.push(`  ${stuck.wp} (${stuck.lane}): ${stuck.reason}`);
  }
  if (view.snapshotProblem) out.push('', colours.yellow(`Note: ${view.snapshotProblem}`));
  return `${out.join('\n')}\n`;
}

function policyView(recorded: RunState['policy']): RunStatusView['policy'] {
  const parsed = policySchema.safeParse(recorded);
  if (!parsed.success) return null;
  return { confinement: describeConfinement(parsed.data), dangerousFlags: parsed.data.dangerous_flags };
}
