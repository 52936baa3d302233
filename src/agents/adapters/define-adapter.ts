/**
 * What every adapter shares: argv assembly around the agent-specific flags, and turning a
 * finished process into an AgentResult around the agent-specific output reader. An adapter file
 * then only states its binary, flags per role, and how to read its output format.
 */
import { AgentInvocationError } from '../errors.js';
import { errorsFromRecord, stderrErrorLines } from '../parse/errors.js';
import { classifyFailure } from '../parse/failure.js';
import { bounded, uniqueStrings } from '../parse/fields.js';
import type {
  AgentAdapter,
  AgentId,
  AgentInvocation,
  AgentOutputFormat,
  AgentResult,
  AgentRole,
  AgentSettings,
  AgentUsage,
  InvocationRequest,
  ProcessOutcome,
} from '../types.js';
import { parseReviewVerdict } from '../verdict.js';

/** What an adapter's reader found in the output. */
export interface OutputReading {
  /** The final answer text, where the verdict is searched first. */
  resultText?: string;
  errors: string[];
  warnings?: string[];
  files?: string[];
  commits?: string[];
  usage?: AgentUsage;
  /** The output itself says the run failed (e.g. `is_error: true`), whatever the exit code. */
  reportedFailure?: boolean;
}

/** What an adapter may use besides the role when it builds its flags. */
export interface InvocationContext {
  workspace: string;
  repoRoot?: string;
  mission?: string;
  /** See InvocationRequest.missionDir. */
  missionDir?: string;
  /** See InvocationRequest.confined. */
  confined?: boolean;
}

export interface AdapterSpec {
  id: AgentId;
  displayName: string;
  binary: string;
  /** Other names of the same CLI that detection tries after `binary`, in order. */
  altBinaries?: readonly string[];
  promptVia: 'stdin' | 'argument';
  outputFormat: AgentOutputFormat;
  reviewIsReadOnly: boolean;
  /**
   * Flags for the role. `prompt` is already guarded and is only to be placed when promptVia is
   * 'argument' and the spec has no `promptArgs` (then the prompt's place is the adapter's choice,
   * and the user's extra args come after it).
   */
  args(role: AgentRole, prompt: string, context: InvocationContext): string[];
  /** Where an argument prompt goes: appended after every other flag (extra args included). */
  promptArgs?(prompt: string): string[];
  /** The CLI's flag for the model; absent when the CLI has none (then `model` is refused by config checks). */
  modelArgs?(model: string): string[];
  /** The CLI's cap on agentic turns; absent when it has none (the timeout still bounds the run). */
  maxTurnsArgs?(turns: number): string[];
  /**
   * Commands (after the launcher) whose output lists the flags we pass, for `agents --check`:
   * e.g. `[['exec', '--help']]` for codex. Defaults to `[['--help']]`.
   */
  helpCommands?: readonly (readonly string[])[];
  /**
   * Flags the CLI accepts but its help does not list (declared without help text in its option
   * table). Each must be proven by a real-binary test of the pinned version; `agents --check`
   * then counts them as accepted instead of reporting them.
   */
  unlistedFlags?: readonly string[];
  read(stdout: string, stderr: string): OutputReading;
  env?: Record<string, string>;
}

/**
 * Linux refuses a single argv string over 128 KiB (MAX_ARG_STRLEN) with E2BIG; fail early with a
 * message instead, a little below the limit to leave room for multi-byte characters' encoding.
 */
export const MAX_ARGUMENT_PROMPT_BYTES = 120 * 1024;

const MAX_RESULT_TEXT_CHARS = 16_000;

/**
 * A prompt passed as an argument that starts with '-' (every WP prompt starts with its `---`
 * frontmatter) would be read as an option by the agent's argument parser; a leading newline
 * makes it a plain value and means nothing to the model.
 */
export function guardArgumentPrompt(prompt: string): string {
  return prompt.startsWith('-') ? `\n${prompt}` : prompt;
}

export function defineAdapter(spec: AdapterSpec): AgentAdapter {
  return {
    id: spec.id,
    displayName: spec.displayName,
    binary: spec.binary,
    ...(spec.altBinaries ? { altBinaries: spec.altBinaries } : {}),
    promptVia: spec.promptVia,
    outputFormat: spec.outputFormat,
    reviewIsReadOnly: spec.reviewIsReadOnly,
    ...(spec.modelArgs ? { supportsModel: true } : { supportsModel: false }),
    ...(spec.maxTurnsArgs ? { supportsMaxTurns: true } : { supportsMaxTurns: false }),
    helpCommands: spec.helpCommands ?? [['--help']],
    unlistedFlags: spec.unlistedFlags ?? [],
    buildInvocation: (request) => buildInvocation(spec, request),
    parseOutcome: (outcome, role) => interpretOutcome(spec, outcome, role),
  };
}

function buildInvocation(spec: AdapterSpec, request: InvocationRequest): AgentInvocation {
  const launcher = request.launcher && request.launcher.length > 0 ? request.launcher : [spec.binary];
  const [file, ...launcherArgs] = launcher as [string, ...string[]];
  const context: InvocationContext = {
    workspace: request.workspace,
    ...(request.repoRoot ? { repoRoot: request.repoRoot } : {}),
    ...(request.mission ? { mission: request.mission } : {}),
    ...(request.missionDir ? { missionDir: request.missionDir } : {}),
    ...(request.confined ? { confined: true } : {}),
  };
  const settingsArgs = settingsFlags(spec, request);
  const env = envOf(spec, request.settings);
  if (spec.promptVia === 'argument') {
    const prompt = guardArgumentPrompt(request.prompt);
    const bytes = Buffer.byteLength(prompt, 'utf8');
    if (bytes > MAX_ARGUMENT_PROMPT_BYTES) {
      throw new AgentInvocationError(
        spec.id,
        `${spec.displayName} takes its prompt as a command-line argument, and this prompt is ${bytes} bytes ` +
          `(the limit is ${MAX_ARGUMENT_PROMPT_BYTES}). Shorten the work package prompt or use an agent that reads stdin.`,
      );
    }
    const flags = spec.args(request.role, spec.promptArgs ? '' : prompt, context);
    const tail = spec.promptArgs ? spec.promptArgs(prompt) : [];
    return { file, args: [...launcherArgs, ...flags, ...settingsArgs, ...tail], ...env };
  }
  return {
    file,
    args: [...launcherArgs, ...spec.args(request.role, '', context), ...settingsArgs],
    stdinPrompt: request.prompt,
    ...env,
  };
}

/** Model, turn cap and the user's extra args, in that order (the user's words come last, so they win). */
function settingsFlags(spec: AdapterSpec, request: InvocationRequest): string[] {
  const settings = request.settings;
  if (!settings) return [];
  const model = request.role === 'review' ? (settings.reviewModel ?? settings.model) : settings.model;
  const flags: string[] = [];
  if (model !== undefined && spec.modelArgs) flags.push(...spec.modelArgs(model));
  if (settings.maxTurns !== undefined && spec.maxTurnsArgs)
    flags.push(...spec.maxTurnsArgs(settings.maxTurns));
  flags.push(...(settings.extraArgs ?? []));
  return flags;
}

function envOf(spec: AdapterSpec, settings: AgentSettings | undefined): { env?: Record<string, string> } {
  const merged = { ...(spec.env ?? {}), ...(settings?.env ?? {}) };
  return Object.keys(merged).length > 0 ? { env: merged } : {};
}

/** Never throws: a reader that trips over unexpected output yields an empty reading plus a warning. */
function safeRead(spec: AdapterSpec, outcome: ProcessOutcome): OutputReading {
  try {
    return spec.read(outcome.stdoutTail, outcome.stderrTail);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { errors: [], warnings: [`could not read ${spec.displayName} output: ${message}`] };
  }
}

export function interpretOutcome(spec: AdapterSpec, outcome: ProcessOutcome, role: AgentRole): AgentResult {
  const base = {
    agent: spec.id,
    role,
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    logPath: outcome.logPath,
  };
  if (outcome.spawnFailure) {
    return {
      ...base,
      success: false,
      errors: [outcome.spawnFailure.message],
      warnings: [],
      filesReported: [],
      commitsReported: [],
      failureKind: 'general',
      spawnFailure: outcome.spawnFailure,
    };
  }
  const reading = safeRead(spec, outcome);
  const stderrErrors = stderrErrorLines(outcome.stderrTail);
  const exitedCleanly = outcome.exitCode === 0 && !outcome.timedOut && !outcome.canceled;
  const success = exitedCleanly && !reading.reportedFailure;
  const errors = uniqueStrings(success ? reading.errors : [...reading.errors, ...stderrErrors]);
  const warnings = uniqueStrings([
    ...(reading.warnings ?? []),
    ...(success ? [...reading.errors, ...stderrErrors] : []),
  ]);
  const result: AgentResult = {
    ...base,
    success,
    errors: success ? [] : errors,
    warnings,
    filesReported: uniqueStrings(reading.files ?? []),
    commitsReported: uniqueStrings(reading.commits ?? []),
  };
  if (reading.usage) result.usage = reading.usage;
  if (reading.resultText !== undefined && reading.resultText.trim() !== '') {
    result.resultText = bounded(reading.resultText.trim(), MAX_RESULT_TEXT_CHARS);
  }
  if (!success) {
    if (outcome.canceled && !outcome.timedOut) result.failureKind = 'general';
    else {
      result.failureKind = classifyFailure({
        exitCode: outcome.exitCode,
        timedOut: outcome.timedOut,
        errors: result.errors,
        stderr: outcome.stderrTail,
        agent: spec.id,
      });
    }
    if (result.errors.length === 0) result.errors = [describeExit(spec, outcome)];
  }
  // A verdict needs a reviewer that ran to the end; a timeout or cancel says nothing about the work.
  if (role === 'review' && !outcome.timedOut && !outcome.canceled) {
    result.verdict = parseReviewVerdict({
      resultText: reading.resultText,
      stdout: outcome.stdoutTail,
      exitCode: reading.reportedFailure && outcome.exitCode === 0 ? 1 : outcome.exitCode,
      errors: result.errors,
    });
  }
  return result;
}

function describeExit(spec: AdapterSpec, outcome: ProcessOutcome): string {
  if (outcome.timedOut)
    return `${spec.displayName} timed out after ${Math.round(outcome.durationMs / 1000)} s`;
  if (outcome.canceled) return `${spec.displayName} was canceled`;
  if (outcome.signal) return `${spec.displayName} was killed by ${outcome.signal}`;
  return `${spec.displayName} exited with code ${String(outcome.exitCode)} without an error message`;
}

/** Errors in a JSON result record: its error keys, and its answer text when it flags itself as an error. */
export function resultRecordErrors(
  record: Record<string, unknown>,
  isError: boolean,
  answer?: string,
): string[] {
  const errors = errorsFromRecord(record);
  if (isError && errors.length === 0 && answer) errors.push(bounded(answer, 500));
  return errors;
}
