/**
 * Typed failures of the persistence layer. Each carries a stable `code` (callers branch on it,
 * never on the message), the file concerned, and the original `cause`.
 */
import { displayPath } from './paths.js';

export type PersistenceErrorCode = 'STATE_WRITE_FAILED' | 'RUN_STATE_INVALID' | 'LOCK_HELD' | 'LOCK_FAILED';

export abstract class PersistenceError extends Error {
  abstract readonly code: PersistenceErrorCode;
  /** Absolute path of the file the error is about. */
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }

  toJSON(): { code: PersistenceErrorCode; message: string; path: string } {
    return { code: this.code, message: this.message, path: this.path };
  }

  /** The message for people; with `verbose`, the code, the path and the cause as well. */
  format(verbose = false): string {
    if (!verbose) return this.message;
    const lines = [this.message, `  code: ${this.code}`, `  path: ${this.path}`];
    if (this.cause !== undefined) lines.push(`  cause: ${describeCause(this.cause)}`);
    return lines.join('\n');
  }
}

/** Which step of the atomic write failed: tells a user whether the disk, the folder or the data is at fault. */
export type WriteStep =
  | 'serialize'
  | 'mkdir'
  | 'open'
  | 'write'
  | 'fsync'
  | 'rename'
  | 'fsync-dir'
  | 'remove';

export class StateWriteError extends PersistenceError {
  override readonly name = 'StateWriteError';
  readonly code = 'STATE_WRITE_FAILED' as const;
  readonly step: WriteStep;

  constructor(path: string, step: WriteStep, cause: unknown) {
    super(
      step === 'remove'
        ? `could not remove ${displayPath(path)} (${describeCause(cause)})`
        : `could not save ${displayPath(path)} (${step} failed: ${describeCause(cause)}); ` +
            (step === 'fsync-dir'
              ? 'the new copy is in place but may not survive a power cut'
              : 'the previous copy is unchanged'),
      path,
      { cause },
    );
    this.step = step;
  }
}

export class RunStateInvalidError extends PersistenceError {
  override readonly name = 'RunStateInvalidError';
  readonly code = 'RUN_STATE_INVALID' as const;
  /** Dotted paths of the offending fields (empty when the file is not JSON at all). */
  readonly fields: string[];

  constructor(path: string, problem: string, fields: string[], cause?: unknown) {
    super(
      `${displayPath(path)} cannot be used: ${problem}. ` +
        'To discard this run state, run `spec-kitty-orchestrator abort --cleanup-worktrees` ' +
        `(or delete ${displayPath(path)}), then start the mission again.`,
      path,
      { cause },
    );
    this.fields = fields;
  }
}

export interface LockHolder {
  pid: number;
  mission: string;
  runId: string;
  startedAt: string;
  hostname: string;
  /** When the holder's process started, as the OS reports it (absent in older notes). */
  processStart?: string;
}

export class LockHeldError extends PersistenceError {
  override readonly name = 'LockHeldError';
  readonly code = 'LOCK_HELD' as const;
  readonly holder: LockHolder;

  constructor(path: string, holder: LockHolder, sameHost: boolean) {
    const who = sameHost ? `pid ${holder.pid}` : `pid ${holder.pid} on host ${holder.hostname}`;
    super(
      `another orchestrator (${who}) is running mission ${holder.mission} since ${holder.startedAt}; ` +
        'wait for it or run `spec-kitty-orchestrator abort`' +
        (sameHost ? '' : ` (if nothing runs on ${holder.hostname}, delete ${displayPath(path)})`),
      path,
    );
    this.holder = holder;
  }

  override toJSON(): { code: 'LOCK_HELD'; message: string; path: string; holder: LockHolder } {
    return { ...super.toJSON(), code: this.code, holder: this.holder };
  }
}

/** The lock could not be taken or inspected for a reason other than a live holder (I/O, a lost race loop). */
export class LockError extends PersistenceError {
  override readonly name = 'LockError';
  readonly code = 'LOCK_FAILED' as const;

  constructor(path: string, problem: string, cause?: unknown) {
    super(`could not lock ${displayPath(path)}: ${problem}`, path, { cause });
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.startsWith(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
