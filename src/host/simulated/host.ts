/**
 * The simulated `spec-kitty` process in a function: takes the words after `spec-kitty` and returns
 * what the real binary would print and its exit code. Both the in-process transport and the
 * executable (cli.ts) call this, so they cannot drift apart.
 */
import { parseArgs, UsageError } from './argv.js';
import { HostCrash, HostFailure } from './commands/context.js';
import { ORCHESTRATOR_COMMANDS } from './commands/index.js';
import { markStatus, type ProcessOutput } from './commands/mark-status.js';
import { makeEnvelope, pythonJsonDumps } from './envelope.js';
import { primaryCheckoutOf } from './git.js';
import { resolveMissionHandle } from './mission-store.js';
import { SIMULATED_HOST_VERSION } from './model.js';

export type { ProcessOutput } from './commands/mark-status.js';

export interface SimulatedHostOptions {
  /** Working directory of the "process" (a lane worktree for agents). */
  cwd: string;
  /** Overrides repository discovery (SPECIFY_REPO_ROOT, then git from cwd). */
  repoRoot?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function runSimulatedHost(
  argv: readonly string[],
  options: SimulatedHostOptions,
): Promise<ProcessOutput> {
  const [first, ...rest] = argv;
  if (first === '--version')
    return { stdout: `spec-kitty-cli version ${SIMULATED_HOST_VERSION}\n`, stderr: '', exitCode: 0 };
  try {
    if (first === 'orchestrator-api') return await runOrchestratorApi(rest, await repoRootFor(options));
    if (first === 'agent' && rest[0] === 'tasks' && rest[1] === 'mark-status') {
      return await markStatus(rest.slice(2), await repoRootFor(options));
    }
  } catch (error) {
    if (error instanceof UsageError) return { stdout: '', stderr: `Error: ${error.message}\n`, exitCode: 2 };
    return crashed(error);
  }
  return {
    stdout: '',
    stderr: `simulated spec-kitty: unsupported command '${argv.join(' ')}' (only orchestrator-api, agent tasks mark-status and --version are simulated)\n`,
    exitCode: 2,
  };
}

async function runOrchestratorApi(args: readonly string[], repoRoot: string): Promise<ProcessOutput> {
  const [name, ...rest] = args;
  const command = name === undefined ? undefined : ORCHESTRATOR_COMMANDS.get(name);
  if (!command) {
    const message = name === undefined ? 'Missing command.' : `No such command '${name}'.`;
    return envelopeOutput(makeEnvelope('unknown', false, { message }, 'USAGE_ERROR'), 2);
  }
  try {
    const parsed = parseArgs(rest, command.options);
    const handle = parsed.values.get('mission');
    if (typeof handle === 'string')
      parsed.values.set('mission', await resolveMissionHandle(repoRoot, handle));
    const data = await command.run(parsed, { repoRoot });
    return envelopeOutput(makeEnvelope(command.name, true, data), 0);
  } catch (error) {
    if (error instanceof UsageError) {
      return envelopeOutput(makeEnvelope('unknown', false, { message: error.message }, 'USAGE_ERROR'), 2);
    }
    if (error instanceof HostFailure) {
      // The message is merged last, as the host does, so it is always present.
      const data = { ...error.data, message: error.message };
      return envelopeOutput(makeEnvelope(command.name, false, data, error.errorCode), 1);
    }
    return crashed(error);
  }
}

function envelopeOutput(envelope: ReturnType<typeof makeEnvelope>, exitCode: number): ProcessOutput {
  return { stdout: `${pythonJsonDumps(envelope)}\n`, stderr: '', exitCode };
}

/** What an uncaught exception looks like from the real host: a traceback, no JSON, exit 1. */
function crashed(error: unknown): ProcessOutput {
  if (error instanceof HostCrash) {
    return {
      stdout: '',
      stderr: `Traceback (most recent call last) [simulated spec-kitty]\n${error.exceptionLine}\n`,
      exitCode: 1,
    };
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return {
    stdout: '',
    stderr: `Traceback (most recent call last) [simulated spec-kitty]\n${detail}\n`,
    exitCode: 1,
  };
}

async function repoRootFor(options: SimulatedHostOptions): Promise<string> {
  if (options.repoRoot) return options.repoRoot;
  const fromEnv = options.env?.SPECIFY_REPO_ROOT;
  if (fromEnv) return fromEnv;
  return (await primaryCheckoutOf(options.cwd)) ?? options.cwd;
}
