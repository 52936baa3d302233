/**
 * What `orchestrate`, `resume` and `demo` share once their inputs are known: host facts and
 * agents checked, outputs wired, the session run, the summary printed.
 */
import { randomUUID } from 'node:crypto';
import type { RunLock, RunState } from '../../actors/persistence/index.js';
import { enforcedPolicyFields, type RunConfinement } from '../../agents/enforced-policy.js';
import type { HostTransport } from '../../host/api.js';
import { hostCapabilities } from '../../host/capabilities.js';
import type { HostCallRecord } from '../../host/client.js';
import { HostClient } from '../../host/client.js';
import { buildPolicy, type Policy } from '../../host/policy.js';
import type { MissionState } from '../../host/schemas.js';
import { PolicyInvalidError } from '../../host/transport-errors.js';
import { CONFIG_RELATIVE_PATH, type OrchestratorConfig } from '../config/index.js';
import type { ExitCode } from '../exit-codes.js';
import { logger } from '../logger.js';
import { VERSION } from '../version.js';
import { metricsRecorderFromEnv } from './metrics.js';
import { readOpenDecisions } from './open-decisions.js';
import { createRunOutputs, type OutputOptions } from './outputs.js';
import { checkAgentsInstalled, readHostFacts } from './preflight.js';
import { primeHost } from './primed-host.js';
import { runSession } from './run-session.js';
import { chooseSandbox, type SandboxChoice } from './sandbox-choice.js';

export interface LaunchOptions {
  repoRoot: string;
  mission: string;
  actor: string;
  config: OrchestratorConfig;
  transport: HostTransport;
  output: OutputOptions;
  /** Resume: the saved run's identity. */
  /** `resume`: the saved run whose actors this session restores. */
  resume?: RunState;
  /** `orchestrate --fresh`: in_review WPs the replaced run had claimed for review. */
  ownedInReview?: string[];
  /** A new run's id, when the caller needed it before (to take the lock); default a fresh UUID. */
  runId?: string;
  /** The repository lock, already taken by the caller (see lockAndReap); the caller releases it too. */
  lock?: RunLock;
  /** Called after the checks pass and before anything changes (dry-run prints its plan here). */
  beforeStart?: (facts: {
    missionState: MissionState;
    launchers: object;
    sandbox: SandboxChoice;
  }) => Promise<ExitCode | undefined>;
}

/**
 * The policy this run's host calls carry: what its agents may really do (enforced-policy.ts),
 * from the config of this session (a resumed run states what is true now, not what was).
 */
export function runPolicy(
  config: OrchestratorConfig,
  confinement: RunConfinement = { sandboxed: false },
): Policy {
  const enforced = enforcedPolicyFields(config, confinement);
  try {
    return buildPolicy({
      orchestrator_version: VERSION,
      agent_family: config.agents.implementation[0] ?? 'claude',
      ...enforced,
    });
  } catch (error) {
    // The adapters pass no banned flag (a test holds them to it): one here came from extra_args.
    const field = error instanceof PolicyInvalidError ? error.field : '';
    const index = /^dangerous_flags(?:\[(\d+)\]|\.(\d+))$/
      .exec(field)
      ?.slice(1)
      .find((n) => n !== undefined);
    if (index === undefined) throw error;
    const flag = enforced.dangerous_flags[Number(index)];
    throw new PolicyInvalidError(
      field,
      `${flag} is a flag the host bans from its policy record; remove it from extra_args in agent_settings (${CONFIG_RELATIVE_PATH})`,
    );
  }
}

export async function launchRun(options: LaunchOptions): Promise<ExitCode> {
  // First: what confines the agents (a probe of some milliseconds), then a policy the host would
  // refuse fails at once, before any host call.
  const sandbox = await chooseSandbox(options.config);
  const policy = runPolicy(options.config, { sandboxed: sandbox.settings !== undefined });
  const hostCallListeners: Array<(call: HostCallRecord) => void> = [];
  // Benchmarks only (SKO_METRICS_FILE): the orchestrator's own cost, host calls included.
  const metrics = metricsRecorderFromEnv(options.repoRoot);
  if (metrics) hostCallListeners.push(metrics.hostCall);
  const client = new HostClient(options.transport, {
    providerVersion: VERSION,
    onCall: (call) => {
      for (const listener of hostCallListeners) listener(call);
    },
  });
  // The host's reads and the agents' --version probes at once: neither waits on the other.
  // A host problem is reported first when both fail (it is the one to fix first).
  const [factsRead, agentsRead] = await Promise.allSettled([
    readHostFacts(client, options.mission),
    checkAgentsInstalled(options.config),
  ]);
  if (factsRead.status === 'rejected') throw factsRead.reason;
  if (agentsRead.status === 'rejected') throw agentsRead.reason;
  const facts = factsRead.value;
  const agents = agentsRead.value;
  if (options.beforeStart) {
    const early = await options.beforeStart({
      missionState: facts.missionState,
      launchers: agents.launchers,
      sandbox,
    });
    if (early !== undefined) return early;
  }
  if (sandbox.warn) logger.warn(sandbox.summary);
  else logger.info(sandbox.summary);

  const runId = options.resume?.runId ?? options.runId ?? randomUUID();
  const capabilities = hostCapabilities(facts.contract, options.mission);
  const outputs = await createRunOutputs({
    ...options.output,
    runId,
    mission: options.mission,
    wpIds: facts.missionState.work_packages.map((wp) => wp.wp_id),
    // The next step a finished run prints is this host's own merge command (3.x merge, 4.x consolidate).
    mergeCommand: capabilities.mergeCommand,
    // The live view shows open decisions; a host without them (contract < 1.4) is not asked.
    ...(capabilities.decisions
      ? { readOpenDecisions: (signal: AbortSignal) => readOpenDecisions(client, options.mission, { signal }) }
      : {}),
  });
  hostCallListeners.push(outputs.hostCall);
  try {
    const result = await runSession({
      sent: { inFlight: () => client.sentInFlight, settle: (ms) => client.settleSent(ms) },
      repoRoot: options.repoRoot,
      mission: options.mission,
      actor: options.actor,
      runId,
      policy,
      config: options.config,
      host: primeHost(client, facts),
      ...(sandbox.settings ? { sandbox: sandbox.settings } : {}),
      launchers: agents.launchers,
      startedAt: options.resume?.startedAt ?? new Date().toISOString(),
      ...(options.ownedInReview ? { ownedInReview: options.ownedInReview } : {}),
      ...(options.resume ? { restoreFrom: options.resume } : {}),
      observers: [outputs.inspect],
      handleSignals: true,
      ...(options.lock ? { lock: options.lock } : {}),
    });
    // A stalled mission may be waiting on a person: the host's open design decisions say so.
    const openDecisions =
      result.output?.status === 'stalled' ? await readOpenDecisions(client, options.mission) : null;
    await outputs.finish(result, openDecisions ? { openDecisions } : {});
    await metrics?.write(result);
    return result.exitCode;
  } catch (error) {
    await outputs.close();
    throw error;
  } finally {
    logger.debug('run finished');
  }
}
