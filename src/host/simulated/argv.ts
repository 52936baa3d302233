/**
 * A small click-compatible option parser, so the simulator accepts and refuses exactly the
 * argument shapes the real host does (`--opt value`, `--opt=value`, `--flag`, `--flag/--no-flag`)
 * and words its usage errors the same way.
 */
export type OptionKind = 'value' | 'flag' | 'toggle';

export interface OptionSpec {
  /** Long name without dashes, e.g. `mission`. */
  name: string;
  kind: OptionKind;
  required?: boolean;
}

export interface ParsedArgs {
  values: Map<string, string | boolean>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParseOptions {
  /** Name of a required variadic argument (e.g. `TASK_IDS...`); without it, extra words are refused. */
  variadic?: string;
}

export function parseArgs(
  args: readonly string[],
  specs: readonly OptionSpec[],
  options: ParseOptions = {},
): ParsedArgs {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? '';
    if (onlyPositionals || !word.startsWith('--') || word === '--') {
      if (word === '--' && !onlyPositionals) {
        onlyPositionals = true;
        continue;
      }
      positionals.push(word);
      continue;
    }
    const [rawName = '', inlineValue] = splitOnce(word.slice(2), '=');
    const negated = rawName.startsWith('no-') && byName.get(rawName.slice(3))?.kind === 'toggle';
    const spec = byName.get(negated ? rawName.slice(3) : rawName);
    if (!spec) throw new UsageError(`No such option: --${rawName}`);
    if (spec.kind === 'value') {
      const value = inlineValue ?? args[index + 1];
      if (inlineValue === undefined) index += 1;
      if (value === undefined) throw new UsageError(`Option '--${spec.name}' requires an argument.`);
      values.set(spec.name, value);
    } else {
      if (inlineValue !== undefined) throw new UsageError(`Option '--${rawName}' does not take a value.`);
      values.set(spec.name, !negated);
    }
  }
  if (options.variadic === undefined && positionals.length > 0) {
    throw new UsageError(
      `Got unexpected extra argument${positionals.length > 1 ? 's' : ''} (${positionals.join(' ')})`,
    );
  }
  if (options.variadic !== undefined && positionals.length === 0) {
    throw new UsageError(`Missing argument '${options.variadic}'.`);
  }
  for (const spec of specs) {
    if (spec.required && !values.has(spec.name)) throw new UsageError(`Missing option '--${spec.name}'.`);
  }
  return { values, positionals };
}

export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(parsed: ParsedArgs, name: string): boolean | undefined {
  const value = parsed.values.get(name);
  return typeof value === 'boolean' ? value : undefined;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
