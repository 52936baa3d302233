/**
 * GitHub Copilot CLI. The reference ran `gh copilot suggest`, which only suggests shell commands
 * and cannot edit code; the agent is the standalone `copilot` binary. Docs
 * (docs.github.com/en/copilot/reference/copilot-cli-reference/cli-programmatic-reference):
 * `-p PROMPT` runs one prompt non-interactively (the prompt is that option's value),
 * `--allow-all-tools` / `--allow-tool` / `--deny-tool` set permissions, `--no-ask-user` stops it
 * from waiting for input. `--output-format json` (JSONL session events such as
 * `assistant.message {data:{content, outputTokens}}`) is from the CLI's help as reported by
 * integrators; where it is absent, the plain text answer is still read.
 * Review: only read-only git shell commands are allowed and the write tool is denied.
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
  promptVia: 'argument',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role, prompt) =>
    role === 'implementation'
      ? ['-p', prompt, '--allow-all-tools', '--no-ask-user', '--output-format', 'json']
      : ['-p', prompt, ...REVIEW_PERMISSIONS, '--no-ask-user', '--output-format', 'json'],
  read: (stdout) => readCopilotEvents(stdout),
});
