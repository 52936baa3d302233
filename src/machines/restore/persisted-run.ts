/**
 * The one reader of a persisted mission snapshot (`actor.getPersistedSnapshot()` after a JSON
 * round trip). Its shape is the machines' own: the types are MissionContext and WpContext, and
 * the check is made against the machines themselves (every state value must resolve in its
 * machine, every context must carry every field the machine's initial context has), not against
 * a second, hand-kept schema. `resume`, `status` and the ownership facts all read through here.
 */
import type { StateValue } from 'xstate';
import { initialMissionContext } from '../mission/context.js';
import { missionMachine } from '../mission/machine.js';
import type { MissionContext, MissionInput } from '../mission/types.js';
import { initialContext } from '../wp/context.js';
import { wpMachine } from '../wp/machine.js';
import type { WpContext, WpOutput } from '../wp/types.js';

type SnapshotStatus = 'active' | 'done' | 'error' | 'stopped';

/** An invoked actor's persisted snapshot (promise and callback logic keep only these). */
export interface PersistedInvoke {
  status: SnapshotStatus;
  input?: unknown;
  output?: unknown;
  error?: unknown;
}

export interface PersistedChild<S> {
  snapshot: S;
  src: string;
  systemId?: string;
  syncSnapshot?: boolean;
}

export interface PersistedWp {
  status: SnapshotStatus;
  value: StateValue;
  context: WpContext;
  historyValue?: unknown;
  output?: WpOutput;
  error?: unknown;
  children: Record<string, PersistedChild<PersistedInvoke>>;
}

export interface PersistedMission {
  status: SnapshotStatus;
  value: StateValue;
  context: MissionContext;
  historyValue?: unknown;
  output?: unknown;
  error?: unknown;
  children: Record<string, PersistedChild<PersistedWp | PersistedInvoke>>;
}

export type ReadResult = { ok: true; mission: PersistedMission } | { ok: false; problem: string };

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** A WP child: spawned from the `wp` logic (every other child is an invoke of the mission). */
export function isWpChild(
  child: PersistedChild<PersistedWp | PersistedInvoke>,
): child is PersistedChild<PersistedWp> {
  return child.src === 'wp';
}

/** A wp snapshot's `value.flow` as a dotted step (`inProgress.implementing`). */
export function flowStep(value: unknown): string | undefined {
  const parts: string[] = [];
  let node: unknown = asObject(value)?.flow;
  while (node !== undefined) {
    if (typeof node === 'string') {
      parts.push(node);
      break;
    }
    const object = asObject(node);
    const [key] = object ? Object.keys(object) : [];
    if (!object || key === undefined) break;
    parts.push(key);
    node = object[key];
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

const SAMPLE_CONFIG = {
  maxConcurrent: 1,
  agents: { implementation: [], review: [] },
  maxRetries: 0,
  retryBackoffSeconds: 0,
  timeoutSeconds: 1,
  singleAgentMode: false,
  maxReviewCycles: 1,
  acceptOnCompletion: false,
  pollIntervalSeconds: 1,
};
const SAMPLE_INPUT: MissionInput = {
  mission: 'm',
  actor: 'a',
  policy: '{}',
  repoRoot: '/',
  config: SAMPLE_CONFIG,
};

/** The fields each machine's context has, taken from the machines' own initial contexts. */
const MISSION_FIELDS = Object.keys(initialMissionContext(SAMPLE_INPUT));
const WP_FIELDS = Object.keys(
  initialContext({
    wpId: 'WP',
    mission: 'm',
    actor: 'a',
    policy: '{}',
    repoRoot: '/',
    runId: 'r',
    lane: 'planned',
    config: { ...SAMPLE_CONFIG, agents: { implementation: [], review: [] } },
  }),
);

function missingFields(context: Json | undefined, fields: readonly string[]): string[] {
  return fields.filter((field) => context === undefined || !(field in context));
}

/** Whether `value` names states of `machine` (XState throws on a state it does not have). */
function valueProblem(machine: typeof missionMachine | typeof wpMachine, value: unknown): string | null {
  try {
    machine.resolveState({ value: value as StateValue, context: {} as never });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function wpProblem(wpId: string, child: Json): string | null {
  const snapshot = asObject(child.snapshot);
  if (!snapshot) return `WP ${wpId}: no snapshot`;
  if (snapshot.status !== 'active') return null; // finished: only its output is read
  const problem = valueProblem(wpMachine, snapshot.value);
  if (problem) return `WP ${wpId}: ${problem}`;
  const missing = missingFields(asObject(snapshot.context), WP_FIELDS);
  if (missing.length > 0) return `WP ${wpId}: its context lacks ${missing.join(', ')}`;
  return null;
}

/**
 * Checks a persisted mission snapshot against this build's machines. A snapshot this build could
 * not restore exactly (a state it does not have, a context field it needs and the snapshot lacks)
 * is named, never restored half-way: XState would silently drop or mis-route what it cannot map.
 */
export function readPersistedMission(snapshot: unknown): ReadResult {
  const root = asObject(snapshot);
  if (!root) return { ok: false, problem: 'the snapshot is not an object' };
  const valueIssue = valueProblem(missionMachine, root.value);
  if (valueIssue) return { ok: false, problem: `mission: ${valueIssue}` };
  const missing = missingFields(asObject(root.context), MISSION_FIELDS);
  if (missing.length > 0) return { ok: false, problem: `mission: its context lacks ${missing.join(', ')}` };
  const children = asObject(root.children) ?? {};
  for (const [id, raw] of Object.entries(children)) {
    const child = asObject(raw);
    if (!child || typeof child.src !== 'string') return { ok: false, problem: `child ${id}: no source` };
    if (child.src !== 'wp') continue;
    const problem = wpProblem(id, child);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, mission: { ...(root as unknown as PersistedMission), children: children as never } };
}

/** The live WP children of a mission snapshot, by WP id. */
export function wpChildren(mission: PersistedMission): Record<string, PersistedWp> {
  const wps: Record<string, PersistedWp> = {};
  for (const [id, child] of Object.entries(mission.children)) {
    if (isWpChild(child)) wps[id] = child.snapshot;
  }
  return wps;
}

/**
 * Steps in which our own start-review had been sent, or our review result was being sent: if the
 * host shows in_review, it is our review (the answer may simply not have arrived before the kill).
 */
const REVIEW_CLAIM_STEPS: ReadonlySet<string> = new Set([
  'forReview.claimingReview',
  'inReview.summarizing',
  'inReview.reviewing',
  'inReview.reviewRetryWait',
  'completing',
  'requestingChanges',
]);

/**
 * WPs whose in_review lane is our own review claim: the saved run's record of them, plus every WP
 * child in a review step. Read leniently from any snapshot, even one this build cannot restore,
 * because it is the one fact a fresh start needs and mission-state cannot give (last_actor is
 * always null): `orchestrate --fresh` keeps it.
 */
export function ownedInReviewOf(snapshot: unknown): string[] {
  const root = asObject(snapshot);
  const context = asObject(root?.context);
  const results = asObject(context?.results) ?? {};
  const owned = new Set<string>();
  const recorded = Array.isArray(context?.ownedInReview) ? context.ownedInReview : [];
  for (const wpId of recorded) if (typeof wpId === 'string' && !(wpId in results)) owned.add(wpId);
  for (const [wpId, raw] of Object.entries(asObject(root?.children) ?? {})) {
    const child = asObject(asObject(raw)?.snapshot);
    const childContext = asObject(child?.context);
    if (childContext?.lane === 'in_review' || REVIEW_CLAIM_STEPS.has(flowStep(child?.value) ?? '')) {
      owned.add(wpId);
    }
  }
  return [...owned].sort();
}
