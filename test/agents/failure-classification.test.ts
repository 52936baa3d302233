/**
 * classifyFailure beyond the examples in parse-helpers.test.ts: each wording the patterns accept,
 * and the rule that a documented exit code only decides when it names a specific kind.
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailureFacts } from '../../src/agents/parse/failure.js';

const facts: FailureFacts = { exitCode: 1, timedOut: false, errors: [], stderr: '', agent: 'claude-code' };

describe('classifyFailure by wording', () => {
  it.each([
    ['Unauthorized', 'auth'],
    ['Authenticating failed', 'auth'],
    ['Please login first', 'auth'],
    ['please /login to continue', 'auth'],
    ['Login required', 'auth'],
    ['invalidApiKey', 'auth'],
    ['Invalid API key', 'auth'],
    ['apiKey is missing', 'auth'],
    ['OPENAI_API_KEY not set', 'auth'],
    ['API key is missing', 'auth'],
    ['Credential expired', 'auth'],
    ['RateLimitError', 'rate_limit'],
    ['ResourceExhausted', 'rate_limit'],
    ['RESOURCE_EXHAUSTED', 'rate_limit'],
    ['resource exhausted', 'rate_limit'],
    ['HTTP 502 Bad Gateway', 'network'],
  ])('%s -> %s', (message, kind) => {
    expect(classifyFailure({ ...facts, errors: [message] })).toBe(kind);
  });

  it('reads a run of whitespace between the words', () => {
    expect(classifyFailure({ ...facts, errors: ['authenticate  failed'] })).toBe('auth');
  });

  it('reads each message on its own line: words do not join across messages', () => {
    expect(classifyFailure({ ...facts, errors: ['error code 40', '3 retries left'] })).toBe('general');
  });
});

describe('classifyFailure by documented exit code', () => {
  it('gemini exit 147 (HTTP 403) is auth', () => {
    expect(classifyFailure({ ...facts, agent: 'gemini', exitCode: 147 })).toBe('auth');
  });

  it('a documented general exit leaves the decision to the message', () => {
    expect(classifyFailure({ ...facts, agent: 'gemini', exitCode: 42, errors: ['quota exceeded'] })).toBe(
      'rate_limit',
    );
  });
});
