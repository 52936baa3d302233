/**
 * HostClient: the HostApi every other layer uses. It owns the concurrency rules the host needs
 * (measured: the host locks each mission for every mutation, and four concurrent mutations on
 * four different WPs all succeed):
 * - reads run concurrently (bounded, so a burst does not start a dozen Python processes);
 * - mutations on the same WP never overlap, and at most `maxConcurrentMutations` run at once;
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
  StartImplementationArgs,
  StartReviewArgs,
  TransitionArgs,
  WpRef,
} from './api.js';
import {
  acceptMissionArgv,
  appendHistoryArgv,
  contractVersionArgv,
  listReadyArgv,
  mergeMissionArgv,
  missionStateArgv,
  resolveWorkspaceArgv,
  startImplementationArgv,
  startReviewArgv,
  transitionArgv,
} from './argv.js';
import { parseHostResult } from './envelope.js';
import { isHostError } from './error-base.js';
import type {
  CommandData,
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
  /** Mutations running at once across all WPs. Default 2 (the host serializes on its lock anyway). */
  maxConcurrentMutations?: number | undefined;
  /** Reads running at once. Default 4. */
  maxConcurrentReads?: number | undefined;
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
  | { kind: 'wp'; mission: string; wp: string }
  | { kind: 'mission'; mission: string };

/** Weight of an exclusive hold on a mission lock; shared holds weigh 1. Any large bound works. */
const MISSION_LOCK_CAPACITY = 1_000_000;

/** Argument errors surface as rejected promises (the methods are async), never as sync throws. */
export class HostClient implements HostApi {
  readonly #transport: HostTransport;
  readonly #readRetries: number;
  readonly #retryBaseDelayMs: number;
  readonly #providerVersion: string | undefined;
  readonly #onCall: ((call: HostCallRecord) => void) | undefined;
  readonly #reads: Semaphore;
  readonly #mutations: Semaphore;
  readonly #wpLocks = new KeyedSemaphores(1);
  readonly #missionLocks = new KeyedSemaphores(MISSION_LOCK_CAPACITY);

  constructor(transport: HostTransport, options: HostClientOptions = {}) {
    this.#transport = transport;
    this.#readRetries = Math.max(0, options.readRetries ?? 2);
    this.#retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? 250);
    this.#providerVersion = options.providerVersion;
    this.#onCall = options.onCall;
    this.#reads = new Semaphore(options.maxConcurrentReads ?? 4);
    this.#mutations = new Semaphore(options.maxConcurrentMutations ?? 2);
  }

  async contractVersion(options?: CallOptions): Promise<ContractInfo> {
    const argv = contractVersionArgv(this.#providerVersion ? { providerVersion: this.#providerVersion } : {});
    const data = await this.#call('contract-version', argv, { kind: 'read' }, options);
    return { apiVersion: data.api_version, minSupportedProviderVersion: data.min_supported_provider_version };
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
    return this.#call('start-implementation', startImplementationArgv(args), wpScope(args), options);
  }

  async startReview(args: StartReviewArgs, options?: CallOptions): Promise<StartedReview> {
    return this.#call('start-review', startReviewArgv(args), wpScope(args), options);
  }

  async transition(args: TransitionArgs, options?: CallOptions): Promise<Transitioned> {
    return this.#call('transition', transitionArgv(args), wpScope(args), options);
  }

  async appendHistory(args: AppendHistoryArgs, options?: CallOptions): Promise<HistoryAppended> {
    return this.#call('append-history', appendHistoryArgv(args), wpScope(args), options);
  }

  async acceptMission(args: AcceptMissionArgs, options?: CallOptions): Promise<MissionAccepted> {
    return this.#call(
      'accept-mission',
      acceptMissionArgv(args),
      { kind: 'mission', mission: args.mission },
      options,
    );
  }

  async mergeMission(args: MergeMissionArgs, options?: CallOptions): Promise<MissionMerged> {
    return this.#call(
      'merge-mission',
      mergeMissionArgv(args),
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
      const raw = await this.#transport.run(argv, signal ? { signal } : {});
      return parseHostResult(command, raw);
    } catch (error) {
      record = { ...record, ok: false, errorCode: isHostError(error) ? error.code : 'UNEXPECTED' };
      throw error;
    } finally {
      release();
      this.#report({ ...record, durationMs: performance.now() - startedAt });
    }
  }

  /** Takes the locks for `scope` in a fixed order (WP, then mission, then the global bound). */
  async #acquire(command: HostCommand, scope: Scope, signal: AbortSignal | undefined): Promise<Release> {
    const held: Release[] = [];
    const releaseAll: Release = () => {
      for (const release of held.reverse()) release();
    };
    try {
      if (scope.kind === 'read') {
        held.push(await this.#reads.acquire(1, signal));
      } else {
        if (scope.kind === 'wp') {
          held.push(await this.#wpLocks.acquire(`${scope.mission}\u0000${scope.wp}`, 1, signal));
        }
        const weight = scope.kind === 'mission' ? MISSION_LOCK_CAPACITY : 1;
        held.push(await this.#missionLocks.acquire(scope.mission, weight, signal));
        held.push(await this.#mutations.acquire(1, signal));
      }
      return releaseAll;
    } catch (error) {
      releaseAll();
      throw signal?.aborted ? new HostCanceledError(command, error) : error;
    }
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
