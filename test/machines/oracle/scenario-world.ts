/**
 * Hand-written worlds for the wp oracle: answers in the model's own shapes, for runs deeper than
 * the generator's shortest paths reach (a retry before a rework, a second retry, two rejections).
 */
import type { AgentResult } from '../../../src/agents/types.js';
import type { Lane } from '../../../src/host/lanes.js';
import type { ModelPath } from '../support/model/paths.js';
import { type ModelEvent, TOOK_EFFECT } from '../support/model/wp-model.js';

const AT = 1_700_000_000_000;

function laneData(to: Lane, extra: Record<string, unknown> = {}) {
  return { mission_slug: '001-demo', wp_id: 'WP01', from_lane: 'x', to_lane: to, ...extra };
}

const workspace = {
  workspace_path: '/ws',
  prompt_path: 'p.md',
  lane_branch: 'kitty/lane-a',
  lane_base_ref: 'main',
};

const done = (id: string, output: unknown): ModelEvent => ({ type: `xstate.done.actor.${id}`, output });

export const world = {
  claimed: () => done('claim', { data: laneData('in_progress', { ...workspace, no_op: false }), at: AT }),
  resolved: () =>
    done('resolve', { data: { mission_slug: '001-demo', wp_id: 'WP01', ...workspace }, at: AT }),
  prepared: (id: 'prepare' | 'prepareReview', baseHead = 'abc') =>
    done(id, { workspacePath: '/ws', promptText: 'prompt', subtaskIds: [], baseHead, at: AT }),
  ran: (id: 'agent' | 'reviewer', result: AgentResult) =>
    done(id, { result, startedAt: AT, finishedAt: AT + 10 }),
  committed: (commitCount: number) => done('commit', { commitCount, head: 'def', at: AT }),
  moved: (id: 'submit' | 'requestChanges' | 'complete' | 'block' | 'recoverReview', to: Lane) =>
    done(id, { data: laneData(to), at: AT }),
  reviewStarted: () =>
    done('startReview', { data: laneData('in_review', { prompt_path: 'p.md', no_op: false }), at: AT }),
  summarized: () => done('diffSummary', { summary: '1 file changed', at: AT }),
  waited: (id: 'backoff' | 'reviewBackoff') => done(id, { at: AT + 5000 }),
  /** The lane change reached the host; its answer did not reach us. */
  lost: (id: string, lane: Lane): ModelEvent => ({
    type: `xstate.error.actor.${id}`,
    error: { code: TOOK_EFFECT, message: `took effect: ${lane}` },
  }),
  laneRead: (lane: Lane) => done('verifyLane', { data: { lane }, at: AT }),
};

export function scripted(events: ModelEvent[]): ModelPath {
  return { steps: events.map((event) => ({ event, state: '', value: null })) };
}
