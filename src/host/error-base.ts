/**
 * The root of every error the host gateway throws. Callers branch on `code` (a stable string:
 * the host's `error_code`, or one of our transport/validation codes), never on message text.
 */

/** Cross-realm brand: `instanceof` fails when two copies of this module are loaded. */
const HOST_ERROR_BRAND = Symbol.for('spec-kitty-orchestrator.host-error');

export interface HostErrorOptions {
  /** The orchestrator-api command being run (`transition`), when known. */
  command?: string | undefined;
  /** Structured details: the host's error payload, or what we observed. JSON-safe. */
  data?: Readonly<Record<string, unknown>> | undefined;
  /** What the user or caller should do about it. Appended to the message. */
  hint?: string | undefined;
  cause?: unknown;
  /** True when repeating the same call may succeed (a transport hiccup, not a refusal). */
  transient?: boolean | undefined;
  /** The host's own reasons, one short line each (host-reasons.ts); for people, never branched on. */
  reasons?: readonly string[] | undefined;
}

export interface HostErrorJson {
  name: string;
  code: string;
  command: string | undefined;
  message: string;
  hint: string | undefined;
  transient: boolean;
  data: Readonly<Record<string, unknown>>;
  cause?: string | undefined;
}

export class HostError extends Error {
  readonly code: string;
  readonly command: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;
  readonly transient: boolean;
  /** What went wrong, without the hint (for compact logs). */
  readonly summary: string;
  /** The host's own reasons (a failed check, a refusal's outstanding items); may be empty. */
  readonly reasons: readonly string[];

  constructor(code: string, summary: string, options: HostErrorOptions = {}) {
    const prefix = options.command ? `${options.command}: ` : '';
    // Summaries may or may not end a sentence; the hint always starts a new one.
    const separator = /[.!?\n]$/.test(summary) ? ' ' : '. ';
    const message = options.hint ? `${prefix}${summary}${separator}${options.hint}` : `${prefix}${summary}`;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.command = options.command;
    this.data = options.data ?? {};
    this.hint = options.hint;
    this.transient = options.transient ?? false;
    this.summary = summary;
    this.reasons = options.reasons ?? [];
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    Object.defineProperty(this, HOST_ERROR_BRAND, { value: true, enumerable: false });
  }

  /** One line for people; with `verbose`, the code, the details and the cause chain too. */
  format(verbose = false): string {
    if (!verbose) return this.message;
    const lines = [`${this.message}`, `  code: ${this.code}`];
    if (this.command) lines.push(`  command: ${this.command}`);
    const detailKeys = Object.keys(this.data);
    if (detailKeys.length > 0) lines.push(`  data: ${safeJson(this.data)}`);
    let cause: unknown = this.cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth += 1) {
      lines.push(
        `  caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      );
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    return lines.join('\n');
  }

  toJSON(): HostErrorJson {
    const json: HostErrorJson = {
      name: this.name,
      code: this.code,
      command: this.command,
      message: this.message,
      hint: this.hint,
      transient: this.transient,
      data: this.data,
    };
    if (this.cause !== undefined) {
      json.cause =
        this.cause instanceof Error ? `${this.cause.name}: ${this.cause.message}` : String(this.cause);
    }
    return json;
  }
}

export function isHostError(value: unknown): value is HostError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[HOST_ERROR_BRAND] === true
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The last lines of a process stream, so errors show what matters without flooding a terminal. */
export function tailOf(text: string, maxLines = 15, maxChars = 2000): string {
  const trimmed = text.trimEnd();
  const lines = trimmed.split('\n');
  let tail = lines.slice(-maxLines).join('\n');
  if (tail.length > maxChars) tail = `…${tail.slice(-maxChars)}`;
  else if (lines.length > maxLines) tail = `…\n${tail}`;
  return tail;
}
