import { describe, expect, it } from 'vitest';
import { commitsFromRecord, filesFromRecord } from '../../src/agents/parse/artifacts.js';
import { errorsFromRecord, stderrErrorLines } from '../../src/agents/parse/errors.js';
import { classifyFailure } from '../../src/agents/parse/failure.js';
import { findJsonObjects, jsonLines, lastJsonObject } from '../../src/agents/parse/json.js';
import { addUsage, usageFromRecord } from '../../src/agents/parse/usage.js';

describe('json readers', () => {
  it('lastJsonObject: whole object, else last JSON line, else last embedded object', () => {
    expect(lastJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(lastJsonObject('banner\n{"a":1}\n{"b":2}\n')).toEqual({ b: 2 });
    expect(lastJsonObject('text {"c": "}"} more')).toEqual({ c: '}' });
    expect(lastJsonObject('no json')).toBeUndefined();
  });

  it('jsonLines skips cut and foreign lines', () => {
    expect(jsonLines('ut":1}\n{"ok":true}\nnot json\n[1,2]\n')).toEqual([{ ok: true }]);
  });

  it('findJsonObjects respects strings and nesting', () => {
    const found = findJsonObjects('x {"a":{"b":"{not}"}} y {bad} {"c":2}');
    expect(found.map((f) => f.value)).toEqual([{ a: { b: '{not}' } }, { c: 2 }]);
  });
});

describe('errors', () => {
  it('reads error and errors keys in their common shapes', () => {
    expect(errorsFromRecord({ error: 'plain' })).toEqual(['plain']);
    expect(errorsFromRecord({ error: { message: 'nested' } })).toEqual(['nested']);
    expect(errorsFromRecord({ error: { name: 'APIError', data: { message: 'deep' } } })).toEqual(['deep']);
    expect(errorsFromRecord({ errors: ['a', { message: 'b' }, 3] })).toEqual(['a', 'b']);
    expect(errorsFromRecord({ ok: true })).toEqual([]);
  });

  it('stderr: error-looking lines only, ANSI stripped, JSON skipped, repeats removed', () => {
    const stderr =
      '\u001b[31mError: boom\u001b[0m\nloading...\nError: boom\n{"error":"x"}\nRequest failed with status 500\n';
    expect(stderrErrorLines(stderr)).toEqual(['Error: boom', 'Request failed with status 500']);
  });
});

describe('artifacts and usage', () => {
  it('files and commits from common keys', () => {
    expect(
      filesFromRecord({ files_modified: ['a.ts', { path: 'b.ts' }], files: 'c.ts', changed_files: ['a.ts'] }),
    ).toEqual(['c.ts', 'a.ts', 'b.ts']);
    expect(
      commitsFromRecord({
        commits: ['abc1234', 'not a sha', { sha: 'def5678def5678' }],
        commit_sha: 'ABCDEF0',
      }),
    ).toEqual(['abc1234', 'def5678def5678', 'ABCDEF0']);
  });

  it('usage from usage objects and cost keys; sums keep unknowns unknown', () => {
    expect(
      usageFromRecord({ usage: { prompt_tokens: 5, completion_tokens: 6 }, total_cost_usd: 0.5 }),
    ).toEqual({ inputTokens: 5, outputTokens: 6, costUsd: 0.5 });
    expect(usageFromRecord({ nothing: 1 })).toBeUndefined();
    expect(addUsage({ inputTokens: 1 }, { inputTokens: 2, costUsd: 0.1 })).toEqual({
      inputTokens: 3,
      costUsd: 0.1,
    });
  });
});

describe('classifyFailure', () => {
  const facts = {
    exitCode: 1,
    timedOut: false,
    errors: [] as string[],
    stderr: '',
    agent: 'claude-code' as const,
  };
  it.each([
    ['timed out', { timedOut: true, exitCode: null }, 'timeout'],
    ['exit 124', { exitCode: 124 }, 'timeout'],
    ['gemini exit 41', { agent: 'gemini' as const, exitCode: 41 }, 'auth'],
    ['exit 41 means nothing for other agents', { exitCode: 41 }, 'general'],
    ['gemini exit 42 (input error)', { agent: 'gemini' as const, exitCode: 42 }, 'general'],
    ['gemini exit 55 (untrusted workspace)', { agent: 'gemini' as const, exitCode: 55 }, 'setup'],
    ['gemini exit 44 (sandbox)', { agent: 'gemini' as const, exitCode: 44 }, 'setup'],
    ['gemini exit 53 (turn limit)', { agent: 'gemini' as const, exitCode: 53 }, 'general'],
    ['gemini exit 173 (HTTP 429)', { agent: 'gemini' as const, exitCode: 173 }, 'rate_limit'],
    ['gemini exit 145 (HTTP 401)', { agent: 'gemini' as const, exitCode: 145 }, 'auth'],
    ['exit 173 means nothing for other agents', { exitCode: 173 }, 'general'],
    ['401 in an error', { errors: ['HTTP 401 from API'] }, 'auth'],
    ['not logged in on stderr', { stderr: 'You are not logged in' }, 'auth'],
    ['invalid api key', { errors: ['Invalid API key · Please run /login'] }, 'auth'],
    ['rate limit words', { errors: ['rate limit exceeded'] }, 'rate_limit'],
    ['429', { stderr: 'status 429 Too Many Requests' }, 'rate_limit'],
    ['quota', { errors: ['Quota exceeded for model'] }, 'rate_limit'],
    ['network', { errors: ['getaddrinfo ENOTFOUND api.example.com'] }, 'network'],
    ['anything else', { errors: ['TypeError: x is undefined'] }, 'general'],
    ['an author is not auth', { errors: ['Failed to parse author field'] }, 'general'],
  ])('%s', (_name, override, kind) => {
    expect(classifyFailure({ ...facts, ...override })).toBe(kind);
  });
});
