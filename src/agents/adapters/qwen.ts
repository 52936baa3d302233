/**
 * Qwen Code (a Gemini CLI fork), checked against 0.24.4. Docs
 * (qwenlm.github.io/qwen-code-docs/en/users/features/headless): piped stdin is the prompt
 * (headless mode starts without a TTY); `--output-format json` prints ONE JSON ARRAY of messages,
 * buffered to the end: system `init`, `assistant` / `user` messages, and a final
 * `{type:"result", subtype, is_error, result, usage}` (`error:{message}` instead of `result` on a
 * failure, e.g. `[API Error: 401 ...]`). `--approval-mode yolo` approves every tool (the same as `--yolo`, which the host bans from the policy record). Review uses
 * `--approval-mode default`: headless, 0.24.4 does not even offer the edit, write and shell tools
 * in that mode (measured), so the reviewer cannot write.
 * Cost: Qwen Code prices nothing. 0.24.4 prints no cost key; earlier versions printed
 * `total_cost_usd: 0` as a placeholder, so a zero cost is read as unknown, not as free.
 * Rate limits: Qwen retries a 429 itself (10 times from 60 s, settings
 * `model.generationConfig.maxRetries` / `retryInitialDelayMs`), so a rate-limited run usually
 * ends in our timeout unless the user lowers those.
 */
import { pickArray, pickString } from '../parse/fields.js';
import { isRecord, type JsonRecord, jsonLines, parseJsonDocument } from '../parse/json.js';
import { compactUsage } from '../parse/usage.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';
import { readResultRecord } from './result-object.js';

function assistantText(message: JsonRecord): string | undefined {
  const texts = pickArray(message, 'message.content')
    .map((block) => (pickString(block, 'type') === 'text' ? pickString(block, 'text') : undefined))
    .filter((text): text is string => text !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

export function readQwenOutput(stdout: string): OutputReading {
  const document = parseJsonDocument(stdout);
  // The documented array; stream-json (one message per line) is read the same way.
  const messages = Array.isArray(document)
    ? document.filter(isRecord)
    : isRecord(document)
      ? [document]
      : jsonLines(stdout);
  if (messages.length === 0) return { errors: [], resultText: stdout };
  const result = [...messages].reverse().find((m) => pickString(m, 'type') === 'result');
  const lastAssistant = [...messages].reverse().find((m) => pickString(m, 'type') === 'assistant');
  const reading: OutputReading = result ? readResultRecord(result) : { errors: [] };
  if (reading.usage?.costUsd === 0) {
    const known = compactUsage({
      inputTokens: reading.usage.inputTokens,
      outputTokens: reading.usage.outputTokens,
    });
    if (known) reading.usage = known;
    else delete reading.usage;
  }
  if (reading.resultText === undefined && lastAssistant) {
    const text = assistantText(lastAssistant);
    if (text !== undefined) reading.resultText = text;
  }
  return reading;
}

export const qwenAdapter = defineAdapter({
  id: 'qwen',
  displayName: 'Qwen Code',
  binary: 'qwen',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['--output-format', 'json', '--approval-mode', 'yolo']
      : ['--output-format', 'json', '--approval-mode', 'default'],
  modelArgs: (model) => ['--model', model],
  maxTurnsArgs: (turns) => ['--max-session-turns', String(turns)],
  read: (stdout) => readQwenOutput(stdout),
});
