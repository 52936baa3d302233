import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/cli/config/errors.js';
import { parseConfig } from '../../src/cli/config/load.js';

const FILE = '/repo/.kittify/orchestrator.yaml';

function problems(text: string): string[] {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.issues.map((issue) => `${issue.keyPath}: ${issue.problem}`);
    throw error;
  }
  return [];
}

describe('agent_settings', () => {
  it('reads model, review model, turn cap, extra args and env per agent (env values become strings)', () => {
    const config = parseConfig(
      [
        'agent_settings:',
        '  claude-code:',
        '    model: claude-sonnet-4-5',
        '    review_model: claude-haiku-4-5',
        '    max_turns: 40',
        '    extra_args: ["--verbose"]',
        '    env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:9", RETRIES: 3 }',
        '  codex:',
        '    model: gpt-5-codex',
        '',
      ].join('\n'),
      FILE,
    );
    expect(config.agentSettings).toEqual({
      'claude-code': {
        model: 'claude-sonnet-4-5',
        reviewModel: 'claude-haiku-4-5',
        maxTurns: 40,
        extraArgs: ['--verbose'],
        env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', RETRIES: '3' },
      },
      codex: { model: 'gpt-5-codex' },
    });
  });

  it('names an unknown agent, a misspelt setting, a bad value and a bad env name', () => {
    const found = problems(
      [
        'agent_settings:',
        '  claude-cod:',
        '    model: x',
        '  codex:',
        '    modle: y',
        '  gemini:',
        '    max_turns: 0',
        '  qwen:',
        '    env: { "BAD-NAME": x }',
        '',
      ].join('\n'),
    );
    expect(found.join('\n')).toMatch(
      /agent_settings\.claude-cod: .*not a known agent; did you mean "claude-code"/,
    );
    expect(found.join('\n')).toMatch(/agent_settings\.codex\.modle: unknown key; did you mean "model"/);
    expect(found.join('\n')).toMatch(
      /agent_settings\.gemini\.max_turns: 0 is not allowed \(allowed: an integer from 1/,
    );
    expect(found.join('\n')).toMatch(/agent_settings\.qwen\.env/);
    expect(found).toHaveLength(4);
  });
});
