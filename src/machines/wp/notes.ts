/**
 * History note texts. Notes are short and never carry whole logs: feedback and failure messages
 * are cut to bounded excerpts.
 */
import type { AgentId, AgentRole } from '../../agents/types.js';
import { truncate } from '../shared/error-info.js';
import type { AttemptFailure } from './types.js';

export const FEEDBACK_EXCERPT_CHARS = 300;
const FAILURE_EXCERPT_CHARS = 200;

function roleWord(role: AgentRole): string {
  return role === 'implementation' ? 'implementation' : 'review';
}

export function describeFailure(failure: AttemptFailure): string {
  return `${failure.agent} attempt ${failure.attempt} failed (${failure.kind}): ${truncate(failure.message, FAILURE_EXCERPT_CHARS)}`;
}

/** The note written while an agent runs: who, which attempt, and why this run happens. */
export function startNote(params: {
  role: AgentRole;
  agent: AgentId;
  attempt: number;
  maxAttempts: number;
  reviewCycle: number;
  previous: AttemptFailure | null;
  rework: boolean;
}): string {
  const what =
    params.role === 'review'
      ? `review cycle ${params.reviewCycle}`
      : params.rework
        ? `rework after review cycle ${params.reviewCycle}`
        : 'implementation';
  let note = `Starting ${what} with ${params.agent} (attempt ${params.attempt} of ${params.maxAttempts})`;
  if (params.previous && params.previous.role === params.role) {
    const kind = params.previous.agent === params.agent ? 'Retry' : 'Fallback';
    note += `. ${kind} after ${describeFailure(params.previous)}`;
  }
  return note;
}

export function exhaustedReason(role: AgentRole, failure: AttemptFailure | null): string {
  const last = failure ? `; last: ${describeFailure(failure)}` : '';
  return `All ${roleWord(role)} agents exhausted${last}`;
}

export function feedbackExcerpt(feedback: string): string {
  return truncate(feedback.trim().replace(/\s+/g, ' '), FEEDBACK_EXCERPT_CHARS);
}
