/** The wpMachine model: event payloads for every outcome, the projection that bounds the state space. */
import type { AnyStateMachine, EventObject } from 'xstate';
import type { AgentRole } from '../../../../src/agents/types.js';
import { currentAgent } from '../../../../src/machines/wp/context.js';
import type { WpContext } from '../../../../src/machines/wp/types.js';
import { approved, failed, rejected, succeeded } from '../agent-results.js';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;
/** A done/error event with its payload. */
export type ModelEvent = EventObject & { output?: unknown; error?: unknown };

const AT = 1_700_000_000_000;
const hostError = (code: string) => ({ code, message: `${code} (scripted)` });

function laneData(to: string, extra: Record<string, unknown> = {}) {
  return {
    mission_slug: '001-demo',
    wp_id: 'WP01',
    from_lane: 'x',
    to_lane: to,
    policy_metadata_recorded: true,
    ...extra,
  };
}

const workspaceData = {
  workspace_path: '/ws',
  prompt_path: 'p.md',
  lane_branch: 'kitty/lane-a',
  lane_base_ref: 'main',
};

/** Lane changes: a failure of one of these may have taken effect (the machine then reads the lane). */
const MUTATIONS = new Set([
  'claim',
  'submit',
  'recoverReview',
  'requestChanges',
  'complete',
  'block',
  'startReview',
]);
/** A failure that took effect: the replay makes the call for real, then fails it (a lost answer). */
export const TOOK_EFFECT = 'HOST_TIMEOUT';

const TRANSITION_TARGETS: Record<string, string> = {
  submit: 'for_review',
  recoverReview: 'for_review',
  requestChanges: 'in_progress',
  complete: 'done',
  block: 'blocked',
};

function agentOutputs(context: WpContext, role: AgentRole): ModelEvent[] {
  const agent = currentAgent(context, role);
  const results =
    role === 'implementation'
      ? [succeeded(agent), failed(agent, 'general'), failed(agent, 'auth')]
      : [
          approved(agent),
          rejected(agent, 'add tests'),
          failed(agent, 'general', 'review'),
          succeeded(agent, 'review'),
        ];
  const id = role === 'implementation' ? 'agent' : 'reviewer';
  return results.map((result) => ({
    type: `xstate.done.actor.${id}`,
    output: { result, startedAt: AT, finishedAt: AT + 10 },
  }));
}

/** Notes are written beside long-running steps and at the end; elsewhere their results are not offered. */
function notesOffered(snapshot: Snapshot): boolean {
  const flow = JSON.stringify((snapshot.value as { flow: unknown }).flow);
  return /implementing|reviewing|"?(done|blocked|failed)"?$/.test(flow);
}

export function wpPayloads(snapshot: Snapshot, type: string): ModelEvent[] | undefined {
  const context = snapshot.context as WpContext;
  const match = type.match(/^xstate\.(done|error)\.actor\.(.+)$/);
  const kind = match?.[1];
  const id = match?.[2];
  if (!kind || !id) return undefined;
  if (kind === 'error') {
    if (id === 'note' && !notesOffered(snapshot)) return [];
    const code =
      id.startsWith('prepare') || id === 'commit' || id === 'agent' || id === 'reviewer'
        ? 'LOCAL'
        : 'TRANSITION_REJECTED';
    const refused = { type, error: hostError(code) };
    // The lane it produced rides in the message, for the read that follows (verifyLane).
    const lost = { type, error: { code: TOOK_EFFECT, message: `took effect: ${effectOf(id)}` } };
    return MUTATIONS.has(id) ? [refused, lost] : [refused];
  }
  if (id === 'verifyLane') {
    // What mission-state says after the failure: unchanged after a refusal, moved after a lost answer.
    const lane =
      context.lastError?.code === TOOK_EFFECT
        ? context.lastError.message.replace('took effect: ', '')
        : context.lane;
    return [{ type, output: { data: { lane }, at: AT } }];
  }
  switch (id) {
    case 'claim':
      return [
        { type, output: { data: laneData('in_progress', { ...workspaceData, no_op: false }), at: AT } },
      ];
    case 'resolve':
      return [
        { type, output: { data: { mission_slug: '001-demo', wp_id: 'WP01', ...workspaceData }, at: AT } },
      ];
    case 'prepare':
    case 'prepareReview':
      return [
        {
          type,
          output: { workspacePath: '/ws', promptText: 'prompt', subtaskIds: [], baseHead: 'abc', at: AT },
        },
      ];
    case 'agent':
      return agentOutputs(context, 'implementation');
    case 'reviewer':
      return agentOutputs(context, 'review');
    case 'commit':
      return [1, 0].map((commitCount) => ({ type, output: { commitCount, head: 'def', at: AT } }));
    case 'startReview':
      return [
        { type, output: { data: laneData('in_review', { prompt_path: 'p.md', no_op: false }), at: AT } },
      ];
    case 'diffSummary':
      return [{ type, output: { summary: '1 file changed', at: AT } }];
    case 'backoff':
    case 'reviewBackoff':
      return [{ type, output: { at: AT + 5000 } }];
    case 'note':
      return notesOffered(snapshot) ? [{ type, output: { data: { history_entry_id: 'h1' }, at: AT } }] : [];
    default: {
      const to = TRANSITION_TARGETS[id];
      return to ? [{ type, output: { data: laneData(to), at: AT } }] : undefined;
    }
  }
}

/** The lane a lane-changing call produces when it takes effect. */
function effectOf(id: string): string {
  if (id === 'claim') return 'in_progress';
  if (id === 'startReview') return 'in_review';
  return TRANSITION_TARGETS[id] ?? 'unknown';
}

export function wpProjection(snapshot: Snapshot) {
  const c = snapshot.context as WpContext;
  return {
    lane: c.lane,
    impl: [c.implementation.agentIndex, c.implementation.attempt],
    review: [c.review.agentIndex, c.review.attempt],
    cycle: c.reviewCycle,
    notes: c.pendingNotes.length > 0,
    outcome: c.outcome,
    err: c.lastError?.code ?? null,
    rec: c.reconciles,
    owned: c.ownedInReview,
  };
}

/** Event kind for path selection: the type plus the outcome it carries. */
export function wpEventKind(event: EventObject): string {
  const e = event as {
    output?: {
      result?: { success: boolean; failureKind?: string; verdict?: { verdict: string } };
      commitCount?: number;
    };
  };
  const result = e.output?.result;
  if (result)
    return `${event.type}:${result.success}:${result.failureKind ?? ''}:${result.verdict?.verdict ?? ''}`;
  if (e.output?.commitCount !== undefined) return `${event.type}:${e.output.commitCount > 0}`;
  return event.type;
}

/** Lanes the host must have recorded for a path: what each successful lane-moving call implies. */
export function impliedLanes(events: EventObject[], entryLane: string): string[] {
  const lanes: string[] = [];
  let claimed = entryLane !== 'planned';
  for (const event of events) {
    const error = (event as ModelEvent).error as { code?: string } | undefined;
    const tookEffect = event.type.startsWith('xstate.error.actor.') && error?.code === TOOK_EFFECT;
    const id =
      event.type.startsWith('xstate.done.actor.') || tookEffect
        ? event.type.replace(/^xstate\.(done|error)\.actor\./, '')
        : null;
    if (id === 'claim' && !claimed) lanes.push('claimed', 'in_progress');
    if (id === 'claim') claimed = true;
    if (id === 'startReview') lanes.push('in_review');
    const to = id ? TRANSITION_TARGETS[id] : undefined;
    if (to) lanes.push(to);
  }
  return lanes;
}
