/**
 * OpenAI Codex CLI, checked against codex-cli 0.171.0 (`codex exec --help` and runs against the
 * scripted model server; its source was read at 0.169.0).
 *
 * Flags: `exec` always runs with approval policy "never" (the headless mode has no one to ask: a
 * command the sandbox refuses just fails and the model sees the error), so the old `--full-auto`
 * (gone in 0.169) is replaced by its sandbox half, `--sandbox workspace-write`. That sandbox
 * (bubblewrap + seccomp on Linux; measured working in a root container) lets commands write only
 * the worktree and the temp folders, but the prompt's `spec-kitty agent tasks mark-status` lines
 * write in the PRIMARY checkout (see hostWritableFolders), so exactly those folders are added
 * with `--add-dir`. Review runs in `--sandbox read-only`. No `--skip-git-repo-check`: worktrees are git
 * repositories (a linked worktree is accepted), and outside one Codex refuses with "Not inside a
 * trusted directory", which is a misconfiguration worth seeing. The shell tool runs `bash -lc` by
 * default, and a login shell re-reads /etc/profile, which on Debian replaces PATH: the host's
 * `spec-kitty` (a venv, pipx...) would then not be found; `allow_login_shell=false` keeps the PATH
 * the orchestrator started Codex with. Codex has no cap on turns (only the timeout bounds a run).
 *
 * Output (`--json`): JSONL events thread.started, turn.started, item.started / item.updated /
 * item.completed {item:{type: agent_message | command_execution | file_change | reasoning |
 * mcp_tool_call | web_search | todo_list | error, ...}}, turn.completed {usage:{input_tokens,
 * cached_input_tokens, output_tokens, ...}} (the thread's running total, so the last one counts),
 * turn.failed {error:{message}}, and `error` {message}. An `error` event is not by itself a
 * failure: Codex reports each retry as `Reconnecting... n/5 (...)` on it, and a warning-like
 * notification as well; the run failed when the turn did (turn.failed), or when errors came and no
 * turn completed.
 */
import path from 'node:path';
import { errorMessage } from '../parse/errors.js';
import { pick, pickArray, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { usageFromObject } from '../parse/usage.js';
import type { AgentRole, AgentUsage } from '../types.js';
import { defineAdapter, type InvocationContext, type OutputReading } from './define-adapter.js';

const RECONNECTING = /^Reconnecting\.\.\./;

export function readCodexEvents(stdout: string): OutputReading {
  const errors: string[] = [];
  const warnings: string[] = [];
  const files: string[] = [];
  let resultText: string | undefined;
  let usage: AgentUsage | undefined;
  let turnFailed = false;
  let turnCompleted = false;
  const events = jsonLines(stdout);
  for (const event of events) {
    const type = pickString(event, 'type');
    if (type === 'item.completed') {
      const item = pick(event, 'item');
      const itemType = pickString(item, 'type');
      if (itemType === 'agent_message') resultText = pickString(item, 'text') ?? resultText;
      else if (itemType === 'file_change') {
        for (const change of pickArray(item, 'changes')) {
          const file = pickString(change, 'path');
          if (file) files.push(file);
        }
      } else if (itemType === 'error') {
        const message = errorMessage(item);
        if (message) warnings.push(message);
      }
    } else if (type === 'turn.completed') {
      turnCompleted = true;
      usage = usageFromObject(pick(event, 'usage')) ?? usage;
    } else if (type === 'turn.failed') {
      turnFailed = true;
      const message = errorMessage(pick(event, 'error'));
      if (message) errors.push(message);
    } else if (type === 'error') {
      const message = errorMessage(event);
      if (!message) continue;
      if (RECONNECTING.test(message)) warnings.push(message);
      else errors.push(message);
    }
  }
  const failed = turnFailed || (errors.length > 0 && !turnCompleted);
  const reading: OutputReading = {
    errors: failed ? errors : [],
    warnings: failed ? warnings : [...warnings, ...errors],
    files,
    reportedFailure: failed,
  };
  if (resultText !== undefined) reading.resultText = resultText;
  if (usage) reading.usage = usage;
  // No events at all: Codex refused to start (e.g. "Not inside a trusted directory") and printed
  // plain text; keep it, and its first line as the error unless it is broken JSON (not a message).
  if (resultText === undefined && events.length === 0 && stdout.trim() !== '') {
    reading.resultText = stdout;
    const firstLine = stdout.trim().split('\n')[0] ?? '';
    if (!/^[[{]/.test(firstLine)) reading.errors.push(firstLine);
  }
  return reading;
}

/**
 * What the prompt's mark-status commands write outside the worktree, measured against
 * spec-kitty 3.2.7: the mission's status files in the primary checkout, and the status lock
 * under the git common dir (`<repoRoot>/.git/spec-kitty-locks/`, created by the host's own
 * earlier lane changes). Without the lock folder mark-status fails with "Read-only file system".
 */
function hostWritableFolders(context: InvocationContext): string[] {
  if (!context.repoRoot || !context.missionDir) return [];
  return [context.missionDir, path.join(context.repoRoot, '.git', 'spec-kitty-locks')];
}

/**
 * Inside the orchestrator's sandbox Codex's own cannot start: its bubblewrap needs a user
 * namespace and a fresh /proc, which a confined process (capabilities dropped) may not make
 * (measured: "setting up uid map: Operation not permitted"), so every command it ran failed.
 * There Codex runs `--sandbox danger-full-access` and ours confines it: the worktree writable for
 * the implementer and read-only for the reviewer, the rest read-only (recorded as a widening flag).
 */
function codexArgs(role: AgentRole, context: InvocationContext): string[] {
  const common = ['exec', '--json', '-c', 'allow_login_shell=false'];
  if (context.confined) return [...common, '--sandbox', 'danger-full-access', '-'];
  if (role === 'review') return [...common, '--sandbox', 'read-only', '-'];
  const extra = hostWritableFolders(context).flatMap((folder) => ['--add-dir', folder]);
  return [...common, '--sandbox', 'workspace-write', ...extra, '-'];
}

export const codexAdapter = defineAdapter({
  id: 'codex',
  displayName: 'Codex CLI',
  binary: 'codex',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  // `-` (the prompt from stdin) comes before the settings flags; clap reads options after it.
  args: (role, _prompt, context) => codexArgs(role, context),
  modelArgs: (model) => ['-m', model],
  helpCommands: [['exec', '--help']],
  read: (stdout) => readCodexEvents(stdout),
});
