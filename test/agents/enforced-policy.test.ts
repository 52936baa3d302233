import { describe, expect, it } from 'vitest';
import { enforcedPolicyFields } from '../../src/agents/enforced-policy.js';
import { wideningFlagsIn } from '../../src/agents/permission-flags.js';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentId, AgentRole } from '../../src/agents/types.js';
import { DEFAULT_CONFIG } from '../../src/cli/config/schema.js';
import { runPolicy } from '../../src/cli/runtime/launch-run.js';
import { BANNED_DANGEROUS_FLAGS, buildPolicy } from '../../src/host/policy.js';

const ROLES: readonly AgentRole[] = ['implementation', 'review'];

function argv(agent: AgentId, role: AgentRole, extraArgs?: string[], confined = false): string[] {
  return AGENTS[agent].buildInvocation({
    ...(confined ? { confined: true } : {}),
    role,
    prompt: 'prompt',
    workspace: '/w',
    repoRoot: '/r',
    mission: 'm',
    missionDir: '/r/m',
    timeoutSeconds: 60,
    ...(extraArgs ? { settings: { extraArgs } } : {}),
  }).args;
}

/**
 * What each adapter's argv widens, by role: the policy record's `dangerous_flags` come from this,
 * so a change to an adapter's permissions shows up here for review.
 */
const WIDENING: Record<AgentId, Record<AgentRole, string[]>> = {
  'claude-code': {
    implementation: ['--permission-mode=acceptEdits', '--allowedTools=Bash'],
    review: [
      '--allowedTools=Read,Glob,Grep,Bash(git diff *),Bash(git log *),Bash(git show *),Bash(git status *)',
    ],
  },
  codex: { implementation: ['--add-dir'], review: [] },
  copilot: {
    implementation: ['--allow-all-tools'],
    review: [
      '--allow-tool=shell(git diff)',
      '--allow-tool=shell(git log)',
      '--allow-tool=shell(git show)',
      '--allow-tool=shell(git status)',
    ],
  },
  gemini: { implementation: ['--skip-trust', '--approval-mode=yolo'], review: ['--skip-trust'] },
  qwen: { implementation: ['--approval-mode=yolo'], review: [] },
  opencode: { implementation: ['--auto'], review: [] },
  kilocode: { implementation: ['--auto'], review: [] },
  augment: {
    implementation: [
      '--permission=launch-process:allow',
      '--permission=save-file:allow',
      '--permission=str-replace-editor:allow',
      '--permission=remove-files:allow',
    ],
    review: [],
  },
  cursor: { implementation: ['--trust', '--force'], review: ['--trust'] },
  pi: { implementation: [], review: [] },
  letta: { implementation: ['--permission-mode=unrestricted'], review: [] },
};

describe('the flags each adapter passes', () => {
  it('never include a flag the host bans, for any agent and role, confined by our sandbox or not', () => {
    for (const agent of Object.keys(AGENTS) as AgentId[]) {
      for (const role of ROLES) {
        for (const confined of [false, true]) {
          const banned = argv(agent, role, undefined, confined).filter((arg) =>
            BANNED_DANGEROUS_FLAGS.has(arg.split('=')[0] ?? arg),
          );
          expect(banned, `${agent} ${role}${confined ? ' confined' : ''}`).toEqual([]);
        }
      }
    }
  });

  it('inside our sandbox codex leaves confinement to it (its own cannot start there), and says so', () => {
    for (const role of ROLES) {
      expect(wideningFlagsIn(argv('codex', role, undefined, true))).toEqual(['--sandbox=danger-full-access']);
    }
    // Every other adapter passes the same flags confined or not.
    for (const agent of (Object.keys(AGENTS) as AgentId[]).filter((id) => id !== 'codex')) {
      for (const role of ROLES) expect(argv(agent, role, undefined, true), agent).toEqual(argv(agent, role));
    }
  });

  it('are read for what they widen, agent by agent', () => {
    const found = Object.fromEntries(
      (Object.keys(AGENTS) as AgentId[]).map((agent) => [
        agent,
        Object.fromEntries(ROLES.map((role) => [role, wideningFlagsIn(argv(agent, role))])),
      ]),
    );
    expect(found).toEqual(WIDENING);
  });
});

describe('wideningFlagsIn', () => {
  it('counts a mode flag only for its widening values, in both spellings', () => {
    expect(wideningFlagsIn(['--permission-mode', 'dontAsk', '--approval-mode=plan'])).toEqual([]);
    expect(wideningFlagsIn(['--permission-mode=acceptEdits', '--approval-mode', 'yolo'])).toEqual([
      '--permission-mode=acceptEdits',
      '--approval-mode=yolo',
    ]);
    expect(wideningFlagsIn(['--permission', 'save-file:deny', '--permission', 'save-file:allow'])).toEqual([
      '--permission=save-file:allow',
    ]);
  });

  it('does not read a value or a positional word as a flag', () => {
    expect(wideningFlagsIn(['--model', '--force', 'text --yolo'])).toEqual(['--force']);
    expect(wideningFlagsIn(['--add-dir', '/a', '--add-dir', '/b'])).toEqual(['--add-dir']);
  });
});

describe('the run policy', () => {
  it('states what the default run really allows: no sandbox, open network, its widening flags', () => {
    expect(enforcedPolicyFields(DEFAULT_CONFIG)).toEqual({
      approval_mode: 'full_auto',
      sandbox_mode: 'none',
      network_mode: 'open',
      dangerous_flags: [...WIDENING['claude-code'].implementation, ...WIDENING['claude-code'].review].sort(),
    });
  });

  it('says workspace_write for every run our sandbox confines, with the flags of the confined argv', () => {
    const sandboxed = enforcedPolicyFields(
      { ...DEFAULT_CONFIG, agents: { implementation: ['gemini', 'codex'], review: ['codex'] } },
      { sandboxed: true },
    );
    expect(sandboxed.sandbox_mode).toBe('workspace_write');
    expect(sandboxed.network_mode).toBe('open');
    expect(sandboxed.dangerous_flags).toContain('--sandbox=danger-full-access');
    expect(sandboxed.dangerous_flags).toContain('--approval-mode=yolo');
  });

  it('unconfined, says workspace_write only when every implementer confines itself (codex)', () => {
    const agents = (implementation: AgentId[]) => ({
      ...DEFAULT_CONFIG,
      agents: { implementation, review: ['codex' as AgentId] },
    });
    expect(enforcedPolicyFields(agents(['codex'])).sandbox_mode).toBe('workspace_write');
    expect(enforcedPolicyFields(agents(['codex', 'gemini'])).sandbox_mode).toBe('none');
  });

  it('lists the flags of every agent in every role it can take, fallbacks and single-agent mode included', () => {
    const config = {
      ...DEFAULT_CONFIG,
      agents: { implementation: ['qwen', 'cursor'] as AgentId[], review: ['pi'] as AgentId[] },
    };
    expect(enforcedPolicyFields(config).dangerous_flags).toEqual([
      '--approval-mode=yolo',
      '--force',
      '--trust',
    ]);
    // The implementers review too: cursor's review flag is the same --trust; qwen's review has none.
    expect(enforcedPolicyFields({ ...config, singleAgentMode: true }).dangerous_flags).toEqual([
      '--approval-mode=yolo',
      '--force',
      '--trust',
    ]);
    const reviewOnly = {
      ...DEFAULT_CONFIG,
      agents: { implementation: ['pi'] as AgentId[], review: ['gemini'] as AgentId[] },
    };
    expect(enforcedPolicyFields(reviewOnly).dangerous_flags).toEqual(['--skip-trust']);
    expect(enforcedPolicyFields({ ...reviewOnly, singleAgentMode: true }).dangerous_flags).toEqual([]);
  });

  it("includes the user's extra args, and refuses a banned one with the field named", () => {
    const config = {
      ...DEFAULT_CONFIG,
      agents: { implementation: ['pi'] as AgentId[], review: ['pi'] as AgentId[] },
    };
    expect(
      enforcedPolicyFields({ ...config, agentSettings: { pi: { extraArgs: ['--force'] } } }).dangerous_flags,
    ).toEqual(['--force']);
    const banned = { ...config, agentSettings: { pi: { extraArgs: ['--yolo'] } } };
    expect(() => runPolicy(banned)).toThrow(/dangerous_flags/);
  });

  it('is a valid host policy for every agent as the only one configured', () => {
    for (const agent of Object.keys(AGENTS) as AgentId[]) {
      const config = { ...DEFAULT_CONFIG, agents: { implementation: [agent], review: [agent] } };
      expect(() =>
        buildPolicy({ orchestrator_version: '0.1.0', ...enforcedPolicyFields(config) }),
      ).not.toThrow();
    }
  });
});
