/** Claude Code's adapter: flags without a permission bypass, settings flags, denials as warnings. */
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentRole } from '../../src/agents/types.js';
import { outcome } from './outcome.js';

const adapter = AGENTS['claude-code'];

function argsOf(role: AgentRole, settings = {}): string[] {
  return adapter.buildInvocation({ role, prompt: 'p', workspace: '/w', timeoutSeconds: 60, settings }).args;
}

function valueAfter(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}

describe('claude-code adapter', () => {
  it('passes no permission bypass in either role (refused as root)', () => {
    for (const role of ['implementation', 'review'] as const) {
      const args = argsOf(role);
      expect(args).not.toContain('--dangerously-skip-permissions');
      expect(args).not.toContain('--allow-dangerously-skip-permissions');
      expect(valueAfter(args, '--permission-mode')).not.toBe('bypassPermissions');
    }
  });

  it('lets the implementer edit and run Bash, and gives the reviewer no write tool', () => {
    const implementation = argsOf('implementation');
    expect(valueAfter(implementation, '--permission-mode')).toBe('acceptEdits');
    expect(valueAfter(implementation, '--tools')?.split(',')).toEqual(
      expect.arrayContaining(['Bash', 'Write', 'Edit']),
    );
    expect(valueAfter(implementation, '--allowedTools')).toBe('Bash');

    const review = argsOf('review');
    expect(valueAfter(review, '--permission-mode')).toBe('dontAsk');
    const tools = valueAfter(review, '--tools')?.split(',') ?? [];
    for (const tool of ['Write', 'Edit', 'MultiEdit', 'NotebookEdit']) expect(tools).not.toContain(tool);
    const rules = valueAfter(review, '--allowedTools')?.split(',') ?? [];
    expect(rules).toContain('Bash(git diff *)');
    // Bash is only pre-approved for git's read-only subcommands, in the current rule syntax.
    expect(
      rules
        .filter((rule) => rule.startsWith('Bash'))
        .every((rule) => /^Bash\(git (diff|log|show|status) \*\)$/.test(rule)),
    ).toBe(true);
  });

  it('turns model and max turns into --model and --max-turns, review model for the review role', () => {
    expect(adapter.supportsModel).toBe(true);
    expect(adapter.supportsMaxTurns).toBe(true);
    const settings = { model: 'm-impl', reviewModel: 'm-review', maxTurns: 7, extraArgs: ['--verbose'] };
    expect(argsOf('implementation', settings).slice(-5)).toEqual([
      '--model',
      'm-impl',
      '--max-turns',
      '7',
      '--verbose',
    ]);
    expect(valueAfter(argsOf('review', settings), '--model')).toBe('m-review');
    expect(adapter.helpCommands).toEqual([['--help']]);
  });

  it('reports permission denials as warnings of a successful run', () => {
    const stdout = JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'VERDICT: approved',
      usage: { input_tokens: 10, output_tokens: 2 },
      permission_denials: [{ tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'echo x > f' } }],
    });
    const result = adapter.parseOutcome(outcome({ stdoutTail: stdout }), 'review');
    expect(result.success).toBe(true);
    expect(result.warnings).toContain('Claude Code denied Bash: echo x > f');
    expect(result.verdict).toMatchObject({ verdict: 'approved', decidedBy: 'output' });
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 2 });
  });
});
