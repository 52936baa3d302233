/**
 * Kilo Code CLI, 0.x (`kilocode`). Reference flags kept: `-a/--auto` autonomous (non-interactive)
 * mode, `--yolo` auto-approves tools, `-j/--json` prints messages as JSON lines (requires --auto),
 * prompt as the last argument. Source for those flags: the CLI's own option table (Kilo-Org/kilocode
 * cli/src/index.ts as described on deepwiki); no official page on the JSON message shape was found,
 * so the reader takes the generic Kilo message shape `{type:"say"|"ask", say|ask, content|text}`:
 * `completion_result` is the answer, `error` / `api_req_failed` are errors.
 * Review runs `--mode ask` without --yolo, so tool approvals fall back to the user's auto-approval
 * settings instead of being forced on (not a hard read-only guarantee).
 * Note: Kilo CLI 1.0 renamed the binary to `kilo` with an opencode-style `kilo run --auto
 * --format json`; supporting it is a separate adapter, not done here.
 */
import { errorsFromRecord } from '../parse/errors.js';
import { firstString, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { addUsage, usageFromRecord } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

export function readKilocodeMessages(stdout: string): OutputReading {
  const messages = jsonLines(stdout);
  if (messages.length === 0) return { errors: [], resultText: stdout };
  const errors: string[] = [];
  let completion: string | undefined;
  let lastText: string | undefined;
  let usage: AgentUsage | undefined;
  for (const message of messages) {
    const kind = pickString(message, 'say') ?? pickString(message, 'ask') ?? pickString(message, 'type');
    const content = firstString(message, ['content', 'text', 'message']);
    if (kind === 'completion_result' && content) completion = content;
    else if (kind === 'text' && content) lastText = content;
    else if (kind === 'error' || kind === 'api_req_failed')
      errors.push(content ?? `kilocode reported ${kind}`);
    errors.push(...errorsFromRecord(message));
    usage = addUsage(usage, usageFromRecord(message));
  }
  const reading: OutputReading = { errors, reportedFailure: errors.length > 0 };
  const answer = completion ?? lastText;
  if (answer !== undefined) reading.resultText = answer;
  if (usage) reading.usage = usage;
  return reading;
}

export const kilocodeAdapter = defineAdapter({
  id: 'kilocode',
  displayName: 'Kilo Code CLI',
  binary: 'kilocode',
  promptVia: 'argument',
  outputFormat: 'jsonl',
  reviewIsReadOnly: false,
  args: (role, prompt) =>
    role === 'implementation'
      ? ['--auto', '--yolo', '--json', prompt]
      : ['--auto', '--json', '--mode', 'ask', prompt],
  read: (stdout) => readKilocodeMessages(stdout),
});
