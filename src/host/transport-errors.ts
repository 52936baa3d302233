/**
 * Errors raised on OUR side of the host boundary: the process could not run, said nothing, said
 * something that is not the contract, took too long, was canceled, or we refused to call it.
 */
import { HostError, tailOf } from './error-base.js';
import { tracebackReason } from './host-reasons.js';

/** The exception a crashed host printed, as its one-line reason (none when it printed none). */
function reasonsOfCrash(stderr: string): string[] {
  const reason = tracebackReason(stderr);
  return reason ? [reason] : [];
}

export const HOST_INSTALL_HINT =
  'Install the host with `pip install spec-kitty-cli==3.2.7` (Python >= 3.11, ideally in a virtualenv) ' +
  'or set SPEC_KITTY_BIN to the path of its `spec-kitty` executable.';

/** Codes of errors that never come from the host itself. */
export const LOCAL_ERROR_CODES = {
  binaryNotFound: 'HOST_BINARY_NOT_FOUND',
  noOutput: 'HOST_NO_OUTPUT',
  notJson: 'HOST_NOT_JSON',
  envelopeInvalid: 'HOST_ENVELOPE_INVALID',
  outputTooLarge: 'HOST_OUTPUT_TOO_LARGE',
  timeout: 'HOST_TIMEOUT',
  canceled: 'HOST_CANCELED',
  contractTooOld: 'CONTRACT_TOO_OLD',
  contractTooNew: 'CONTRACT_TOO_NEW',
  invalidArgument: 'HOST_INVALID_ARGUMENT',
  policyInvalid: 'POLICY_INVALID',
} as const;

export class HostBinaryNotFoundError extends HostError {
  readonly hostBin: string;
  constructor(hostBin: string, options: { command?: string; cause?: unknown; notExecutable?: boolean } = {}) {
    const what = options.notExecutable
      ? `The host executable '${hostBin}' exists but cannot be run (permission denied).`
      : `The host executable '${hostBin}' was not found.`;
    super(LOCAL_ERROR_CODES.binaryNotFound, what, {
      command: options.command,
      cause: options.cause,
      hint: HOST_INSTALL_HINT,
      data: { hostBin },
    });
    this.hostBin = hostBin;
  }
}

export interface ProcessFacts {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The host exited without printing its JSON envelope (e.g. a Python traceback on stderr). */
export class HostNoOutputError extends HostError {
  readonly exitCode: number | null;
  readonly stderrTail: string;
  constructor(command: string, facts: ProcessFacts) {
    const stderrTail = tailOf(facts.stderr);
    super(
      LOCAL_ERROR_CODES.noOutput,
      `the host printed nothing on stdout (exit code ${facts.exitCode ?? 'none'}).` +
        (stderrTail ? `\nstderr (last lines):\n${stderrTail}\n` : ' stderr was empty too.'),
      {
        command,
        transient: true,
        data: { exitCode: facts.exitCode, stderrTail },
        reasons: reasonsOfCrash(facts.stderr),
        hint: 'This is usually a host crash; the stderr above says why. If it repeats, run the same command by hand with `spec-kitty orchestrator-api <command> --help` to check the arguments.',
      },
    );
    this.exitCode = facts.exitCode;
    this.stderrTail = stderrTail;
  }
}

/** The host printed something, but not one JSON object. */
export class HostNotJsonError extends HostError {
  readonly exitCode: number | null;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  constructor(command: string, facts: ProcessFacts, cause?: unknown) {
    const stdoutTail = tailOf(facts.stdout);
    const stderrTail = tailOf(facts.stderr);
    super(
      LOCAL_ERROR_CODES.notJson,
      `the host's output is not a JSON envelope (exit code ${facts.exitCode ?? 'none'}).\nstdout (last lines):\n${stdoutTail}` +
        (stderrTail ? `\nstderr (last lines):\n${stderrTail}\n` : '\n'),
      {
        command,
        cause,
        transient: true,
        data: { exitCode: facts.exitCode, stdoutTail, stderrTail },
        reasons: reasonsOfCrash(`${facts.stdout}\n${facts.stderr}`),
        hint: 'Check that SPEC_KITTY_BIN points at spec-kitty-cli (>= 3.2.7) and that nothing in its environment writes to stdout.',
      },
    );
    this.exitCode = facts.exitCode;
    this.stdoutTail = stdoutTail;
    this.stderrTail = stderrTail;
  }
}

export interface EnvelopeIssue {
  /** Dotted field path from the envelope root: `data.work_packages[0].lane`. */
  path: string;
  message: string;
}

/** Valid JSON whose shape breaks the contract (missing field, unknown lane, wrong type). */
export class HostEnvelopeInvalidError extends HostError {
  readonly issues: readonly EnvelopeIssue[];
  constructor(command: string, issues: readonly EnvelopeIssue[]) {
    const listed = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
    super(
      LOCAL_ERROR_CODES.envelopeInvalid,
      listed.join('; ') || 'the envelope does not match the contract.',
      {
        command,
        data: { issues },
        hint: 'The host answered outside the orchestrator-api contract this orchestrator knows; check both versions (`spec-kitty orchestrator-api contract-version`).',
      },
    );
    this.issues = issues;
  }
}

export class HostOutputTooLargeError extends HostError {
  constructor(command: string, maxOutputBytes: number) {
    super(
      LOCAL_ERROR_CODES.outputTooLarge,
      `the host printed more than ${maxOutputBytes} bytes; output was cut.`,
      {
        command,
        data: { maxOutputBytes },
        hint: 'Raise maxOutputBytes if this mission is really that large.',
      },
    );
  }
}

export class HostTimeoutError extends HostError {
  readonly timeoutMs: number;
  constructor(command: string, timeoutMs: number, cause?: unknown) {
    super(LOCAL_ERROR_CODES.timeout, `the host did not answer within ${timeoutMs} ms and was stopped.`, {
      command,
      cause,
      transient: true,
      data: { timeoutMs },
      hint: 'The machine may be overloaded, or the host is waiting on a lock held by another process; raise the host timeout or retry.',
    });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted the call (its AbortSignal fired). Never retried. */
export class HostCanceledError extends HostError {
  constructor(command: string, cause?: unknown) {
    super(LOCAL_ERROR_CODES.canceled, 'the host call was canceled before it finished.', { command, cause });
  }
}

export class ContractTooOldError extends HostError {
  readonly hostVersion: string;
  readonly requiredVersion: string;
  constructor(hostVersion: string, requiredVersion: string) {
    super(
      LOCAL_ERROR_CODES.contractTooOld,
      `the host offers orchestrator-api contract ${hostVersion}, but this orchestrator needs >= ${requiredVersion}.`,
      {
        command: 'contract-version',
        data: { hostVersion, requiredVersion },
        hint: `Upgrade spec-kitty: \`pip install --upgrade spec-kitty-cli==3.2.7\` (or newer), or point SPEC_KITTY_BIN at a newer install.`,
      },
    );
    this.hostVersion = hostVersion;
    this.requiredVersion = requiredVersion;
  }
}

/** A new MAJOR contract version may break us: refuse up front rather than misread answers. */
export class ContractTooNewError extends HostError {
  readonly hostVersion: string;
  readonly supportedMajor: number;
  constructor(hostVersion: string, supportedMajor: number) {
    super(
      LOCAL_ERROR_CODES.contractTooNew,
      `the host offers orchestrator-api contract ${hostVersion}; this orchestrator only speaks ${supportedMajor}.x.`,
      {
        command: 'contract-version',
        data: { hostVersion, supportedMajor },
        hint: 'Upgrade spec-kitty-orchestrator, or install a host this version is tested with (spec-kitty-cli 3.2.7 or 4.0.0rc7).',
      },
    );
    this.hostVersion = hostVersion;
    this.supportedMajor = supportedMajor;
  }
}

/** We refused to call the host because an argument is missing or invalid (a caller bug). */
export class HostArgumentError extends HostError {
  readonly field: string;
  constructor(command: string, field: string, problem: string, hint?: string) {
    super(LOCAL_ERROR_CODES.invalidArgument, `invalid argument '${field}': ${problem}`, {
      command,
      data: { field },
      hint,
    });
    this.field = field;
  }
}

/** A policy we refuse to send (the host would refuse it too, as POLICY_VALIDATION_FAILED). */
export class PolicyInvalidError extends HostError {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(LOCAL_ERROR_CODES.policyInvalid, `invalid orchestrator policy field '${field}': ${problem}`, {
      data: { field },
      hint: 'Fix the policy (config file or flags) and run again.',
    });
    this.field = field;
  }
}
