import { describe, expect, it } from 'vitest';
import { MAX_ARGUMENT_PROMPT_BYTES } from '../../src/agents/adapters/define-adapter.js';
import { AgentInvocationError } from '../../src/agents/errors.js';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentId, AgentRole } from '../../src/agents/types.js';

const PROMPT = '---\nwork_package_id: WP01\n---\n# Do the work\n';
const GUARDED = `\n${PROMPT}`;

interface Row {
  id: AgentId;
  role: AgentRole;
  file: string;
  args: string[];
  stdin: boolean;
}

const ROWS: Row[] = [
  {
    id: 'claude-code',
    role: 'implementation',
    file: 'claude',
    args: [
      '-p',
      '--output-format',
      'json',
      '--permission-mode',
      'acceptEdits',
      '--tools',
      'Bash,Read,Write,Edit,Glob,Grep,TodoWrite',
      '--allowedTools',
      'Bash',
    ],
    stdin: true,
  },
  {
    id: 'claude-code',
    role: 'review',
    file: 'claude',
    args: [
      '-p',
      '--output-format',
      'json',
      '--permission-mode',
      'dontAsk',
      '--tools',
      'Bash,Read,Glob,Grep',
      '--allowedTools',
      'Read,Glob,Grep,Bash(git diff *),Bash(git log *),Bash(git show *),Bash(git status *)',
    ],
    stdin: true,
  },
  {
    id: 'codex',
    role: 'implementation',
    file: 'codex',
    args: ['exec', '--json', '-c', 'allow_login_shell=false', '--sandbox', 'workspace-write', '-'],
    stdin: true,
  },
  {
    id: 'codex',
    role: 'review',
    file: 'codex',
    args: ['exec', '--json', '-c', 'allow_login_shell=false', '--sandbox', 'read-only', '-'],
    stdin: true,
  },
  {
    id: 'copilot',
    role: 'implementation',
    file: 'copilot',
    args: ['--allow-all-tools', '--no-ask-user', '--output-format', 'json'],
    stdin: true,
  },
  {
    id: 'copilot',
    role: 'review',
    file: 'copilot',
    args: [
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
      '--no-ask-user',
      '--output-format',
      'json',
    ],
    stdin: true,
  },
  {
    id: 'gemini',
    role: 'implementation',
    file: 'gemini',
    args: ['--output-format', 'json', '--skip-trust', '--approval-mode', 'yolo'],
    stdin: true,
  },
  {
    id: 'gemini',
    role: 'review',
    file: 'gemini',
    args: ['--output-format', 'json', '--skip-trust', '--approval-mode', 'plan'],
    stdin: true,
  },
  {
    id: 'qwen',
    role: 'implementation',
    file: 'qwen',
    args: ['--output-format', 'json', '--approval-mode', 'yolo'],
    stdin: true,
  },
  {
    id: 'qwen',
    role: 'review',
    file: 'qwen',
    args: ['--output-format', 'json', '--approval-mode', 'default'],
    stdin: true,
  },
  {
    id: 'opencode',
    role: 'implementation',
    file: 'opencode',
    args: ['run', '--agent', 'build', '--auto', '--format', 'json'],
    stdin: true,
  },
  {
    id: 'opencode',
    role: 'review',
    file: 'opencode',
    args: ['run', '--agent', 'plan', '--format', 'json'],
    stdin: true,
  },
  {
    id: 'kilocode',
    role: 'implementation',
    file: 'kilo',
    args: ['run', '--agent', 'code', '--auto', '--format', 'json'],
    stdin: true,
  },
  {
    id: 'kilocode',
    role: 'review',
    file: 'kilo',
    args: ['run', '--agent', 'ask', '--format', 'json'],
    stdin: true,
  },
  {
    id: 'augment',
    role: 'implementation',
    file: 'auggie',
    args: [
      '--print',
      '--output-format',
      'json',
      '--dont-save-session',
      '--permission',
      'launch-process:allow',
      '--permission',
      'save-file:allow',
      '--permission',
      'str-replace-editor:allow',
      '--permission',
      'remove-files:allow',
      GUARDED,
    ],
    stdin: false,
  },
  {
    id: 'augment',
    role: 'review',
    file: 'auggie',
    args: [
      '--print',
      '--output-format',
      'json',
      '--dont-save-session',
      '--ask',
      '--permission',
      'save-file:deny',
      '--permission',
      'str-replace-editor:deny',
      '--permission',
      'remove-files:deny',
      GUARDED,
    ],
    stdin: false,
  },
  {
    id: 'cursor',
    role: 'implementation',
    file: 'cursor-agent',
    args: ['-p', '--trust', '--force', '--output-format', 'json', GUARDED],
    stdin: false,
  },
  {
    id: 'cursor',
    role: 'review',
    file: 'cursor-agent',
    args: ['-p', '--trust', '--mode', 'plan', '--output-format', 'json', GUARDED],
    stdin: false,
  },
  {
    id: 'pi',
    role: 'implementation',
    file: 'pi',
    args: ['-p', '--mode', 'json', '--no-session', '--tools', 'read,bash,edit,write,grep,find,ls'],
    stdin: true,
  },
  {
    id: 'pi',
    role: 'review',
    file: 'pi',
    args: ['-p', '--mode', 'json', '--no-session', '--tools', 'read,grep,find,ls'],
    stdin: true,
  },
  {
    id: 'letta',
    role: 'implementation',
    file: 'letta',
    args: ['-p', '--output-format', 'json', '--ephemeral', '--permission-mode', 'unrestricted'],
    stdin: true,
  },
  {
    id: 'letta',
    role: 'review',
    file: 'letta',
    args: ['-p', '--output-format', 'json', '--ephemeral', '--tools', 'Read,Glob,Grep'],
    stdin: true,
  },
];

describe('adapter invocations', () => {
  it('covers both roles of every agent', () => {
    const covered = new Set(ROWS.map((row) => `${row.id}/${row.role}`));
    for (const id of Object.keys(AGENTS)) {
      expect(covered.has(`${id}/implementation`)).toBe(true);
      expect(covered.has(`${id}/review`)).toBe(true);
    }
  });

  it.each(ROWS)('$id $role: exact argv and prompt delivery', (row) => {
    const adapter = AGENTS[row.id];
    const invocation = adapter.buildInvocation({
      role: row.role,
      prompt: PROMPT,
      workspace: '/ws',
      timeoutSeconds: 60,
    });
    expect(invocation.file).toBe(row.file);
    expect(invocation.args).toEqual(row.args);
    expect(adapter.promptVia).toBe(row.stdin ? 'stdin' : 'argument');
    if (row.stdin) expect(invocation.stdinPrompt).toBe(PROMPT);
    else expect(invocation.stdinPrompt).toBeUndefined();
    // Never a shell string: the prompt is either on stdin or one argv element.
    expect(invocation.args.filter((arg) => arg.includes('Do the work'))).toHaveLength(row.stdin ? 0 : 1);
  });

  it('uses the launcher detection resolved (absolute path, or gh copilot)', () => {
    const claude = AGENTS['claude-code'].buildInvocation({
      role: 'implementation',
      prompt: 'hi',
      workspace: '/ws',
      timeoutSeconds: 1,
      launcher: ['/opt/bin/claude'],
    });
    expect(claude.file).toBe('/opt/bin/claude');
    expect(claude.args[0]).toBe('-p');
    const viaGh = AGENTS.copilot.buildInvocation({
      role: 'review',
      prompt: 'hi',
      workspace: '/ws',
      timeoutSeconds: 1,
      launcher: ['/usr/bin/gh', 'copilot'],
    });
    expect(viaGh.file).toBe('/usr/bin/gh');
    expect(viaGh.args.slice(0, 3)).toEqual(['copilot', '--allow-tool', 'shell(git diff)']);
    expect(viaGh.stdinPrompt).toBe('hi');
  });

  it('leaves prompts that do not start with a dash untouched', () => {
    const invocation = AGENTS.cursor.buildInvocation({
      role: 'implementation',
      prompt: 'Fix it',
      workspace: '/w',
      timeoutSeconds: 1,
    });
    expect(invocation.args.at(-1)).toBe('Fix it');
  });

  it('refuses an argument prompt above the per-argument limit, and says why', () => {
    const prompt = 'x'.repeat(MAX_ARGUMENT_PROMPT_BYTES + 1);
    expect(() =>
      AGENTS.augment.buildInvocation({ role: 'implementation', prompt, workspace: '/w', timeoutSeconds: 1 }),
    ).toThrow(AgentInvocationError);
    expect(() =>
      AGENTS.augment.buildInvocation({ role: 'implementation', prompt, workspace: '/w', timeoutSeconds: 1 }),
    ).toThrow(/command-line argument.*reads stdin/);
    // Stdin agents take any size.
    const big = AGENTS['claude-code'].buildInvocation({
      role: 'implementation',
      prompt,
      workspace: '/w',
      timeoutSeconds: 1,
    });
    expect(big.stdinPrompt).toHaveLength(prompt.length);
  });

  it('marks which review roles are read-only by flags', () => {
    const notEnforced = Object.values(AGENTS)
      .filter((adapter) => !adapter.reviewIsReadOnly)
      .map((adapter) => adapter.id)
      .sort();
    expect(notEnforced).toEqual([]);
  });
});

describe('gemini settings flags', () => {
  const gemini = AGENTS.gemini;
  it('passes the role model with --model, then the extra args; there is no turn-cap flag', () => {
    const invocation = gemini.buildInvocation({
      role: 'review',
      prompt: PROMPT,
      workspace: '/tmp/ws',
      timeoutSeconds: 60,
      settings: { model: 'impl-model', reviewModel: 'review-model', maxTurns: 5, extraArgs: ['--debug'] },
    });
    expect(invocation.args).toEqual([
      '--output-format',
      'json',
      '--skip-trust',
      '--approval-mode',
      'plan',
      '--model',
      'review-model',
      '--debug',
    ]);
    expect(invocation.stdinPrompt).toBe(PROMPT);
    expect(gemini.supportsModel).toBe(true);
    expect(gemini.supportsMaxTurns).toBe(false);
    expect(gemini.helpCommands).toEqual([['--help']]);
  });
});
