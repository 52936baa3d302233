/**
 * Whether an installed agent accepts the flags we would pass it (pure): the flags of both roles'
 * invocations, looked up in the CLI's own help text. A flag the help does not list is what
 * breaks at first contact when a CLI renames or drops it; `agents --check` reports it with the
 * fix before a run starts.
 */
import { AGENTS } from './registry.js';
import type { AgentId, AgentRole, AgentSettings } from './types.js';

export interface FlagsOfRole {
  role: AgentRole;
  flags: string[];
}

/** Option names in an argv: `--x=y` counts as `--x`; a bare `-` (stdin) and values are left out. */
export function optionNames(args: readonly string[]): string[] {
  const names: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-' || arg === '--' || /^-\d/.test(arg)) continue;
    const name = arg.split('=')[0] ?? arg;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The flags both roles would be started with under these settings (launcher prefix left out). */
export function flagsWePass(id: AgentId, settings?: AgentSettings): FlagsOfRole[] {
  const adapter = AGENTS[id];
  return (['implementation', 'review'] as const).map((role) => {
    const invocation = adapter.buildInvocation({
      role,
      prompt: 'flag check',
      workspace: '/workspace',
      repoRoot: '/repo',
      mission: '001-check',
      missionDir: '/repo/mission-folder',
      timeoutSeconds: 60,
      ...(settings ? { settings } : {}),
    });
    return { role, flags: optionNames(invocation.args) };
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether help text lists the flag as an option (not as part of a longer one). */
export function helpListsFlag(help: string, flag: string): boolean {
  const pattern = new RegExp(`(^|[\\s,\\[(|/"'\`])${escapeRegExp(flag)}(?![\\w-])`, 'm');
  return pattern.test(help);
}

export interface FlagCheck {
  role: AgentRole;
  accepted: string[];
  unknown: string[];
}

/** `unlisted`: flags known to be accepted though the help leaves them out (AgentAdapter.unlistedFlags). */
export function checkFlags(
  help: string,
  roles: readonly FlagsOfRole[],
  unlisted: readonly string[] = [],
): FlagCheck[] {
  const accepted = (flag: string) => helpListsFlag(help, flag) || unlisted.includes(flag);
  return roles.map(({ role, flags }) => ({
    role,
    accepted: flags.filter(accepted),
    unknown: flags.filter((flag) => !accepted(flag)),
  }));
}
