/**
 * Gemini CLI (checked against 0.61.0). Headless mode starts when stdin is not a TTY or `-p` is
 * given, and piped stdin is the prompt; `--output-format json` prints one object
 * `{session_id, response, stats}` on stdout, or `{session_id, error: {type, message, code}}` on
 * stderr when the run fails, with per-model token counts under `stats.models.<name>.tokens`.
 * `--skip-trust` on every run: since 0.41 a headless run in a folder the user never trusted (every
 * fresh worktree) exits 55 (FatalUntrustedWorkspaceError); the flag trusts it for this session only
 * (it sets GEMINI_CLI_TRUST_WORKSPACE=true in the CLI's own process).
 * Implementation runs with `--approval-mode yolo`: every tool approved (what `--yolo` does; that
 * spelling is banned from the host's policy record, where every widening flag we pass is listed).
 * Review runs with `--approval-mode plan`, the CLI's read-only mode: write and shell tools are off.
 * No turn-cap flag: the cap (`model.maxSessionTurns`, exit 53) is a settings.json key only.
 * Exit codes are classified in parse/failure.ts.
 */
import { errorMessage } from '../parse/errors.js';
import { bounded, firstNumber, pick, pickRecord, pickString } from '../parse/fields.js';
import { isRecord, lastJsonObject } from '../parse/json.js';
import { addUsage, compactUsage } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

function statsUsage(stats: unknown): AgentUsage | undefined {
  let usage: AgentUsage | undefined;
  const models = pickRecord(stats, 'models');
  if (models) {
    for (const model of Object.values(models)) {
      const tokens = pick(model, 'tokens');
      usage = addUsage(
        usage,
        compactUsage({
          inputTokens: firstNumber(tokens, ['prompt', 'input']),
          outputTokens: firstNumber(tokens, ['candidates', 'output']),
        }),
      );
    }
  }
  return (
    usage ??
    compactUsage({
      inputTokens: firstNumber(stats, ['inputTokens', 'promptTokens']),
      outputTokens: firstNumber(stats, ['outputTokens', 'candidatesTokens']),
    })
  );
}

const ANSI_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * A fatal error raised before the JSON formatter exists (the untrusted-folder refusal, exit 55)
 * is printed as plain text, last on stderr, with no error word a generic filter would catch.
 */
function lastStderrLine(stderr: string): string[] {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI_SEQUENCE, '').trim())
    .filter((line) => line !== '');
  const last = lines.at(-1);
  return last ? [bounded(last, 500)] : [];
}

export function readGeminiOutput(stdout: string, stderr: string): OutputReading {
  // The JSON error object lands on stderr when the run fails, on stdout only the answer.
  const record = lastJsonObject(stdout) ?? lastJsonObject(stderr);
  if (!record) return { errors: lastStderrLine(stderr), resultText: stdout };
  const errors: string[] = [];
  const error = record.error;
  const message = errorMessage(error);
  if (message) errors.push(message);
  const reading: OutputReading = { errors, reportedFailure: isRecord(error) || typeof error === 'string' };
  const response = pickString(record, 'response');
  if (response !== undefined) reading.resultText = response;
  const usage = statsUsage(record.stats);
  if (usage) reading.usage = usage;
  return reading;
}

export const geminiAdapter = defineAdapter({
  id: 'gemini',
  displayName: 'Gemini CLI',
  binary: 'gemini',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) => [
    '--output-format',
    'json',
    '--skip-trust',
    ...(role === 'implementation' ? ['--approval-mode', 'yolo'] : ['--approval-mode', 'plan']),
  ],
  modelArgs: (model) => ['--model', model],
  helpCommands: [['--help']],
  read: readGeminiOutput,
});
