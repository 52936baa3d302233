/** A config problem, located as precisely as the source allows (file:line:column, key path). */

export interface ConfigIssue {
  /** `agents.implementation[1]`, or the CLI flag (`--impl-agent`) for overrides. */
  keyPath: string | null;
  line: number | null;
  column: number | null;
  /** The problem without the location prefix, e.g. `"claud" is not a known agent (known: …)`. */
  problem: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID' as const;
  /** Absolute path of the config file; null for a bad command-line flag. */
  readonly file: string | null;
  /** Every problem found, in document order; the fields below repeat the first one. */
  readonly issues: ConfigIssue[];
  readonly line: number | null;
  readonly column: number | null;
  readonly keyPath: string | null;

  constructor(
    file: string | null,
    issues: ConfigIssue[],
    displayFile: string | null = file,
    options?: { cause?: unknown },
  ) {
    const lines = issues.map((issue) => formatIssue(displayFile, issue));
    super(lines.join('\n'), options);
    this.file = file;
    this.issues = issues;
    const first = issues[0];
    this.line = first?.line ?? null;
    this.column = first?.column ?? null;
    this.keyPath = first?.keyPath ?? null;
  }

  /** The message for people; with `verbose`, the code and the cause as well. */
  format(verbose = false): string {
    if (!verbose) return this.message;
    const cause = this.cause instanceof Error ? `\n  cause: ${this.cause.message.split('\n')[0]}` : '';
    return `${this.message}\n  code: ${this.code}${cause}`;
  }

  toJSON(): { code: 'CONFIG_INVALID'; message: string; file: string | null; issues: ConfigIssue[] } {
    return { code: this.code, message: this.message, file: this.file, issues: this.issues };
  }
}

function formatIssue(file: string | null, issue: ConfigIssue): string {
  let location = file ?? '';
  if (file !== null && issue.line !== null) {
    location += `:${issue.line}`;
    if (issue.column !== null) location += `:${issue.column}`;
  }
  const parts = [location, issue.keyPath, issue.problem].filter((part) => part !== null && part !== '');
  return parts.join(': ');
}
