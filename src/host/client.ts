/**
 * HostClient: the HostApi every other layer uses. It owns the concurrency rules the host needs
 * (measured: the host locks each mission for every mutation, and four concurrent mutations on
 * four different WPs all succeed):
 * - reads run concurrently (bounded, so a burst does not start a dozen Python processes);
 * - mutations on the same WP never overlap, and at most `maxConcurrentMutations` run at once;
 * - history notes (append-history) yield to lane mutations (`notesYield`, on by default): a note
 *   starts only when no lane mutation waits for a mutation slot and none holds or waits for the
 *   note's WP, so it never delays a transition by queueing ahead of it;
 * - mission-level mutations (accept, merge) run alone within their mission;
 * - reads that fail in transport (no output, not JSON, timeout) are retried; mutations never
 *   are, because a mutation that seemed to fail may have happened.
 */

import type {
  AcceptMissionArgs,
  AppendHistoryArgs,
  CallOptions,
  ContractInfo,
  HostApi,
  HostTransport,
  MergeMissionArgs,
  MissionRef,
  ResolveDecisionArgs,
  StartImplementationArgs,
  StartReviewArgs,
  TransitionArgs,
  WpRef,
} from './api.js';
import {
  acceptMissionArgv,
  appendHistoryArgv,
  contractVersionArgv,
  designStatusArgv,
  listReadyArgv,
  mergeMissionArgv,
  missionStateArgv,
  resolveDecisionArgv,
  resolveWorkspaceArgv,
  startImplementationArgv,
  startReviewArgv,
  transitionArgv,
} from './argv.js';
import { hostCapabilities } from './capabilities.js';
import { parseHostResult } from './envelope.js';
import { isHostError } from './error-base.js';
import { type MarkSubtasksArgs, markSubtasksDone, type SubtasksMarked } from './mark-status.js';
import type {
  CommandData,
  DecisionResolved,
  DesignStatus,
  HistoryAppended,
  HostCommand,
  ListReady,
  MissionAccepted,
  MissionMerged,
  MissionState,
  ResolvedWorkspace,
  StartedImplementation,
  StartedReview,
  Transitioned,
} from './schemas.js';
import { KeyedSemaphores, type Release, Semaphore } from './semaphore.js';
import { HostCanceledError } from './transport-errors.js';

/** One host process run, as reported to `onCall` (retries report one record per attempt). */
export interface HostCallRecord {
  command: HostCommand;
  args: readonly string[];
  /** Wall time of the host process and the parsing of its answer; queue time excluded. */
  durationMs: number;
  /** Time spent waiting for the client's locks before the process started. */
  waitMs: number;
  /** 1 for the first try, 2 for the first retry... */
  attempt: number;
  ok: boolean;
  errorCode?: string | undefined;
}

export interface HostClientOptions {
  /**
   * Mutations running at once across all WPs (never two on one WP). Default 4: each host call is
   * mostly Python start-up before the host takes its per-mission lock, so overlapping them pays
   * (measured on the real host, 12-WP bench: 114 s with 4 slots against 153 s with 2), and a
   * real-host test drives 8 WPs at once with no lost or doubled lane event.
   */
  maxConcurrentMutations?: number | undefined;
  /**
   * History notes wait for lane mutations instead of queueing FIFO with them. Default on: a note
   * never delays a lane change, and the mission frees a WP's slot (and starts its dependents) at
   * its last lane change, while its notes still drain. Off gives strict arrival order.
   */
  notesYield?: boolean | undefined;
  /**
   * How long a yielding note waits for a gap in lane mutations before it queues for a slot in
   * arrival order like them. Default 5 000: a mission that keeps the host busy (hundreds of WPs)
   * would otherwise hold every note, and the WP actor waiting for it, until the very end.
   */
  noteMaxWaitMs?: number | undefined;
  /** Reads running at once. Default 4. */
  maxConcurrentReads?: number | undefined;
  /**
   * Time limit of one read attempt. Default 60 000: a read takes 1 to 2 s (13 s measured on a
   * loaded 2-core machine), so one hung past a minute is killed and retried rather than waited on
   * for the transport's limit (300 s, sized for merges). Mutations keep the transport's limit:
   * they are never retried, so killing one early gains nothing.
   */
  readTimeoutMs?: number | undefined;
  /** Extra attempts for a read that failed in transport. Default 2. */
  readRetries?: number | undefined;
  /** First retry delay; doubles each time. Default 250 ms. */
  retryBaseDelayMs?: number | undefined;
  /** Sent as `contract-version --provider-version`, so the host can refuse us up front. */
  providerVersion?: string | undefined;
  /** Observes every host call (logging, benchmarks). Exceptions it throws are ignored. */
  onCall?: ((call: HostCallRecord) => void) | undefined;
}

type Scope =
  | { kind: 'read' }
  | { kind: 'note'; mission: string; wp: string }
  | { kind: 'wp'; mission: string; wp: string }
  | { kind: 'mission'; mission: string };

export const DEFAULT_READ_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONCURRENT_MUTATIONS = 4;
export const DEFAULT_NOTE_MAX_WAIT_MS = 5_000;

/** Weight of an exclusive hold on a mission lock; shared holds weigh 1. Any large bound works. */
const MISSION_LOCK_CAPACITY = 1_000_000;

/** Argument errors surface as rejected promises (the methods are async), never as sync throws. */
export class HostClient implements HostApi {
  readonly #transport: HostTransport;
  readonly #readRetries: number;
  readonly #readTimeoutMs: number;
  readonly #retryBaseDelayMs: number;
  readonly #providerVersion: string | undefined;
  readonly #onCall: ((call: HostCallRecord) => void) | undefined;
  readonly #reads: Semaphore;
  readonly #mutations: Semaphore;
  readonly #maxMutations: number;
  readonly #notesYield: boolean;
  readonly #noteMaxWaitMs: number;
  /** Mutation slots held, and lane/mission mutations waiting for one: notes wait while any waits. */
  #mutationsHeld = 0;
  #urgentWaiting = 0;
  /** Lane mutations holding or waiting for each WP's lock. */
  readonly #laneBusy = new Map<string, number>();
  /** Notes waiting for their turn; called whenever a slot frees or a lane mutation moves on. */
  readonly #noteWakers = new Set<() => void>();
  readonly #wpLocks = new KeyedSemaphores(1);
  readonly #missionLocks = new KeyedSemaphores(MISSION_LOCK_CAPACITY);
  readonly #firstAllocation = new KeyedSemaphores(1);
  readonly #allocatedMissions = new Set<string>();
  /** The last contract-version answer: it decides which merge verb this host has. */
  #contract: Promise<ContractInfo> | undefined;
  /** Lane changes and notes sent to the host and not answered yet (they are never cancelled). */
  readonly #sent = new Set<Promise<unknown>>();

  constructor(transport: HostTransport, options: HostClientOptions = {}) {
    this.#transport = transport;
    this.#readRetries = Math.max(0, options.readRetries ?? 2);
    this.#readTimeoutMs = Math.max(1, options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
    this.#retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? 250);
    this.#providerVersion = options.providerVersion;
    this.#onCall = options.onCall;
    this.#reads = new Semaphore(options.maxConcurrentReads ?? 4);
    this.#maxMutations = options.maxConcurrentMutations ?? DEFAULT_MAX_CONCURRENT_MUTATIONS;
    this.#mutations = new Semaphore(this.#maxMutations);
    this.#notesYield = options.notesYield ?? true;
    this.#noteMaxWaitMs = Math.max(0, options.noteMaxWaitMs ?? DEFAULT_NOTE_MAX_WAIT_MS);
  }

  markSubtasksDone(args: MarkSubtasksArgs, options?: CallOptions): Promise<SubtasksMarked> {
    return markSubtasksDone(this.#transport, args, options);
  }

  async contractVersion(options?: CallOptions): Promise<ContractInfo> {
    const argv = contractVersionArgv(this.#providerVersion ? { providerVersion: this.#providerVersion } : {});
    const asked = this.#call('contract-version', argv, { kind: 'read' }, options).then(
      (data): ContractInfo => ({
        apiVersion: data.api_version,
        minSupportedProviderVersion: data.min_supported_provider_version,
        supportedCommands: data.delivery_profile?.supported,
      }),
    );
    this.#contract = asked;
    // A failed answer is not remembered: the next merge asks again.
    asked.catch(() => {
      if (this.#contract === asked) this.#contract = undefined;
    });
    return asked;
  }

  async missionState(args: MissionRef, options?: CallOptions): Promise<MissionState> {
    return this.#call('mission-state', missionStateArgv(args), { kind: 'read' }, options);
  }

  async listReady(args: MissionRef, options?: CallOptions): Promise<ListReady> {
    return this.#call('list-ready', listReadyArgv(args), { kind: 'read' }, options);
  }

  async resolveWorkspace(args: WpRef, options?: CallOptions): Promise<ResolvedWorkspace> {
    return this.#call('resolve-workspace', resolveWorkspaceArgv(args), { kind: 'read' }, options);
  }

  async startImplementation(
    args: StartImplementationArgs,
    options?: CallOptions,
  ): Promise<StartedImplementation> {
    const started = await this.#call(
      'start-implementation',
      startImplementationArgv(args),
      wpScope(args),
      options,
    );
    this.#allocatedMissions.add(args.mission);
    return started;
  }

  async startReview(args: StartReviewArgs, options?: CallOptions): Promise<StartedReview> {
    return this.#call('start-review', startReviewArgv(args), wpScope(args), options);
  }

  async transition(args: TransitionArgs, options?: CallOptions): Promise<Transitioned> {
    return this.#call('transition', transitionArgv(args), wpScope(args), options);
  }

  async appendHistory(args: AppendHistoryArgs, options?: CallOptions): Promise<HistoryAppended> {
    const scope: Scope = this.#notesYield
      ? { kind: 'note', mission: args.mission, wp: args.wp }
      : wpScope(args);
    return this.#call('append-history', appendHistoryArgv(args), scope, options);
  }

  async acceptMission(args: AcceptMissionArgs, options?: CallOptions): Promise<MissionAccepted> {
    return this.#call(
      'accept-mission',
      acceptMissionArgv(args),
      { kind: 'mission', mission: args.mission },
      options,
    );
  }

  /** The mission's design phase and open decisions (contract >= 1.4; older hosts: USAGE_ERROR). */
  async designStatus(args: MissionRef, options?: CallOptions): Promise<DesignStatus> {
    return this.#call('design-status', designStatusArgv(args), { kind: 'read' }, options);
  }

  /** Records a person's answer to an open decision; never retried blindly (a mutation). */
  async resolveDecision(args: ResolveDecisionArgs, options?: CallOptions): Promise<DecisionResolved> {
    return this.#call(
      'resolve-decision',
      resolveDecisionArgv(args),
      { kind: 'mission', mission: args.mission },
      options,
    );
  }

  /** Calls the merge verb the host's contract-version lists (consolidate-mission on 4.0.0rc7). */
  async mergeMission(args: MergeMissionArgs, options?: CallOptions): Promise<MissionMerged> {
    const verb =
      args.verb ??
      hostCapabilities(await (this.#contract ?? this.contractVersion(options)), args.mission).mergeVerb;
    return this.#call(
      verb,
      mergeMissionArgv({ ...args, verb }),
      { kind: 'mission', mission: args.mission },
      options,
    );
  }

  async #call<C extends HostCommand>(
    command: C,
    argv: string[],
    scope: Scope,
    options: CallOptions = {},
  ): Promise<CommandData<C>> {
    const retries = scope.kind === 'read' ? this.#readRetries : 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#attempt(command, argv, scope, attempt, options.signal);
      } catch (error) {
        const retryable = isHostError(error) && error.transient && !options.signal?.aborted;
        if (!retryable || attempt > retries) throw error;
        await sleep(this.#retryBaseDelayMs * 2 ** (attempt - 1), command, options.signal);
      }
    }
  }

  async #attempt<C extends HostCommand>(
    command: C,
    argv: string[],
    scope: Scope,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<CommandData<C>> {
    const queuedAt = performance.now();
    const release = await this.#acquire(command, scope, signal);
    const startedAt = performance.now();
    let record: Omit<HostCallRecord, 'durationMs'> = {
      command,
      args: argv,
      waitMs: startedAt - queuedAt,
      attempt,
      ok: true,
    };
    try {
      // A lane change or note that got this far is sent whatever happens to the run (Ctrl-C,
      // abort): the signal only stopped it while it queued. See settleSent().
      const sent = scope.kind === 'wp' || scope.kind === 'note';
      const running = this.#transport.run(argv, {
        ...(signal && !sent ? { signal } : {}),
        ...(scope.kind === 'read' ? { timeoutMs: this.#readTimeoutMs } : {}),
        ...(sent ? { detached: true } : {}),
      });
      if (sent) {
        this.#sent.add(running);
        void running.finally(() => this.#sent.delete(running)).catch(() => undefined);
      }
      const raw = await running;
      return parseHostResult(command, raw);
    } catch (error) {
      record = { ...record, ok: false, errorCode: isHostError(error) ? error.code : 'UNEXPECTED' };
      throw error;
    } finally {
      release();
      this.#report({ ...record, durationMs: performance.now() - startedAt });
    }
  }

  /** How many lane changes and notes are with the host right now. */
  get sentInFlight(): number {
    return this.#sent.size;
  }

  /**
   * Waits up to `timeoutMs` for the lane changes and notes already sent to finish (after Ctrl-C
   * or abort, before the process exits); resolves to how many are still running then.
   */
  async settleSent(timeoutMs: number): Promise<number> {
    if (this.#sent.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#sent]), deadline]);
    clearTimeout(timer);
    return this.#sent.size;
  }

  /**
   * Takes the locks for `scope` in a fixed order (WP, then mission, then the global bound).
   * Notes take them in another order (mission, then a global slot, then the WP) but only when
   * the global slot and the WP lock are both free at once (see #acquireNote), so a note never
   * waits while holding the slot or the WP lock, and no cycle of waits can form.
   */
  async #acquire(command: HostCommand, scope: Scope, signal: AbortSignal | undefined): Promise<Release> {
    const held: Release[] = [];
    const releaseAll: Release = () => {
      for (const release of held.reverse()) release();
    };
    try {
      if (scope.kind === 'read') {
        held.push(await this.#reads.acquire(1, signal));
      } else if (scope.kind === 'note') {
        held.push(await this.#missionLocks.acquire(scope.mission, 1, signal));
        held.push(...(await this.#acquireNote(wpKey(scope), signal)));
      } else {
        if (scope.kind === 'wp') {
          const key = wpKey(scope);
          this.#laneBusy.set(key, (this.#laneBusy.get(key) ?? 0) + 1);
          held.push(() => {
            const left = (this.#laneBusy.get(key) ?? 1) - 1;
            if (left > 0) this.#laneBusy.set(key, left);
            else this.#laneBusy.delete(key);
            this.#wakeNotes();
          });
          held.push(await this.#wpLocks.acquire(key, 1, signal));
          if (command === 'start-implementation' && !this.#allocatedMissions.has(scope.mission)) {
            // A mission's first allocation creates its mission branch; measured on the real host,
            // two first allocations at once race on that branch ("a branch named ... already
            // exists", LANE_ALLOCATION_FAILED). So they run one at a time until one succeeded.
            const gate = await this.#firstAllocation.acquire(scope.mission, 1, signal);
            if (this.#allocatedMissions.has(scope.mission)) gate();
            else held.push(gate);
          }
        }
        const weight = scope.kind === 'mission' ? MISSION_LOCK_CAPACITY : 1;
        held.push(await this.#missionLocks.acquire(scope.mission, weight, signal));
        this.#urgentWaiting += 1;
        try {
          const release = await this.#mutations.acquire(1, signal);
          this.#mutationsHeld += 1;
          held.push(this.#slotReleaser(release));
        } finally {
          this.#urgentWaiting -= 1;
          this.#wakeNotes();
        }
      }
      return releaseAll;
    } catch (error) {
      releaseAll();
      throw signal?.aborted ? new HostCanceledError(command, error) : error;
    }
  }

  /**
   * Waits until a note may go (a free slot, no lane mutation waiting for one, none holding or
   * waiting for this WP), then takes the slot and the WP lock in the same tick: both are free
   * then, so both are granted at once and nothing queues behind a waiting note.
   */
  async #acquireNote(key: string, signal: AbortSignal | undefined): Promise<Release[]> {
    const mayGo = () =>
      this.#urgentWaiting === 0 && this.#mutationsHeld < this.#maxMutations && !this.#laneBusy.has(key);
    const deadline = performance.now() + this.#noteMaxWaitMs;
    while (!mayGo()) {
      const left = deadline - performance.now();
      if (left <= 0) return this.#acquireNoteInTurn(key, signal);
      await this.#noteTurn(signal, left);
    }
    // Counted before any await, so another note woken in the same tick sees the slot taken.
    this.#mutationsHeld += 1;
    const releaseSlot = this.#slotReleaser(() => slotRelease?.());
    let slotRelease: Release | undefined;
    const wp = this.#wpLocks.acquire(key, 1, signal);
    try {
      slotRelease = await this.#mutations.acquire(1, signal);
      return [releaseSlot, await wp];
    } catch (error) {
      releaseSlot();
      wp.then(
        (release) => release(),
        () => undefined,
      );
      throw error;
    }
  }

  /**
   * A note that waited `noteMaxWaitMs` queues like a lane mutation: its WP lock, then a slot in
   * arrival order. A slot freed under load goes straight to the next queued caller, so a note
   * that only took free slots could lose every race. (It holds the mission lock shared already;
   * an exclusive holder, accept or merge, only runs once every WP actor has ended.)
   */
  async #acquireNoteInTurn(key: string, signal: AbortSignal | undefined): Promise<Release[]> {
    const wp = await this.#wpLocks.acquire(key, 1, signal);
    try {
      this.#urgentWaiting += 1;
      let release: Release;
      try {
        release = await this.#mutations.acquire(1, signal);
      } finally {
        this.#urgentWaiting -= 1;
        this.#wakeNotes();
      }
      this.#mutationsHeld += 1;
      return [wp, this.#slotReleaser(release)];
    } catch (error) {
      wp();
      throw error;
    }
  }

  #noteTurn(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => wake(), timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        this.#noteWakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        clearTimeout(timer);
        this.#noteWakers.delete(wake);
        reject(signal?.reason);
      };
      this.#noteWakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #wakeNotes(): void {
    for (const wake of [...this.#noteWakers]) wake();
  }

  /** Releases a counted mutation slot (the count tells notes when one is free). */
  #slotReleaser(release: Release): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#mutationsHeld -= 1;
      release();
      this.#wakeNotes();
    };
  }

  #report(record: HostCallRecord): void {
    if (!this.#onCall) return;
    try {
      this.#onCall(record);
    } catch {
      // A logging hook must never change the outcome of a host call.
    }
  }
}

function wpScope(args: WpRef): Scope {
  return { kind: 'wp', mission: args.mission, wp: args.wp };
}

function wpKey(scope: { mission: string; wp: string }): string {
  return `${scope.mission}\u0000${scope.wp}`;
}

function sleep(ms: number, command: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HostCanceledError(command, signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new HostCanceledError(command, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
