/**
 * The pure step between reading a saved run and `createActor(logic, { snapshot })`. XState
 * restores every actor exactly as saved and re-runs each in-flight invoke with its saved input.
 * That is right for reads, local steps and waits (their deadlines are in context), and wrong for
 * a lane mutation or an agent run, which the kill may have cut after it took effect. Such WPs are
 * moved to `restoring` (read the host lane first, then do the step again only if it had not taken
 * effect); everything else (attempts, agents tried, backoff deadlines, review cycles, feedback,
 * usage) comes back as saved. The session's own facts (actor, policy, config) replace the saved
 * ones: a resumed run states what is true now.
 */
import { childCrashed, childFinished, wpInputFor } from '../mission/context.js';
import type { MissionConfig, MissionContext } from '../mission/types.js';
import { wpLaneInput } from '../wp/inputs.js';
import { RECONCILE_STEPS, RERUN_STEPS } from '../wp/restore-steps.js';
import type { RoleState, WpConfig, WpContext, WpOutput } from '../wp/types.js';
import {
  flowStep,
  isWpChild,
  type PersistedChild,
  type PersistedInvoke,
  type PersistedMission,
  type PersistedWp,
} from './persisted-run.js';

/** What the resuming session states now. */
export interface RestoreSession {
  actor: string;
  policy: string;
  config: MissionConfig;
}

export interface RestorePlan {
  mission: PersistedMission;
  /** WPs moved to `restoring`, with the step each was saved in. */
  reconciled: { wpId: string; step: string }[];
  /** WPs restored in the step they were saved in (its invoke simply runs again). */
  rerun: { wpId: string; step: string }[];
  /** WP children the saved run had finished but not yet folded in (now folded). */
  folded: string[];
}

export type RestoreResult = { ok: true; plan: RestorePlan } | { ok: false; problem: string };

function invoke(src: string, input: unknown): PersistedChild<PersistedInvoke> {
  return { snapshot: { status: 'active', input }, src, syncSnapshot: false };
}

/** A role's agent list changed (the user picked other agents): start that role from the first. */
function rebindRole(role: RoleState, before: readonly string[], after: readonly string[]): RoleState {
  const same = before.length === after.length && before.every((agent, i) => agent === after[i]);
  return same ? role : { ...role, agentIndex: 0, attempt: 1 };
}

function rebindWp(context: WpContext, session: RestoreSession, config: WpConfig): WpContext {
  return {
    ...context,
    actor: session.actor,
    policy: session.policy,
    config,
    implementation: rebindRole(
      context.implementation,
      context.config.agents.implementation,
      config.agents.implementation,
    ),
    review: rebindRole(context.review, context.config.agents.review, config.agents.review),
  };
}

export type WpRestore =
  | { ok: true; wp: PersistedWp; reconciledAt?: string; rerunAt?: string }
  | { ok: false; problem: string };

/**
 * One WP actor's saved snapshot made safe to restore (`context`: its context with this session's
 * facts). Exported for the restore-coverage tests, which restore WP actors on their own.
 */
export function makeWpRestoreSafe(
  wpId: string,
  saved: PersistedWp,
  context: WpContext = saved.context,
): WpRestore {
  const step = flowStep(saved.value);
  if (step === undefined) return { ok: false, problem: `WP ${wpId}: no flow step in its snapshot` };
  const flowFinal = step === 'done' || step === 'blocked' || step === 'failed';
  if (flowFinal || RERUN_STEPS.has(step)) {
    return { ok: true, wp: { ...saved, context }, ...(flowFinal ? {} : { rerunAt: step }) };
  }
  const invokeId = RECONCILE_STEPS[step];
  if (invokeId === undefined) return { ok: false, problem: `WP ${wpId}: step ${step} cannot be restored` };
  const { [invokeId]: _inFlight, ...children } = saved.children ?? {};
  return {
    ok: true,
    reconciledAt: step,
    wp: {
      ...saved,
      value: { ...(saved.value as Record<string, unknown>), flow: 'restoring' },
      context: { ...context, resumeStep: step },
      children: { ...children, restoreLane: invoke('hostWpLane', wpLaneInput(context)) },
    },
  };
}

/**
 * The mission comes back as saved: its reads and waits simply run again, and WPs it has not
 * started yet are started from the lanes it knew (a lane moved since is met by the WP's own
 * reconciliation, as in a live run between two polls). accept-mission runs again too: the host
 * accepts a mission whose WPs are all done however often it is asked, and refuses one that is not
 * (MISSION_NOT_READY). The one exception: a mission whose finished WPs were folded in here polls
 * at once, since no child event would wake its scheduler.
 */
function restoreMissionValue(
  mission: PersistedMission,
  wake: boolean,
): Pick<PersistedMission, 'value' | 'children'> {
  const { children, value, context } = mission;
  const running = typeof value === 'object' ? (value as Record<string, unknown>).running : undefined;
  if (!wake || !running || typeof running !== 'object') return { value, children };
  if ((running as Record<string, unknown>).poller === 'polling') return { value, children };
  const { pollTimer: _timer, ...others } = children;
  return {
    value: { running: { ...(running as Record<string, unknown>), poller: 'polling' } },
    children: { ...others, poll: invoke('hostMissionState', { mission: context.mission }) },
  };
}

/** How one live WP child is made safe (the WP actor's own snapshot and this session's config). */
export type WpRestoreStep = (wpId: string, saved: PersistedWp, config: WpConfig) => WpRestore;

export function makeRestoreSafe(
  saved: PersistedMission,
  session: RestoreSession,
  restoreWp: WpRestoreStep = (wpId, wp, config) =>
    makeWpRestoreSafe(wpId, wp, rebindWp(wp.context, session, config)),
): RestoreResult {
  if (saved.status !== 'active') {
    return { ok: false, problem: `the saved mission actor had already ended (${saved.status})` };
  }
  let context: MissionContext = {
    ...saved.context,
    actor: session.actor,
    policy: session.policy,
    config: session.config,
  };
  const reconciled: RestorePlan['reconciled'] = [];
  const rerun: RestorePlan['rerun'] = [];
  const folded: string[] = [];
  const children: PersistedMission['children'] = {};
  for (const [id, child] of Object.entries(saved.children)) {
    if (!isWpChild(child)) {
      children[id] = child;
      continue;
    }
    const wp = child.snapshot;
    if (wp.status === 'done') {
      context = { ...context, ...childFinished(context, id, wp.output as WpOutput) };
      folded.push(id);
      continue;
    }
    if (wp.status !== 'active') {
      context = { ...context, ...childCrashed(context, id, wp.error ?? new Error(`snapshot ${wp.status}`)) };
      folded.push(id);
      continue;
    }
    const restored = restoreWp(id, wp, wpInputFor(context, id).config);
    if (!restored.ok) return restored;
    if (restored.reconciledAt) reconciled.push({ wpId: id, step: restored.reconciledAt });
    if (restored.rerunAt) rerun.push({ wpId: id, step: restored.rerunAt });
    children[id] = { ...child, snapshot: restored.wp };
  }
  const mission = restoreMissionValue({ ...saved, context, children }, folded.length > 0);
  return { ok: true, plan: { mission: { ...saved, context, ...mission }, reconciled, rerun, folded } };
}
