/**
 * What the wpMachine TELLS through its domain events (src/machines/wp/emitted.ts), put in the
 * oracle's terms, so the events are checked against the oracle on every path: the agent runs it
 * announces, the retries it schedules, how it says the flow ended. A fallback must name the agent
 * that runs next. The JSONL records, the live view and the summary are made from these events.
 */
import type { AgentId, AgentRole } from '../../../src/agents/types.js';
import type { WpEmitted } from '../../../src/machines/wp/emitted.js';
import { reasonCategory } from './wp-observe.js';
import type { WpEnd, WpTrace } from './wp-trace.js';

export interface ToldTrace {
  runs: { role: AgentRole; agent: AgentId | null; attempt: number; cycle: number }[];
  /** Runs the machine said had finished (every started run is answered unless the world ran out). */
  finished: number;
  retries: { role: AgentRole; agent: AgentId; afterAttempt: number }[];
  /** Fallbacks whose `toAgent` is not the agent the next run of that role started with. */
  fallbacksToElsewhere: number;
  outcome: WpEnd;
  reason: string | null;
}

export function toldTrace(events: readonly WpEmitted[]): ToldTrace {
  const told: ToldTrace = {
    runs: [],
    finished: 0,
    retries: [],
    fallbacksToElsewhere: 0,
    outcome: 'running',
    reason: null,
  };
  events.forEach((event, index) => {
    switch (event.type) {
      case 'wp.agentStarted':
        told.runs.push({
          role: event.role,
          agent: event.agent,
          attempt: event.attempt,
          cycle: event.reviewCycle,
        });
        break;
      case 'wp.agentFinished':
        told.finished += 1;
        break;
      case 'wp.retryScheduled':
        told.retries.push({ role: event.role, agent: event.agent, afterAttempt: event.failedAttempt });
        break;
      case 'wp.fellBack': {
        const next = events
          .slice(index + 1)
          .find((e) => e.type === 'wp.agentStarted' && e.role === event.role);
        if (next?.type === 'wp.agentStarted' && next.agent !== event.toAgent) told.fallbacksToElsewhere += 1;
        break;
      }
      case 'wp.flowEnded':
        told.outcome = event.output.outcome;
        told.reason = reasonCategory(event.output.outcome, event.output.reason ?? null);
        break;
    }
  });
  return told;
}

/** What the events must say, given the oracle's expected trace. */
export function expectedTold(expected: WpTrace, answeredRuns: number): ToldTrace {
  return {
    runs: expected.runs.map(({ role, agent, attempt, cycle }) => ({ role, agent, attempt, cycle })),
    finished: answeredRuns,
    retries: expected.waits.map(({ role, agent, afterAttempt }) => ({ role, agent, afterAttempt })),
    fallbacksToElsewhere: 0,
    outcome: expected.outcome,
    reason: expected.reason,
  };
}
