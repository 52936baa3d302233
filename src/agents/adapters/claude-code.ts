/**
 * Claude Code. Docs (code.claude.com/docs/en/headless, "Run Claude Code programmatically"):
 * `claude -p` reads the prompt from stdin when none is given; `--output-format json` prints one
 * result object `{type:"result", subtype, is_error, result, total_cost_usd, usage:{input_tokens,
 * output_tokens}}` (`total_cost_usd` replaced the older `cost_usd`).
 * Implementation keeps the reference flags. Review is read-only: no
 * --dangerously-skip-permissions, so in -p mode any tool outside --allowedTools is denied; Bash is
 * allowed only for read-only git subcommands, and the write tools are disallowed outright.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const IMPLEMENTATION_TOOLS = 'Read,Write,Edit,MultiEdit,Bash,Glob,Grep,TodoWrite';
export const REVIEW_TOOLS =
  'Read,Glob,Grep,Bash(git diff:*),Bash(git log:*),Bash(git show:*),Bash(git status:*)';
export const REVIEW_DENIED_TOOLS = 'Write,Edit,MultiEdit,NotebookEdit';

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
          '--dangerously-skip-permissions',
          '--allowedTools',
          IMPLEMENTATION_TOOLS,
        ]
      : [
          '-p',
          '--output-format',
          'json',
          '--allowedTools',
          REVIEW_TOOLS,
          '--disallowedTools',
          REVIEW_DENIED_TOOLS,
        ],
  read: (stdout) => readResultObjectOutput(stdout),
});
