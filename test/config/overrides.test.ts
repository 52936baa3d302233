import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/cli/config/errors.js';
import { applyOverrides } from '../../src/cli/config/overrides.js';
import { defaultConfig, type OrchestratorConfig } from '../../src/cli/config/schema.js';

function configured(): OrchestratorConfig {
  return {
    ...defaultConfig(),
    agents: { implementation: ['codex', 'claude-code'], review: ['gemini', 'claude-code'] },
  };
}

describe('applyOverrides', () => {
  it('returns an equal config when no flag is given', () => {
    expect(applyOverrides(configured(), {})).toEqual(configured());
  });

  it('replaces a configured fallback list with the one agent of the flag', () => {
    const result = applyOverrides(configured(), { implAgent: 'opencode' });
    expect(result.agents).toEqual({ implementation: ['opencode'], review: ['gemini', 'claude-code'] });
    expect(applyOverrides(configured(), { reviewAgent: 'codex' }).agents.review).toEqual(['codex']);
  });

  it('does not change the config it was given', () => {
    const original = configured();
    applyOverrides(original, { implAgent: 'qwen', maxConcurrent: 2 });
    expect(original).toEqual(configured());
  });

  it('parses numeric flags given as strings by the CLI', () => {
    const result = applyOverrides(configured(), {
      maxConcurrent: '8',
      maxRetries: 0,
      timeoutSeconds: '120',
      maxReviewCycles: '1',
      singleAgentMode: true,
      acceptOnCompletion: false,
    });
    expect(result).toMatchObject({
      maxConcurrentWps: 8,
      maxRetries: 0,
      timeoutSeconds: 120,
      maxReviewCycles: 1,
      singleAgentMode: true,
      acceptOnCompletion: false,
    });
  });

  it('reports every bad flag by its name, with what is allowed', () => {
    let caught: unknown;
    try {
      applyOverrides(configured(), { implAgent: 'claud', maxConcurrent: '0', timeoutSeconds: '1h' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.file).toBeNull();
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      '--impl-agent',
      '--max-concurrent',
      '--timeout-seconds',
    ]);
    expect(error.message).toContain(
      '--impl-agent: "claud" is not a known agent; did you mean "claude-code"?',
    );
    expect(error.message).toContain(
      '--max-concurrent: "0" is not allowed (allowed: an integer from 1 to 64)',
    );
    expect(error.message).toContain('--timeout-seconds: "1h" is not allowed');
  });
});
