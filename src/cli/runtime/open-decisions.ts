/**
 * A mission's open design decisions, and what to say on a host that has none (contract < 1.4).
 *
 * Whether the host has decision verbs is decided from its contract version, never from an error
 * message: every envelope the host prints carries `contract_version`, also the USAGE_ERROR it
 * answers an unknown verb with. So `decisions` and `decide` just call their verb, and only a
 * refusal is judged by the version it came with. Asking `contract-version` first would cost
 * every call one more host start-up (~2-3 s) to learn what the refusal says for free.
 */
import type { CallOptions } from '../../host/api.js';
import { contractHasDecisions, MIN_DECISIONS_CONTRACT } from '../../host/capabilities.js';
import type { HostClient } from '../../host/client.js';
import { isHostError } from '../../host/error-base.js';
import type { OpenDecision } from '../../host/schemas.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';

/**
 * The contract version of a host that refused a decision verb because it has none, else null
 * (a host that has them and failed for another reason, or no envelope at all).
 */
export function decisionsMissingOn(error: unknown): string | null {
  if (!isHostError(error)) return null;
  const version = (error as { contractVersion?: unknown }).contractVersion;
  return typeof version === 'string' && !contractHasDecisions(version) ? version : null;
}

/**
 * `decisions` / `decide` on a host without design decisions: one line naming both versions.
 * Exit 4 (environment: the installed spec-kitty is too old for this), as for a host too old
 * for the orchestrator itself.
 */
export function noDecisionsError(contractVersion: string, cause: unknown): CliError {
  return new CliError(
    `this spec-kitty host has no design decisions: its orchestrator-api contract is ${contractVersion}, decisions need >= ${MIN_DECISIONS_CONTRACT} (spec-kitty-cli 3.2.7 or newer)`,
    EXIT.environment,
    undefined,
    { cause },
  );
}

/**
 * For display only (`status`, the live view, a stalled run's summary): the open decisions, or
 * null when the host has none to give (contract < 1.4) or failed to answer; the caller then
 * shows nothing, as a run does not depend on them.
 */
export async function readOpenDecisions(
  host: HostClient,
  mission: string,
  options?: CallOptions,
): Promise<OpenDecision[] | null> {
  try {
    return (await host.designStatus({ mission }, options)).open_decisions;
  } catch {
    return null;
  }
}
