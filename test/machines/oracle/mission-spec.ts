/**
 * The oracle for a mission run: which WPs start when, and how the run ends, written as a plain
 * event handler from the documented rules (README, docs/statecharts/mission-machine.md, the
 * reference behaviour's loop), never from the machine:
 * - The host must speak orchestrator-api >= 1.3.0 with a major we know (1); otherwise, or when it
 *   cannot be asked, the run fails. So does a failed first mission-state read.
 * - A WP can start when it is planned and every dependency is done (done by this run's own
 *   result, else by the host's last read; nothing short of done releases a dependent), or when an
 *   earlier run left it claimed, in_progress or for_review (or in_review, claimed by us). Ready
 *   planned WPs go first, in the host's order. Each WP starts at most once per run, and at most
 *   maxConcurrent WPs are in their lane flow at once.
 * - A WP whose lane flow ended frees its slot and its result counts at once, though its actor
 *   lives on to write its last notes; the run waits for every actor to finish. A crashed actor
 *   counts as failed in its last known lane.
 * - Nothing to start and no actor alive: all done -> accept-mission when asked, then completed
 *   (a refused acceptance fails the run); otherwise, unless mission-state was read after the
 *   last WP ended, read it once more and decide again; then some WP not terminal (done, blocked,
 *   canceled) -> stalled, naming them; else finished_with_problems.
 * - A safety-net poll reads mission-state whenever its timer fires; a fresh read lets the
 *   scheduler decide again. The third failed poll in a row fails the run.
 * - ABORT ends the run at once, whatever it was doing.
 */
import type { Lane } from '../../../src/host/lanes.js';
import type { MissionEnd, MissionTrace } from './mission-trace.js';
import type { HostWp, MissionAnswer } from './mission-world.js';

const MIN_CONTRACT = [1, 3, 0] as const;
const KNOWN_MAJOR = 1;
const POLL_FAILURES_TOLERATED = 2;
const TERMINAL: ReadonlySet<Lane> = new Set<Lane>(['done', 'blocked', 'canceled']);
const LEFT_MID_WAY: ReadonlySet<Lane> = new Set<Lane>(['claimed', 'in_progress', 'for_review']);

export interface MissionSpecInput {
  maxConcurrent: number;
  acceptOnCompletion: boolean;
  /** WPs in in_review that an earlier run of ours claimed for review. */
  ownedInReview: string[];
}

function contractSupported(version: string | null): boolean {
  const parts = (version ?? '').split('.').map(Number);
  if (parts.length !== 3 || parts.some((part) => !Number.isInteger(part))) return false;
  const [major = 0, minor = 0, patch = 0] = parts;
  if (major > KNOWN_MAJOR) return false;
  const [minMajor, minMinor, minPatch] = MIN_CONTRACT;
  if (major !== minMajor) return major > minMajor;
  if (minor !== minMinor) return minor > minMinor;
  return patch >= minPatch;
}

class Diverged extends Error {}

class MissionSpec {
  private phase: 'contract' | 'recovering' | 'running' | 'accepting' | 'ended' = 'contract';
  private scheduler: 'supervising' | 'confirming' = 'supervising';
  private poller: 'waiting' | 'polling' = 'waiting';
  private hostWps: HostWp[] = [];
  private readonly results = new Map<string, { outcome: string; lane: Lane }>();
  /** WP actors alive (in their lane flow, or writing their last notes). */
  private readonly alive = new Set<string>();
  /** WP actors still in their lane flow: these hold the concurrency slots. */
  private readonly inFlow = new Set<string>();
  private readonly started = new Set<string>();
  /** mission-state was read after the last WP ended. */
  private fresh = false;
  private pollFailures = 0;
  private answersSeen = 0;

  constructor(
    private readonly input: MissionSpecInput,
    private readonly trace: MissionTrace,
  ) {}

  private laneOf(wp: string): Lane {
    return this.results.get(wp)?.lane ?? this.hostWps.find((known) => known.wp === wp)?.lane ?? 'planned';
  }

  private end(outcome: Exclude<MissionEnd, 'running'>): void {
    this.phase = 'ended';
    this.trace.outcome = outcome;
    this.trace.lanes = Object.fromEntries(this.hostWps.map(({ wp }) => [wp, this.laneOf(wp)]));
  }

  private read(wps: HostWp[]): void {
    this.hostWps = wps;
    this.fresh = true;
    this.pollFailures = 0;
  }

  private startable(): string[] {
    const notStarted = this.hostWps.filter(({ wp }) => !this.started.has(wp));
    const ready = notStarted.filter(
      ({ wp, dependencies }) =>
        this.laneOf(wp) === 'planned' &&
        dependencies.every((dependency) => this.laneOf(dependency) === 'done'),
    );
    const leftMidWay = notStarted.filter(({ wp }) => {
      const lane = this.laneOf(wp);
      return LEFT_MID_WAY.has(lane) || (lane === 'in_review' && this.input.ownedInReview.includes(wp));
    });
    return [...ready, ...leftMidWay].map(({ wp }) => wp);
  }

  private decide(): void {
    this.scheduler = 'supervising';
    const free = Math.max(0, this.input.maxConcurrent - this.inFlow.size);
    for (const wp of this.startable().slice(0, free)) {
      this.trace.starts.push({ wp, lane: this.laneOf(wp), afterAnswers: this.answersSeen });
      this.started.add(wp);
      this.alive.add(wp);
      this.inFlow.add(wp);
    }
    if (this.alive.size > 0) return;
    const lanes = this.hostWps.map(({ wp }) => this.laneOf(wp));
    if (lanes.every((lane) => lane === 'done')) {
      if (!this.input.acceptOnCompletion) {
        this.end('completed');
        return;
      }
      this.trace.acceptCalled = true;
      this.phase = 'accepting';
      return;
    }
    if (!this.fresh) {
      this.scheduler = 'confirming';
      this.trace.confirmReads += 1;
      return;
    }
    const stuck = this.hostWps.filter(({ wp }) => !TERMINAL.has(this.laneOf(wp))).map(({ wp }) => wp);
    if (stuck.length > 0) {
      this.trace.stalled = stuck;
      this.end('stalled');
      return;
    }
    this.end('finished_with_problems');
  }

  private wpEnded(wp: string, outcome: string, lane: Lane, actorFinished: boolean): void {
    if (!this.alive.has(wp)) throw new Diverged(`${wp} ended, but the rules never started it`);
    // A flow ends once; the actor's own end, later, brings its final output.
    if (!actorFinished && !this.inFlow.has(wp)) return;
    this.results.set(wp, { outcome, lane });
    this.inFlow.delete(wp);
    if (actorFinished) this.alive.delete(wp);
    this.fresh = false;
    this.decide();
  }

  handle(answer: MissionAnswer): void {
    this.answersSeen += 1;
    const unexpected = () => new Diverged(`in ${this.phase}, the world answered ${answer.kind}`);
    if (this.phase === 'ended') throw unexpected();
    if (answer.kind === 'abort') {
      this.end('aborted');
      return;
    }
    if (this.phase === 'contract') {
      if (answer.kind !== 'contract') throw unexpected();
      if (answer.failed || !contractSupported(answer.apiVersion)) {
        this.end('failed');
        return;
      }
      this.phase = 'recovering';
      return;
    }
    if (this.phase === 'recovering') {
      if (answer.kind !== 'missionState' || answer.call !== 'initialState') throw unexpected();
      if (answer.failed) {
        this.end('failed');
        return;
      }
      this.read(answer.wps);
      this.phase = 'running';
      this.decide();
      return;
    }
    if (this.phase === 'accepting') {
      if (answer.kind !== 'accept') throw unexpected();
      this.end(answer.failed ? 'failed' : 'completed');
      return;
    }
    switch (answer.kind) {
      case 'wpFlowEnded':
        this.wpEnded(answer.wp, answer.outcome, answer.lane, false);
        return;
      case 'wpFinished':
        this.wpEnded(answer.wp, answer.outcome, answer.lane, true);
        return;
      case 'wpCrashed':
        this.wpEnded(answer.wp, 'failed', this.laneOf(answer.wp), true);
        return;
      case 'pollTimer':
        if (this.poller !== 'waiting') throw unexpected();
        this.poller = 'polling';
        return;
      case 'missionState':
        this.stateRead(answer, unexpected);
        return;
      default:
        throw unexpected();
    }
  }

  private stateRead(answer: MissionAnswer & { kind: 'missionState' }, unexpected: () => Diverged): void {
    if (answer.call === 'poll') {
      if (this.poller !== 'polling') throw unexpected();
      this.poller = 'waiting';
      if (!answer.failed) {
        this.read(answer.wps);
        this.decide();
        return;
      }
      if (this.pollFailures >= POLL_FAILURES_TOLERATED) {
        this.end('failed');
        return;
      }
      this.pollFailures += 1;
      return;
    }
    if (answer.call !== 'confirmState' || this.scheduler !== 'confirming') throw unexpected();
    if (answer.failed) {
      this.end('failed');
      return;
    }
    this.read(answer.wps);
    this.decide();
  }
}

export function expectedMissionTrace(input: MissionSpecInput, answers: MissionAnswer[]): MissionTrace {
  const trace: MissionTrace = {
    starts: [],
    confirmReads: 0,
    acceptCalled: false,
    outcome: 'running',
    stalled: [],
    lanes: {},
  };
  const spec = new MissionSpec(input, trace);
  try {
    for (const answer of answers) spec.handle(answer);
  } catch (error) {
    if (!(error instanceof Diverged)) throw error;
    trace.divergence = error.message;
  }
  return trace;
}
