/**
 * The Codex adapter's own decisions, beyond the shared argv/parsing tables: the status folder it
 * opens in the sandbox, its settings flags, and how it tells Codex's retry notices (`error`
 * events that say "Reconnecting...") from a failed run. Event shapes are codex-cli 0.171.0's
 * (as 0.169.0's).
 */
import { describe, expect, it } from 'vitest';
import { readCodexEvents } from '../../src/agents/adapters/codex.js';
import { AGENTS } from '../../src/agents/registry.js';
import { jsonl, outcome } from './outcome.js';

const codex = AGENTS.codex;
const URL_401 = 'unexpected status 401 Unauthorized: invalid x-api-key, url: http://127.0.0.1:1/v1/responses';
const reconnect = (n: number, why: string) => ({ type: 'error', message: `Reconnecting... ${n}/5 (${why})` });

describe('codex invocation', () => {
  it("lets the implementer write the mission's status folder and the host's status lock, and no more", () => {
    const invocation = codex.buildInvocation({
      role: 'implementation',
      prompt: 'p',
      workspace: '/repo/.worktrees/001-m-lane-a',
      repoRoot: '/repo',
      mission: '001-m',
      // As the host lays it out (derived from its prompt_path by the WP actors).
      missionDir: '/repo/kitty-specs/001-m',
      timeoutSeconds: 60,
    });
    expect(invocation.args).toEqual([
      'exec',
      '--json',
      '-c',
      'allow_login_shell=false',
      '--sandbox',
      'workspace-write',
      '--add-dir',
      '/repo/kitty-specs/001-m',
      '--add-dir',
      '/repo/.git/spec-kitty-locks',
      '-',
    ]);
    expect(invocation.stdinPrompt).toBe('p');
  });

  it('keeps the reviewer read-only even when the status folder is known', () => {
    const invocation = codex.buildInvocation({
      role: 'review',
      prompt: 'p',
      workspace: '/w',
      repoRoot: '/repo',
      mission: '001-m',
      // As the host lays it out (derived from its prompt_path by the WP actors).
      missionDir: '/repo/kitty-specs/001-m',
      timeoutSeconds: 60,
    });
    expect(invocation.args).not.toContain('--add-dir');
    expect(invocation.args).toContain('read-only');
  });

  it('passes the model with -m, has no turn cap, and checks its flags in `exec --help`', () => {
    const invocation = codex.buildInvocation({
      role: 'review',
      prompt: 'p',
      workspace: '/w',
      timeoutSeconds: 60,
      settings: { model: 'gpt-x', reviewModel: 'gpt-review', maxTurns: 7, extraArgs: ['--ephemeral'] },
    });
    expect(invocation.args.slice(-3)).toEqual(['-m', 'gpt-review', '--ephemeral']);
    expect(invocation.args).not.toContain('7');
    expect(codex.supportsModel).toBe(true);
    expect(codex.supportsMaxTurns).toBe(false);
    expect(codex.helpCommands).toEqual([['exec', '--help']]);
  });
});

describe('codex events', () => {
  it('a run that reconnected and then completed succeeds, the retries kept as warnings', () => {
    const result = codex.parseOutcome(
      outcome({
        stdoutTail: jsonl(
          { type: 'thread.started', thread_id: 't' },
          { type: 'turn.started' },
          reconnect(1, 'stream disconnected before completion'),
          {
            type: 'item.completed',
            item: { id: 'item_2', type: 'agent_message', text: 'VERDICT: approved' },
          },
          {
            type: 'turn.completed',
            usage: {
              input_tokens: 2100,
              cached_input_tokens: 0,
              cache_write_input_tokens: 0,
              output_tokens: 90,
            },
          },
        ),
      }),
      'review',
    );
    expect(result.success).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings.some((warning) => warning.startsWith('Reconnecting... 1/5'))).toBe(true);
    expect(result.usage).toEqual({ inputTokens: 2100, outputTokens: 90 });
    expect(result.verdict).toMatchObject({ verdict: 'approved', decidedBy: 'output' });
  });

  it('five reconnects on 401 then turn.failed is an auth failure whose errors are the final ones', () => {
    const result = codex.parseOutcome(
      outcome({
        exitCode: 1,
        stdoutTail: jsonl(
          { type: 'turn.started' },
          ...[1, 2, 3, 4, 5].map((n) => reconnect(n, URL_401)),
          { type: 'error', message: URL_401 },
          { type: 'turn.failed', error: { message: URL_401 } },
        ),
      }),
      'implementation',
    );
    expect(result.success).toBe(false);
    expect(result.failureKind).toBe('auth');
    expect(result.errors).toEqual([URL_401]);
  });

  it('turn.failed fails the run even when Codex exits 0', () => {
    const reading = readCodexEvents(
      jsonl({
        type: 'turn.failed',
        error: { message: 'exceeded retry limit, last status: 429 Too Many Requests' },
      }),
    );
    expect(reading.reportedFailure).toBe(true);
    const result = codex.parseOutcome(
      outcome({
        stdoutTail: jsonl({
          type: 'turn.failed',
          error: { message: 'exceeded retry limit, last status: 429' },
        }),
      }),
      'implementation',
    );
    expect(result.success).toBe(false);
    expect(result.failureKind).toBe('rate_limit');
  });

  it('an error with no completed turn is a failure; an error before a completed turn is not', () => {
    expect(readCodexEvents(jsonl({ type: 'error', message: 'stream error' })).reportedFailure).toBe(true);
    const recovered = readCodexEvents(
      jsonl(
        { type: 'error', message: 'stream error' },
        { type: 'turn.completed', usage: { input_tokens: 1, output_tokens: 1 } },
      ),
    );
    expect(recovered.reportedFailure).toBe(false);
    expect(recovered.errors).toEqual([]);
    expect(recovered.warnings).toEqual(['stream error']);
  });

  it('error items (model metadata fallback, config notices) are warnings', () => {
    const reading = readCodexEvents(
      jsonl(
        {
          type: 'item.completed',
          item: { id: 'item_0', type: 'error', message: 'Model metadata for `m` not found.' },
        },
        { type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: 'done' } },
        { type: 'turn.completed', usage: { input_tokens: 5, output_tokens: 2 } },
      ),
    );
    expect(reading.reportedFailure).toBe(false);
    expect(reading.warnings).toEqual(['Model metadata for `m` not found.']);
    expect(reading.resultText).toBe('done');
  });

  it('a refusal to start printed as plain text becomes the error', () => {
    const result = codex.parseOutcome(
      outcome({
        exitCode: 1,
        stdoutTail: 'Not inside a trusted directory and --skip-git-repo-check was not specified.\n',
      }),
      'implementation',
    );
    expect(result.success).toBe(false);
    expect(result.errors).toEqual([
      'Not inside a trusted directory and --skip-git-repo-check was not specified.',
    ]);
  });
});
