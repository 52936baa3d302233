/**
 * Gemini CLI. Docs (geminicli.com/docs/cli/headless): headless mode starts when stdin is not a
 * TTY or `-p` is given, and piped stdin is the prompt; `--output-format json` prints one object
 * `{response, stats, error?}` with per-model token counts under `stats.models.<name>.tokens`.
 * The reference's bare `-p` (an option that expects a value) is dropped: the prompt is on stdin.
 * `--yolo` is the reference's and still documented (= `--approval-mode yolo`). Review uses
 * `--approval-mode default`: in non-interactive mode a tool that would ask is denied, so edits and
 * shell commands are refused while read tools run.
 * Exit codes: 41 authentication (classified in parse/failure.ts); the docs list 42 as input error
 * and 53 as turn limit, not rate limit.
 */
import { errorMessage } from '../parse/errors.js';
import { firstNumber, pick, pickRecord, pickString } from '../parse/fields.js';
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

export function readGeminiOutput(stdout: string, stderr: string): OutputReading {
  // The JSON error object may land on stderr when the run fails before a response exists.
  const record = lastJsonObject(stdout) ?? lastJsonObject(stderr);
  if (!record) return { errors: [], resultText: stdout };
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
  args: (role) =>
    role === 'implementation'
      ? ['--output-format', 'json', '--yolo']
      : ['--output-format', 'json', '--approval-mode', 'default'],
  read: readGeminiOutput,
});
