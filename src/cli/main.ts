#!/usr/bin/env node
/**
 * Entry point. citty parses; we own the error handling so every failure is one clear message
 * on stderr with a documented exit code (citty's runMain would exit 1 for everything).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ArgsDef, type CommandDef, defineCommand, renderUsage, runCommand } from 'citty';
import { isCliError } from './cli-error.js';
import { describeUnexpected } from './errors/describe.js';
import { findUnknownFlags } from './errors/unknown-flags.js';
import { EXIT } from './exit-codes.js';
import { logger } from './logger.js';
import { VERSION } from './version.js';

const subCommands = {
  orchestrate: () => import('./commands/orchestrate.js').then((m) => m.default),
  resume: () => import('./commands/resume.js').then((m) => m.default),
  status: () => import('./commands/status.js').then((m) => m.default),
  abort: () => import('./commands/abort.js').then((m) => m.default),
  decisions: () => import('./commands/decisions.js').then((m) => m.default),
  decide: () => import('./commands/decide.js').then((m) => m.default),
  agents: () => import('./commands/agents.js').then((m) => m.default),
  demo: () => import('./commands/demo.js').then((m) => m.default),
} as const;

export const main = defineCommand({
  meta: {
    name: 'spec-kitty-orchestrator',
    version: VERSION,
    description: 'Drive a spec-kitty mission to completion with AI coding agents.',
  },
  subCommands,
});

type AnyCommand = CommandDef<ArgsDef>;

async function resolveCommand(rawArgs: string[]): Promise<{ command: AnyCommand; name?: string }> {
  const name = rawArgs.find((arg) => !arg.startsWith('-'));
  if (name && name in subCommands) {
    const command = (await subCommands[name as keyof typeof subCommands]()) as unknown as AnyCommand;
    return { command, name };
  }
  return { command: main as unknown as AnyCommand };
}

export async function runCli(rawArgs: string[]): Promise<number> {
  const debug = rawArgs.includes('--debug');
  if (debug) logger.level = 4;
  try {
    if (rawArgs.length === 1 && (rawArgs[0] === '--version' || rawArgs[0] === '-v')) {
      process.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    const { command, name } = await resolveCommand(rawArgs);
    if (rawArgs.includes('--help') || rawArgs.includes('-h') || rawArgs.length === 0) {
      process.stdout.write(
        `${await renderUsage(command, name ? (main as unknown as AnyCommand) : undefined)}\n`,
      );
      return rawArgs.length === 0 ? EXIT.usage : EXIT.ok;
    }
    if (!name) {
      logger.error(`unknown command: ${rawArgs.find((arg) => !arg.startsWith('-')) ?? rawArgs.join(' ')}`);
      logger.info(`commands: ${Object.keys(subCommands).join(', ')} (see --help)`);
      return EXIT.usage;
    }
    const commandArgs = rawArgs.slice(rawArgs.indexOf(name) + 1);
    const unknown = await findUnknownFlags(command, commandArgs);
    if (unknown.length > 0) {
      logger.error(`unknown option${unknown.length > 1 ? 's' : ''} for \`${name}\`: ${unknown.join(', ')}`);
      logger.info(`run \`spec-kitty-orchestrator ${name} --help\` for the options`);
      return EXIT.usage;
    }
    // Run the subcommand itself: citty drops a subcommand's return value when run via the parent.
    const { result } = await runCommand(command, { rawArgs: commandArgs });
    return typeof result === 'number' ? result : EXIT.ok;
  } catch (error) {
    if (isCliError(error)) {
      logger.error(error.message);
      if (error.hint) logger.info(error.hint);
      if (debug && error.cause) logger.debug(error.cause);
      return error.exitCode;
    }
    const described = describeUnexpected(error);
    logger.error(described.message);
    if (described.hint) logger.info(described.hint);
    if (debug && error instanceof Error) logger.log(error.stack);
    return described.exitCode;
  }
}

/**
 * Whether this module is the program being run (tests import runCli instead). npm installs the
 * command as a symlink (global bin, `npm link`, node_modules/.bin) and argv[1] is that link, so
 * both sides are compared as real paths.
 */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
