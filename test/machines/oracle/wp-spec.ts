/**
 * The oracle for one work package: what should happen, written as a plain procedure from the
 * documented rules (README "Configuration" and "Troubleshooting", docs/statecharts/wp-machine.md,
 * the reference behaviour in ../shared/docs), never from the machine. It walks the WP's life and
 * takes the world's answer each time it asks the world something; the trace it writes is what
 * the live machine must do with the same answers.
 *
 * The rules, in short:
 * - Where to start is the host lane: planned/claimed/in_progress -> start-implementation (our own
 *   in_progress WP whose worktree we know, after a lane change that took effect unheard, is
 *   implemented again in place); for_review -> resolve-workspace, then review;
 *   in_review claimed by us in an earlier run -> forced back to for_review, then review;
 *   done -> done; anything else is not ours to drive (failed, lane left alone).
 * - A new implementation phase (the claim, or changes requested) starts at attempt 1 of the agent
 *   in charge; a fallback agent stays in charge for later phases. Each phase first prepares the
 *   worktree and remembers the lane head found there: the phase's commits are counted from it, and
 *   none means the run left nothing.
 *   A failure to prepare, or to commit, blocks the WP.
 * - A failed run (a failure result, a crash, a reviewer without verdict, or an implementation that
 *   left nothing to commit) is retried by the same agent up to maxRetries times after its first
 *   attempt, waiting retryBackoffSeconds * 1000 * 2^(attempt - 1) ms from the failure; never for
 *   `auth` or `setup` failures. Then the next agent of the role takes over at attempt 1; with none
 *   left the WP is blocked.
 * - Each start-review begins review cycle n (attempt 1 of the reviewer in charge). Approved ->
 *   transition to done. Changes requested in cycle maxReviewCycles -> blocked; earlier -> back to
 *   in_progress, and the rework runs get the reviewer's feedback.
 * - A lane change that fails is never retried blindly: mission-state tells whether it took
 *   effect. Moved -> start again from the lane read (at most MAX_REROUTES times); unchanged, or
 *   the read failed -> the WP fails with the lane change's error, lane left as it is.
 * - History notes are written beside all this and change nothing of it.
 */
import type { AgentId, AgentResult, AgentRole, FailureKind } from '../../../src/agents/types.js';
import type { Lane } from '../../../src/host/lanes.js';
import type { LaneRequest, WpEnd, WpTrace } from './wp-trace.js';
import type { WorldAnswer } from './wp-world.js';

/**
 * Re-routings after failed lane changes that one WP run makes before it gives up: each needs the
 * lane to have moved, so only someone moving the WP back and forth could loop, and this stops it.
 */
export const MAX_REROUTES = 3;

export interface SpecConfig {
  agents: { implementation: AgentId[]; review: AgentId[] };
  maxRetries: number;
  retryBackoffSeconds: number;
  singleAgentMode: boolean;
  maxReviewCycles: number;
}

interface RolePosition {
  agentIndex: number;
  attempt: number;
}

export interface SpecEntry {
  lane: Lane;
  ownedInReview: boolean;
  config: SpecConfig;
}

interface Ending {
  outcome: Exclude<WpEnd, 'running'>;
  reason: string | null;
}

/** The answers ran out: the WP is still going when the path stops. */
class PathEnded extends Error {}
/** The world answered a request this specification would not have made. */
class Diverged extends Error {}

/** The world's answers in order, history notes skipped (they never steer the WP). */
class Answers {
  private index = 0;
  private readonly answers: WorldAnswer[];

  constructor(answers: WorldAnswer[]) {
    this.answers = answers.filter((answer) => answer.call !== 'note');
  }

  take(call: string): WorldAnswer {
    const next = this.answers[this.index];
    if (next === undefined) throw new PathEnded();
    if (next.call !== call)
      throw new Diverged(`expected the answer to '${call}', the world answered '${next.call}'`);
    this.index += 1;
    return next;
  }

  leftOver(): WorldAnswer | undefined {
    return this.answers[this.index];
  }
}

const NO_RETRY: ReadonlySet<FailureKind> = new Set<FailureKind>(['auth', 'setup']);

class WpSpec {
  private readonly config: SpecConfig;
  /** The lane as our own answered calls and lane reads tell. */
  private lane: Lane;
  /** The lane the host really has (a lost answer moved it without telling us). */
  private hostLane: Lane;
  private ownedInReview: boolean;
  private workspaceKnown = false;
  private readonly position: Record<AgentRole, RolePosition>;
  private cycle = 0;
  private feedback: string | null = null;
  private reroutes = 0;
  /** The lane head the current implementation phase counts its commits from, once known. */
  private phaseBase: string | null = null;
  /** The reason of the block we asked for, once we asked. */
  private blocking: string | null = null;

  constructor(
    entry: SpecEntry,
    private readonly answers: Answers,
    private readonly trace: WpTrace,
  ) {
    this.config = entry.config;
    this.lane = entry.lane;
    this.hostLane = entry.lane;
    this.ownedInReview = entry.ownedInReview;
    this.position = {
      implementation: { agentIndex: 0, attempt: 1 },
      review: { agentIndex: 0, attempt: 1 },
    };
  }

  /** Takes the world's answer to this request (the path ends, or diverges, here otherwise). */
  private ask(call: string): WorldAnswer {
    return this.answers.take(call);
  }

  private agents(role: AgentRole): AgentId[] {
    const { implementation, review } = this.config.agents;
    if (role === 'implementation') return implementation;
    if (!this.config.singleAgentMode) return review;
    // The implementer in charge reviews, then its fallbacks in list order.
    const start = this.position.implementation.agentIndex;
    return [...implementation.slice(start), ...implementation.slice(0, start)];
  }

  private agentInCharge(role: AgentRole): AgentId {
    const agent = this.agents(role)[this.position[role].agentIndex];
    if (agent === undefined) throw new Error(`no ${role} agent configured`);
    return agent;
  }

  /** Asks the host for a lane change; says whether it took effect and whether we heard so. */
  private laneChange(call: string, request: Omit<LaneRequest, 'answer'>): WorldAnswer {
    const entry: LaneRequest = { ...request, answer: 'unanswered' };
    this.trace.laneRequests.push(entry);
    const answer = this.ask(call);
    entry.answer = !answer.failed ? 'ok' : answer.tookEffect ? 'lost' : 'refused';
    if (entry.answer !== 'refused' && request.to !== this.hostLane) {
      this.hostLane = request.to;
      this.trace.hostLanes.push(request.to);
    }
    if (!answer.failed) this.lane = request.to;
    // The host put the WP in progress for us: a new implementation phase begins.
    if (entry.answer !== 'refused' && request.to === 'in_progress') {
      this.position.implementation.attempt = 1;
      this.phaseBase = null;
    }
    return answer;
  }

  route(): Ending {
    const lane = this.lane;
    const beforeReview = lane === 'planned' || lane === 'claimed' || lane === 'in_progress';
    if (lane === 'in_progress' && this.workspaceKnown) return this.implementationPhase();
    if (beforeReview) return this.claim();
    if (lane === 'for_review') return this.resolveAndReview();
    if (lane === 'in_review' && this.ownedInReview) return this.recoverReview();
    if (lane === 'done') return { outcome: 'done', reason: null };
    if (lane === 'blocked' && this.blocking !== null) return { outcome: 'blocked', reason: this.blocking };
    return { outcome: 'failed', reason: 'lane not driven' };
  }

  private claim(): Ending {
    const answer = this.laneChange('claim', {
      verb: 'start-implementation',
      to: 'in_progress',
      force: false,
    });
    if (answer.failed) return this.reconcile(answer);
    this.workspaceKnown = true;
    return this.implementationPhase();
  }

  private implementationPhase(): Ending {
    const prepared = this.ask('prepare');
    if (prepared.failed) return this.block('local step failed: preparing the workspace');
    this.phaseBase ??= prepared.baseHead ?? null;
    return this.implement();
  }

  private implement(): Ending {
    const { attempt } = this.position.implementation;
    const agent = this.agentInCharge('implementation');
    this.trace.runs.push({
      role: 'implementation',
      agent,
      attempt,
      cycle: this.cycle,
      feedback: this.feedback,
    });
    const run = this.ask('agent');
    if (run.failed) return this.attemptFailed('implementation', 'general');
    const result = run.result as AgentResult;
    if (!result.success) return this.attemptFailed('implementation', result.failureKind ?? 'general');
    this.trace.commitBases.push(this.phaseBase);
    const commit = this.ask('commit');
    if (commit.failed) return this.block('local step failed: committing lane work');
    if ((commit.commits ?? 0) > 0) return this.submit();
    return this.attemptFailed('implementation', 'no_output');
  }

  private attemptFailed(role: AgentRole, kind: FailureKind): Ending {
    const position = this.position[role];
    const rerun = () => (role === 'implementation' ? this.implement() : this.review());
    if (!NO_RETRY.has(kind) && position.attempt <= this.config.maxRetries) {
      const backoffMs = this.config.retryBackoffSeconds * 1000 * 2 ** (position.attempt - 1);
      const agent = this.agentInCharge(role);
      this.trace.waits.push({ role, agent, afterAttempt: position.attempt, backoffMs });
      // A timer that fails still lets the retry go ahead: waiting is not the work.
      this.ask(role === 'implementation' ? 'backoff' : 'reviewBackoff');
      position.attempt += 1;
      return rerun();
    }
    if (position.agentIndex + 1 < this.agents(role).length) {
      position.agentIndex += 1;
      position.attempt = 1;
      return rerun();
    }
    return this.block(`${role} agents exhausted`);
  }

  private submit(): Ending {
    const answer = this.laneChange('submit', { verb: 'transition', to: 'for_review', force: false });
    if (answer.failed) return this.reconcile(answer);
    return this.startReview();
  }

  private resolveAndReview(): Ending {
    const resolved = this.ask('resolve');
    if (resolved.failed) return { outcome: 'failed', reason: `host refused: ${resolved.code}` };
    this.workspaceKnown = true;
    if (this.ask('prepareReview').failed)
      return this.block('local step failed: preparing the review workspace');
    return this.startReview();
  }

  private recoverReview(): Ending {
    const answer = this.laneChange('recoverReview', { verb: 'transition', to: 'for_review', force: true });
    if (answer.failed) return this.reconcile(answer);
    return this.resolveAndReview();
  }

  private startReview(): Ending {
    this.cycle += 1;
    this.position.review.attempt = 1;
    const answer = this.laneChange('startReview', { verb: 'start-review', to: 'in_review', force: false });
    if (answer.failed) return this.reconcile(answer);
    // The diff summary only helps the reviewer: its failure changes nothing.
    this.ask('diffSummary');
    return this.review();
  }

  private review(): Ending {
    const { attempt } = this.position.review;
    const agent = this.agentInCharge('review');
    this.trace.runs.push({ role: 'review', agent, attempt, cycle: this.cycle, feedback: null });
    const run = this.ask('reviewer');
    if (run.failed) return this.attemptFailed('review', 'general');
    const result = run.result as AgentResult;
    if (!result.success) return this.attemptFailed('review', result.failureKind ?? 'general');
    // A reviewer that gives no verdict failed; it did not reject.
    if (result.verdict === undefined) return this.attemptFailed('review', 'no_output');
    if (result.verdict.verdict === 'approved') return this.complete();
    this.feedback = result.verdict.feedback;
    if (this.cycle >= this.config.maxReviewCycles) return this.block('review cycles exhausted');
    return this.requestChanges();
  }

  private complete(): Ending {
    const answer = this.laneChange('complete', { verb: 'transition', to: 'done', force: false });
    if (answer.failed) return this.reconcile(answer);
    return { outcome: 'done', reason: null };
  }

  private requestChanges(): Ending {
    const answer = this.laneChange('requestChanges', { verb: 'transition', to: 'in_progress', force: false });
    if (answer.failed) return this.reconcile(answer);
    return this.implementationPhase();
  }

  private block(reason: string): Ending {
    this.blocking = reason;
    const answer = this.laneChange('block', { verb: 'transition', to: 'blocked', force: false });
    if (answer.failed) return this.reconcile(answer);
    return { outcome: 'blocked', reason };
  }

  /** A lane change failed: read the lane; moved -> start again from it; else fail with its error. */
  private reconcile(failure: WorldAnswer): Ending {
    const refused: Ending = { outcome: 'failed', reason: `host refused: ${failure.code}` };
    const read = this.ask('verifyLane');
    if (read.failed || read.lane === undefined) return refused;
    if (read.lane === this.lane || this.reroutes >= MAX_REROUTES) return refused;
    this.reroutes += 1;
    // Our own start-review that took effect leaves the WP in review by us.
    const lastRequest = this.trace.laneRequests.at(-1);
    if (read.lane === 'in_review' && lastRequest?.verb === 'start-review') this.ownedInReview = true;
    this.lane = read.lane;
    this.hostLane = read.lane;
    return this.route();
  }
}

/** The expected trace of a WP entered as `entry` whose world answers `answers`, in order. */
export function expectedWpTrace(entry: SpecEntry, answers: WorldAnswer[]): WpTrace {
  const trace: WpTrace = {
    laneRequests: [],
    hostLanes: [],
    runs: [],
    waits: [],
    commitBases: [],
    outcome: 'running',
    reason: null,
  };
  const queue = new Answers(answers);
  try {
    const ending = new WpSpec(entry, queue, trace).route();
    trace.outcome = ending.outcome;
    trace.reason = ending.reason;
    const extra = queue.leftOver();
    if (extra) trace.divergence = `the WP had ended ${ending.outcome}, the world answered '${extra.call}'`;
  } catch (error) {
    if (error instanceof Diverged) trace.divergence = error.message;
    else if (!(error instanceof PathEnded)) throw error;
  }
  return trace;
}
