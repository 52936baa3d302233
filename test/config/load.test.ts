import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/cli/config/errors.js';
import { configPath, loadConfig, parseConfig } from '../../src/cli/config/load.js';
import { DEFAULT_CONFIG } from '../../src/cli/config/schema.js';

const FILE = path.join(process.cwd(), '.kittify', 'orchestrator.yaml');
const SHOWN = '.kittify/orchestrator.yaml';

function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function repoWith(text?: string): string {
    const root = mkdtempSync(path.join(tmpdir(), 'sko-config-'));
    dirs.push(root);
    mkdirSync(path.join(root, '.kittify'));
    if (text !== undefined) writeFileSync(configPath(root), text);
    return root;
  }

  it('returns the defaults and no source when there is no file', async () => {
    const loaded = await loadConfig(repoWith());
    expect(loaded.source).toBeNull();
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toEqual({
      maxConcurrentWps: 4,
      agents: { implementation: ['claude-code'], review: ['claude-code'] },
      maxRetries: 2,
      timeoutSeconds: 3600,
      singleAgentMode: false,
      maxReviewCycles: 3,
      acceptOnCompletion: true,
      retryBackoffSeconds: 2,
      pollIntervalSeconds: 30,
      agentSettings: {},
      sandbox: 'auto',
      sandboxWritable: [],
    });
  });

  it('warns about a config under a name that is not read (.toml of the Python reference, .yml)', async () => {
    const root = repoWith();
    writeFileSync(path.join(root, '.kittify', 'orchestrator.toml'), 'max_concurrent_wps = 2\n');
    writeFileSync(path.join(root, '.kittify', 'orchestrator.yml'), 'max_concurrent_wps: 2\n');
    const loaded = await loadConfig(root);
    expect(loaded.config.maxConcurrentWps).toBe(4);
    expect(loaded.warnings).toHaveLength(2);
    expect(loaded.warnings[0]).toContain('.kittify/orchestrator.yml is not read');
    expect(loaded.warnings[1]).toContain('.kittify/orchestrator.toml is not read');
  });

  it('hands out copies, so a caller cannot change the defaults', async () => {
    const loaded = await loadConfig(repoWith());
    loaded.config.agents.implementation.push('codex');
    expect(DEFAULT_CONFIG.agents.implementation).toEqual(['claude-code']);
    expect((await loadConfig(repoWith())).config.agents.implementation).toEqual(['claude-code']);
  });

  it('reads every key of a full file', async () => {
    const root = repoWith(
      [
        '# orchestrator settings',
        'max_concurrent_wps: 8',
        'agents:',
        '  implementation: [codex, claude-code]',
        '  review:',
        '    - gemini',
        '    - opencode',
        'max_retries: 0',
        'timeout_seconds: 900',
        'single_agent_mode: true',
        'max_review_cycles: 5',
        'accept_on_completion: false',
        'retry_backoff_seconds: 0.5',
        'poll_interval_seconds: 10',
        'sandbox: required',
        'sandbox_writable: [~/.cache/pip, /srv/build-cache]',
        '',
      ].join('\n'),
    );
    const loaded = await loadConfig(root);
    expect(loaded.source).toBe(configPath(root));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toEqual({
      maxConcurrentWps: 8,
      agents: { implementation: ['codex', 'claude-code'], review: ['gemini', 'opencode'] },
      maxRetries: 0,
      timeoutSeconds: 900,
      singleAgentMode: true,
      maxReviewCycles: 5,
      acceptOnCompletion: false,
      retryBackoffSeconds: 0.5,
      pollIntervalSeconds: 10,
      agentSettings: {},
      sandbox: 'required',
      sandboxWritable: ['~/.cache/pip', '/srv/build-cache'],
    });
  });

  it('refuses a sandbox mode it does not know and a relative sandbox_writable path, naming what is allowed', () => {
    expect(() => parseConfig('sandbox: maybe\n', FILE)).toThrow(/auto, required or off/);
    expect(() => parseConfig('sandbox_writable: [cache]\n', FILE)).toThrow(/absolute paths/);
  });

  it('keeps defaults for keys a partial file leaves out, and accepts one agent id as a list of one', () => {
    const config = parseConfig('agents:\n  review: codex\nmax_retries: 5\n', FILE);
    expect(config.agents).toEqual({ implementation: ['claude-code'], review: ['codex'] });
    expect(config.maxRetries).toBe(5);
    expect(config.maxConcurrentWps).toBe(4);
  });

  it('treats an empty file or a file of comments as setting nothing', () => {
    expect(parseConfig('', FILE)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig('# nothing yet\n', FILE)).toEqual(DEFAULT_CONFIG);
  });

  it('reports a config path that cannot be read (a folder) as a ConfigError naming the file', async () => {
    const root = repoWith();
    mkdirSync(configPath(root));
    const error = await loadConfig(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(configPath(root));
    expect((error as ConfigError).message).toContain('cannot be read');
  });
});

describe('parseConfig errors', () => {
  // Each row: the file, then where the error must point and what it must say.
  const rows: Array<{
    name: string;
    text: string;
    line: number;
    column: number;
    keyPath: string;
    says: string[];
  }> = [
    {
      name: 'max_concurrent_wps below range',
      text: 'max_concurrent_wps: 0\n',
      line: 1,
      column: 21,
      keyPath: 'max_concurrent_wps',
      says: ['0 is not allowed', 'an integer from 1 to 64'],
    },
    {
      name: 'max_concurrent_wps not an integer',
      text: '# comment\nmax_concurrent_wps: 2.5\n',
      line: 2,
      column: 21,
      keyPath: 'max_concurrent_wps',
      says: ['2.5 is not allowed', 'an integer from 1 to 64'],
    },
    {
      name: 'unknown agent in a flow list',
      text: 'max_retries: 1\nagents:\n  implementation: [claude-code, claud]\n',
      line: 3,
      column: 33,
      keyPath: 'agents.implementation[1]',
      says: ['"claud" is not a known agent', 'did you mean "claude-code"', 'known: claude-code, codex'],
    },
    {
      name: 'unknown agent in a block list',
      text: 'agents:\n  review:\n    - codex\n    - gemni\n',
      line: 4,
      column: 7,
      keyPath: 'agents.review[1]',
      says: ['"gemni" is not a known agent', 'did you mean "gemini"'],
    },
    {
      name: 'unknown single agent',
      text: 'agents:\n  review: nobody\n',
      line: 2,
      column: 11,
      keyPath: 'agents.review',
      says: ['"nobody" is not a known agent', 'known: '],
    },
    {
      name: 'empty agent list',
      text: 'agents:\n  implementation: []\n',
      line: 2,
      column: 19,
      keyPath: 'agents.implementation',
      says: ['an empty list is not allowed', 'non-empty list of agent ids'],
    },
    {
      name: 'agent listed twice',
      text: 'agents:\n  implementation: [codex, codex]\n',
      line: 2,
      column: 27,
      keyPath: 'agents.implementation[1]',
      says: ['"codex" is listed twice'],
    },
    {
      name: 'agents not a mapping',
      text: 'agents: codex\n',
      line: 1,
      column: 9,
      keyPath: 'agents',
      says: ['"codex" is not allowed', 'implementation and/or review'],
    },
    {
      name: 'max_retries above range',
      text: 'max_retries: 21\n',
      line: 1,
      column: 14,
      keyPath: 'max_retries',
      says: ['21 is not allowed', 'an integer from 0 to 20'],
    },
    {
      name: 'timeout_seconds quoted',
      text: 'timeout_seconds: "60"\n',
      line: 1,
      column: 18,
      keyPath: 'timeout_seconds',
      says: ['"60" is not allowed', 'an integer from 1 to 86400'],
    },
    {
      name: 'timeout_seconds empty',
      text: 'timeout_seconds:\nmax_retries: 1\n',
      line: 1,
      column: 17,
      keyPath: 'timeout_seconds',
      says: ['an empty value is not allowed'],
    },
    {
      name: 'single_agent_mode yes (a string in YAML 1.2)',
      text: 'single_agent_mode: yes\n',
      line: 1,
      column: 20,
      keyPath: 'single_agent_mode',
      says: ['"yes" is not allowed', 'true or false'],
    },
    {
      name: 'max_review_cycles zero',
      text: 'max_review_cycles: 0\n',
      line: 1,
      column: 20,
      keyPath: 'max_review_cycles',
      says: ['0 is not allowed', 'an integer from 1 to 20'],
    },
    {
      name: 'accept_on_completion a number',
      text: 'accept_on_completion: 1\n',
      line: 1,
      column: 23,
      keyPath: 'accept_on_completion',
      says: ['1 is not allowed', 'true or false'],
    },
    {
      name: 'retry_backoff_seconds negative',
      text: 'retry_backoff_seconds: -1\n',
      line: 1,
      column: 24,
      keyPath: 'retry_backoff_seconds',
      says: ['-1 is not allowed', 'a number from 0 to 600'],
    },
    {
      name: 'poll_interval_seconds zero',
      text: 'poll_interval_seconds: 0\n',
      line: 1,
      column: 24,
      keyPath: 'poll_interval_seconds',
      says: ['0 is not allowed', 'above 0'],
    },
  ];

  it.each(rows)('$name: points at $line:$column and says what is allowed', (row) => {
    const error = configErrorOf(row.text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.file).toBe(FILE);
    expect({ line: error.line, column: error.column, keyPath: error.keyPath }).toEqual({
      line: row.line,
      column: row.column,
      keyPath: row.keyPath,
    });
    expect(error.message.startsWith(`${SHOWN}:${row.line}:${row.column}: ${row.keyPath}: `)).toBe(true);
    for (const words of row.says) expect(error.message).toContain(words);
  });

  it('suggests the closest key for a misspelt, camelCased or misplaced key', () => {
    const error = configErrorOf(
      [
        'max_concurrent_wps: 2',
        'max_retry: 3',
        'maxReviewCycles: 2',
        'implementation: [codex]',
        'agents:',
        '  reviw: [codex]',
        'color: blue',
        '',
      ].join('\n'),
    );
    expect(error.issues.map((issue) => [issue.line, issue.column, issue.keyPath])).toEqual([
      [2, 1, 'max_retry'],
      [3, 1, 'maxReviewCycles'],
      [4, 1, 'implementation'],
      [6, 3, 'agents.reviw'],
      [7, 1, 'color'],
    ]);
    const problems = error.issues.map((issue) => issue.problem);
    expect(problems[0]).toContain('unknown key; did you mean "max_retries"?');
    expect(problems[1]).toContain('did you mean "max_review_cycles"?');
    expect(problems[2]).toContain('did you mean "agents.implementation"?');
    expect(problems[3]).toContain('did you mean "review"?');
    expect(problems[3]).toContain('allowed keys under agents: implementation, review');
    expect(problems[4]).not.toContain('did you mean');
    expect(problems[4]).toContain('allowed keys: max_concurrent_wps, agents, max_retries');
  });

  it('reports every problem of a file at once, in document order', () => {
    const error = configErrorOf('max_retries: -1\nagents:\n  review: [claud]\nmax_concurrent_wps: 99\n');
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      'max_retries',
      'agents.review[0]',
      'max_concurrent_wps',
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('names line and column of a YAML syntax error', () => {
    const error = configErrorOf('max_retries: 1\nagents:\n  implementation: [codex\nmax_concurrent_wps: 2\n');
    expect(error.keyPath).toBeNull();
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.column).not.toBeNull();
    expect(error.message).toMatch(new RegExp(`^${SHOWN.replace('.', '\\.')}:\\d+:\\d+: YAML syntax error: `));
    expect(error.message).not.toMatch(/at line \d+, column \d+/);
  });

  it('reports a duplicate key as a syntax error at the second occurrence', () => {
    const error = configErrorOf('max_retries: 1\nmax_retries: 2\n');
    expect([error.line, error.column]).toEqual([2, 1]);
    expect(error.message).toContain('Map keys must be unique');
  });

  it('refuses a file that is not a mapping', () => {
    const error = configErrorOf('- codex\n- claude-code\n');
    expect([error.line, error.column, error.keyPath]).toEqual([1, 1, null]);
    expect(error.message).toContain('must be a mapping of settings');
  });

  it('round-trips the error through toJSON for machine-readable output', () => {
    const json = configErrorOf('max_retries: 99\n').toJSON();
    expect(json).toMatchObject({
      code: 'CONFIG_INVALID',
      file: FILE,
      issues: [{ keyPath: 'max_retries', line: 1, column: 14 }],
    });
  });
});
