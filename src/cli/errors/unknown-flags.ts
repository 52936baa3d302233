/**
 * citty accepts any `--flag`; a typo like `--max-concurent 3` would then be silently ignored.
 * We refuse flags a command does not declare (and their `--no-` forms for booleans only).
 */
import type { ArgsDef, CommandDef } from 'citty';

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export async function findUnknownFlags(
  command: CommandDef<ArgsDef>,
  rawArgs: readonly string[],
): Promise<string[]> {
  const resolved = typeof command.args === 'function' ? await command.args() : await command.args;
  const defs: ArgsDef = resolved ?? {};
  const known = new Set<string>(['help', 'h', 'debug']);
  for (const [name, def] of Object.entries(defs)) {
    const alias = 'alias' in def ? def.alias : undefined;
    const names = [name, toKebab(name), ...(Array.isArray(alias) ? alias : alias ? [alias] : [])];
    for (const n of names) {
      known.add(n);
      if (def.type === 'boolean') known.add(`no-${n}`);
    }
  }
  const unknown: string[] = [];
  for (const arg of rawArgs) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || /^-\d/.test(arg)) continue;
    const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
    if (!known.has(name)) unknown.push(arg.split('=')[0] ?? arg);
  }
  return unknown;
}
