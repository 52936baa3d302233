/**
 * What one work package's run looks like from outside: the lane changes it asked the host for, the
 * agent runs it started, the retry waits it took and how it ended. The oracle (wp-spec.ts) writes
 * the expected trace from the world's answers; the live machine's trace is read off the calls it
 * made (wp-observe.ts); the test compares the two whole.
 */
import type { AgentId, AgentRole } from '../../../src/agents/types.js';
import type { Lane } from '../../../src/host/lanes.js';

/** How the host answered a lane change: done, refused, done but the answer was lost, or not yet. */
export type HostAnswer = 'ok' | 'refused' | 'lost' | 'unanswered';

export interface LaneRequest {
  verb: 'start-implementation' | 'start-review' | 'transition';
  to: Lane;
  force: boolean;
  answer: HostAnswer;
}

export interface AgentRun {
  role: AgentRole;
  agent: AgentId;
  /** 1-based attempt of this agent in the current phase. */
  attempt: number;
  /** The review cycle the run belongs to (0 before the first review). */
  cycle: number;
  /** Review feedback handed to an implementation run; null when none. */
  feedback: string | null;
}

export interface RetryWait {
  role: AgentRole;
  agent: AgentId;
  /** The attempt that failed. */
  afterAttempt: number;
  /** From the failure's instant to the retry's deadline. */
  backoffMs: number;
}

/** `running`: the world's answers ran out before the WP ended. */
export type WpEnd = 'done' | 'blocked' | 'failed' | 'running';

export interface WpTrace {
  laneRequests: LaneRequest[];
  /** The lanes the host moved the WP to, in order (a request for the lane it is in moves nothing). */
  hostLanes: Lane[];
  runs: AgentRun[];
  waits: RetryWait[];
  /** Per commit of lane work, the lane head its new commits are counted from. */
  commitBases: (string | null)[];
  outcome: WpEnd;
  /**
   * Why it ended blocked or failed, as a category; null otherwise. Blocked: `implementation agents
   * exhausted`, `review agents exhausted`, `review cycles exhausted`, `local step failed: <step>`.
   * Failed: `host refused: <error code>`, `lane not driven`.
   */
  reason: string | null;
  /** Only the oracle sets this: the world's next answer was to a request it would not have made. */
  divergence?: string;
}
