/**
 * Whether this run's agents are confined, from the config's `sandbox` setting and what the
 * machine supports (probeSandbox). `auto` uses bubblewrap where it works and says once when it
 * does not (how to get it, how to silence it); `required` refuses to start without it (exit 4,
 * with how to install it); `off` runs agents with the user's own rights. The answer decides the
 * policy the host records, so it is made before the first host call.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import type { SandboxSettings } from '../../actors/sandbox/confine-run.js';
import { BWRAP_INSTALL_HINT, probeSandbox, type SandboxProbe } from '../../actors/sandbox/detect-sandbox.js';
import { CliError } from '../cli-error.js';
import { CONFIG_RELATIVE_PATH, type OrchestratorConfig } from '../config/index.js';
import { EXIT } from '../exit-codes.js';

export interface SandboxChoice {
  /** Present when agents run confined. */
  settings?: SandboxSettings;
  /** One line for the user: what confines the agents, or why nothing does. */
  summary: string;
  /** The summary is a warning (auto without a usable bubblewrap). */
  warn: boolean;
}

export async function chooseSandbox(
  config: Pick<OrchestratorConfig, 'sandbox' | 'sandboxWritable'>,
  probe: () => Promise<SandboxProbe> = probeSandbox,
): Promise<SandboxChoice> {
  if (config.sandbox === 'off') {
    return {
      summary: 'sandbox off: agents run with your own rights (sandbox: off in the config)',
      warn: false,
    };
  }
  const found = await probe();
  if (!found.available) {
    if (config.sandbox === 'required') {
      throw new CliError(
        `sandbox: required, but ${found.reason}: ${BWRAP_INSTALL_HINT}, or set sandbox: auto in ${CONFIG_RELATIVE_PATH}`,
        EXIT.environment,
      );
    }
    return {
      summary: `agents run unconfined: ${found.reason}; ${BWRAP_INSTALL_HINT} (or set sandbox: off in ${CONFIG_RELATIVE_PATH} to run unconfined without this warning)`,
      warn: true,
    };
  }
  return {
    settings: { bwrap: found.bwrap, extraWritable: config.sandboxWritable.map(expandHome) },
    summary: `agents run confined by bubblewrap ${found.version}: they write only to their worktree, their own state folders and a private temp folder (${Math.round(found.startMs)} ms per start)`,
    warn: false,
  };
}

function expandHome(place: string): string {
  return place.startsWith('~/') ? path.join(homedir(), place.slice(2)) : place;
}
