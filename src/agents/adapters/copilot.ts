/**
 * GitHub Copilot CLI (`copilot`), checked against 1.0.102 (`copilot --help`, `copilot help
 * environment`, `copilot help permissions`). The reference ran `gh copilot suggest`, which only
 * suggests shell commands; the agent is the standalone `copilot` binary.
 * Prompt: piped on stdin (without `-p`, a piped stdin is the prompt of a non-interactive run), so
 * a long WP prompt is no argv limit. `--allow-all-tools` is required for non-interactive edits;
 * `--no-ask-user` stops it from waiting for input; `--output-format json` prints JSONL session
 * events (`assistant.message {data:{content}}`, a closing `result {exitCode, usage}`).
 * Review: only read-only git shell commands are allowed and every file write (`write` kind) is
 * denied; denials win over allows.
 * Model: `--model`. No turn cap flag (`--max-autopilot-continues` only bounds autopilot mode).
 * Auth: COPILOT_GITHUB_TOKEN / GH_TOKEN / GITHUB_TOKEN or a stored `copilot login`; or BYOK:
 * COPILOT_PROVIDER_BASE_URL (+ _TYPE openai|azure|anthropic, _API_KEY, _WIRE_API
 * completions|responses) and COPILOT_OFFLINE=true, which needs no GitHub auth at all.
 * Detection (detect.ts) also accepts `gh` with the copilot extension and then launches
 * `gh copilot <same args>`; that path is unverified against a real gh.
 */
import { errorMessage } from '../parse/errors.js';
import { pick, pickNumber, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { addUsage, compactUsage, usageFromObject } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

const REVIEW_PERMISSIONS = [
  '--allow-tool',
  'shell(git diff)',
  '--allow-tool',
  'shell(git log)',
  '--allow-tool',
  'shell(git show)',
  '--allow-tool',
  'shell(git status)',
  '--deny-tool',
  'write',
];

export function readCopilotEvents(stdout: string): OutputReading {
  const events = jsonLines(stdout);
  if (events.length === 0) return { errors: [], resultText: stdout };
  const errors: string[] = [];
  let resultText: string | undefined;
  let usage: AgentUsage | undefined;
  let failed = false;
  for (const event of events) {
    const type = pickString(event, 'type') ?? '';
    if (type === 'assistant.message') {
      const content = pickString(event, 'data.content');
      if (content && content.trim() !== '') resultText = content;
      usage = addUsage(usage, compactUsage({ outputTokens: pickNumber(event, 'data.outputTokens') }));
    } else if (type === 'result') {
      usage = addUsage(usage, usageFromObject(pick(event, 'usage') ?? pick(event, 'data.usage')));
      const exitCode = pickNumber(event, 'exitCode') ?? pickNumber(event, 'data.exitCode');
      if (exitCode !== undefined && exitCode !== 0) failed = true;
    } else if (type === 'error' || type.endsWith('.error')) {
      failed = true;
      const message = errorMessage(pick(event, 'data')) ?? errorMessage(event);
      if (message) errors.push(message);
    }
  }
  const reading: OutputReading = { errors, reportedFailure: failed };
  if (resultText !== undefined) reading.resultText = resultText;
  if (usage) reading.usage = usage;
  return reading;
}

export const copilotAdapter = defineAdapter({
  id: 'copilot',
  displayName: 'GitHub Copilot CLI',
  binary: 'copilot',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['--allow-all-tools', '--no-ask-user', '--output-format', 'json']
      : [...REVIEW_PERMISSIONS, '--no-ask-user', '--output-format', 'json'],
  modelArgs: (model) => ['--model', model],
  read: (stdout) => readCopilotEvents(stdout),
});
