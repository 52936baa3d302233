/**
 * Letta Code (`letta`), checked against 0.32.18 (`letta --help` and the bundle's option table).
 * `letta -p` runs headless and reads a piped prompt; `--output-format json` prints one result
 * object `{type:"result", subtype, is_error, result, agent_id, conversation_id,
 * usage:{prompt_tokens, completion_tokens}}`. `--ephemeral` runs a temporary conversation with
 * no agent or memory: a one-shot WP run leaves no agent behind, and no `.letta/settings.local.json`
 * in the worktree (which the lane commit would pick up).
 * Permissions: the default mode is already unrestricted; `--permission-mode unrestricted` says
 * so explicitly for the implementation (not `--yolo`, which means the same but is a flag the host
 * bans from the policy record, where every widening flag we pass is listed). `--permission-mode plan` is gone (0.26+: the valid modes are unrestricted,
 * standard, acceptEdits, strict, and `plan` exits 1 with "Invalid permission mode"), so the review
 * is read-only by `--tools`, an allowlist of the tools the model is offered: Read, Glob, Grep.
 * Model: `--model` (`-m`) takes a handle such as `openai/gpt-5.5`; with `--backend local` (or
 * `letta backend local`) the providers of ~/.letta/lc-local-backend/providers/auth.json are used,
 * whose `base_url` can be any compatible server. No turn cap flag: the timeout bounds a run.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const lettaAdapter = defineAdapter({
  id: 'letta',
  displayName: 'Letta Code',
  binary: 'letta',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['-p', '--output-format', 'json', '--ephemeral', '--permission-mode', 'unrestricted']
      : ['-p', '--output-format', 'json', '--ephemeral', '--tools', 'Read,Glob,Grep'],
  modelArgs: (model) => ['--model', model],
  // Declared in 0.32.18's option table without help text; the real-binary mission test runs both
  // (letta refuses an unknown option with "Unknown option").
  unlistedFlags: ['--permission-mode', '--tools'],
  read: (stdout) => readResultObjectOutput(stdout),
});
