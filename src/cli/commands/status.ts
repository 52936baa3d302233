/**
 * `status`: what the last orchestration run in this repository did and is doing, from its
 * run-state file, with lanes from the host when it answers (else the snapshot's, marked).
 */
import { defineCommand } from 'citty';
import { displayPath, readLock, readRunState, runStatePath } from '../../actors/persistence/index.js';
import { HostClient } from '../../host/client.js';
import { createExecTransport } from '../../host/exec-transport.js';
import type { Lane } from '../../host/lanes.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { renderOpenDecisions } from '../output/decisions.js';
import { colorEnabled } from '../output/format.js';
import { renderRunStatus, summarizeRunState } from '../output/status-view.js';
import { readOpenDecisions } from '../runtime/open-decisions.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { jsonArg, repoRootArg } from './shared-args.js';

/** A status read should never wait long on the host: its lanes are a bonus, not the point. */
const HOST_TIMEOUT_MS = 30_000;

function statusHost(repoRoot: string): HostClient {
  return new HostClient(createExecTransport({ repoRoot, timeoutMs: HOST_TIMEOUT_MS }), { readRetries: 0 });
}

async function readHostLanes(
  host: HostClient,
  mission: string,
): Promise<{ lanes?: Record<string, Lane>; note: string | null }> {
  try {
    const state = await host.missionState({ mission });
    return { lanes: Object.fromEntries(state.work_packages.map((wp) => [wp.wp_id, wp.lane])), note: null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    return {
      note: `the host's mission-state could not be read (${typeof code === 'string' ? `${code}: ` : ''}${message})`,
    };
  }
}

export default defineCommand({
  meta: {
    name: 'status',
    description: 'Show the recorded orchestration run: its WPs, agents, attempts, errors and logs',
  },
  args: {
    ...repoRootArg,
    ...jsonArg,
  },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const read = await readRunState(repoRoot);
    if (read.kind === 'missing') {
      if (args.json) {
        process.stdout.write(`${JSON.stringify({ run: null, repoRoot })}\n`);
      } else {
        process.stdout.write(`no orchestration run recorded in ${repoRoot}\n`);
      }
      return EXIT.ok;
    }
    if (read.kind === 'invalid') {
      throw new CliError(read.error.message, EXIT.usage, undefined, { cause: read.error });
    }
    const { state } = read;
    const client = statusHost(repoRoot);
    // The host's reads at once: each is a Python start-up. A host without design decisions
    // (contract < 1.4) refuses design-status: readOpenDecisions gives null, and status shows none.
    const [lock, host, decisions] = await Promise.all([
      readLock(repoRoot),
      readHostLanes(client, state.mission),
      readOpenDecisions(client, state.mission),
    ]);
    const view = summarizeRunState(state, {
      lock,
      now: Date.now(),
      ...(host.lanes ? { hostLanes: host.lanes } : {}),
      hostNote: host.note,
    });
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ run: view, openDecisions: decisions, stateFile: runStatePath(repoRoot) })}\n`,
      );
    } else {
      process.stdout.write(
        renderRunStatus(view, {
          color: colorEnabled(process.stdout),
          width: (process.stdout.columns ?? 120) - 4,
        }),
      );
      const waiting = renderOpenDecisions(state.mission, decisions ?? []);
      if (waiting.length > 0) process.stdout.write(`\n${waiting.join('\n')}\n`);
      process.stdout.write(`\n(run state: ${displayPath(runStatePath(repoRoot))})\n`);
    }
    return EXIT.ok;
  },
});
