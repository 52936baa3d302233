/**
 * The world's answers along a wpMachine model path, as plain data the oracle can read: which
 * request each answers (the invoke id is the wire between the WP and its world), whether it
 * failed, whether a failed lane change took effect anyway, and what it carried.
 */
import type { AgentResult } from '../../../src/agents/types.js';
import type { Lane } from '../../../src/host/lanes.js';
import type { ModelPath } from '../support/model/paths.js';
import { type ModelEvent, TOOK_EFFECT } from '../support/model/wp-model.js';

export interface WorldAnswer {
  /** The request answered: claim, prepare, agent, commit, backoff, submit, verifyLane, note... */
  call: string;
  /** The call threw: a host refusal, a lost answer, a local error, an agent process crash. */
  failed: boolean;
  /** A failed lane change that reached the host all the same (its answer was lost). */
  tookEffect: boolean;
  code: string | null;
  /** The instant the answer reports (an agent's finish), null when it reports none. */
  at: number | null;
  result?: AgentResult;
  commits?: number;
  /** A mission-state read of the WP's lane. */
  lane?: Lane;
  /** The lane head a workspace preparation found. */
  baseHead?: string | null;
}

function callOf(type: string): string {
  return type.replace(/^xstate\.(done|error)\.actor\./, '');
}

export function worldAnswer(event: ModelEvent): WorldAnswer {
  const call = callOf(event.type);
  if (event.type.startsWith('xstate.error.actor.')) {
    const code = (event.error as { code?: string } | undefined)?.code ?? null;
    return { call, failed: true, tookEffect: code === TOOK_EFFECT, code, at: null };
  }
  const output = (event.output ?? {}) as {
    at?: number;
    finishedAt?: number;
    result?: AgentResult;
    commitCount?: number;
    data?: { lane?: Lane };
    baseHead?: string | null;
  };
  const answer: WorldAnswer = {
    call,
    failed: false,
    tookEffect: false,
    code: null,
    at: output.finishedAt ?? output.at ?? null,
  };
  if (output.result) answer.result = output.result;
  if (output.commitCount !== undefined) answer.commits = output.commitCount;
  if (call === 'verifyLane' && output.data?.lane) answer.lane = output.data.lane;
  if (output.baseHead !== undefined) answer.baseHead = output.baseHead;
  return answer;
}

export function worldAnswers(path: ModelPath): WorldAnswer[] {
  return path.steps.map((step) => worldAnswer(step.event as ModelEvent));
}
