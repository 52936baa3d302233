/**
 * Claude Code (checked against 2.1.332). `claude -p` reads the prompt from stdin when none is
 * given; `--output-format json` prints one result object `{type:"result", subtype, is_error,
 * result, total_cost_usd, usage:{input_tokens, output_tokens}}`.
 *
 * No permission bypass: `--dangerously-skip-permissions` (and `bypassPermissions`) is refused
 * when run as root, which CI and containers are. Instead `--tools` restricts which built-in tools
 * exist at all, a permission mode decides edits, and `--allowedTools` pre-approves the rest
 * (in -p mode anything that would ask is denied).
 * - Implementation: acceptEdits (file edits in the working folders need no approval) plus Bash
 *   pre-approved, since the agent must run the prompt's mark-status lines and the tests.
 * - Review: no write tool exists; dontAsk denies every Bash command except the read-only git
 *   rules. Rules use the current `Bash(git diff *)` form (the `:*` suffix is the legacy one).
 * `--max-turns` exists but is hidden from `--help` in this version.
 */
import { lastJsonObject } from '../parse/json.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const IMPLEMENTATION_TOOLS = 'Bash,Read,Write,Edit,Glob,Grep,TodoWrite';
export const REVIEW_TOOLS = 'Bash,Read,Glob,Grep';
export const REVIEW_ALLOWED_RULES = [
  'Read',
  'Glob',
  'Grep',
  'Bash(git diff *)',
  'Bash(git log *)',
  'Bash(git show *)',
  'Bash(git status *)',
].join(',');

export const claudeCodeAdapter = defineAdapter({
  id: 'claude-code',
  displayName: 'Claude Code',
  binary: 'claude',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? [
          '-p',
          '--output-format',
          'json',
          '--permission-mode',
          'acceptEdits',
          '--tools',
          IMPLEMENTATION_TOOLS,
          '--allowedTools',
          'Bash',
        ]
      : [
          '-p',
          '--output-format',
          'json',
          '--permission-mode',
          'dontAsk',
          '--tools',
          REVIEW_TOOLS,
          '--allowedTools',
          REVIEW_ALLOWED_RULES,
        ],
  modelArgs: (model) => ['--model', model],
  maxTurnsArgs: (turns) => ['--max-turns', String(turns)],
  helpCommands: [['--help']],
  // Hidden from 2.1.332's help; the real-agent mission passes it (max_turns in its profile).
  unlistedFlags: ['--max-turns'],
  read: readClaudeOutput,
});

/**
 * The result object, plus its `permission_denials` (`[{tool_name, tool_input}]`) as warnings: a
 * denied tool call does not fail the run, so without them a reviewer's blocked write or an
 * implementer's refused command would leave no trace in the result.
 */
export function readClaudeOutput(stdout: string): OutputReading {
  const reading = readResultObjectOutput(stdout);
  const denials = lastJsonObject(stdout)?.permission_denials;
  if (!Array.isArray(denials) || denials.length === 0) return reading;
  const warnings = denials.map((denial) => {
    const record = typeof denial === 'object' && denial !== null ? (denial as Record<string, unknown>) : {};
    const tool = typeof record.tool_name === 'string' ? record.tool_name : 'a tool';
    const input = record.tool_input as Record<string, unknown> | undefined;
    const command = typeof input?.command === 'string' ? `: ${input.command.slice(0, 200)}` : '';
    return `Claude Code denied ${tool}${command}`;
  });
  return { ...reading, warnings: [...(reading.warnings ?? []), ...warnings] };
}
