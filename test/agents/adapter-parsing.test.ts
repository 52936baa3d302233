import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentId, AgentUsage, FailureKind, ProcessOutcome } from '../../src/agents/types.js';
import { jsonl, outcome } from './outcome.js';

interface Sample {
  name: string;
  agent: AgentId;
  process: Partial<ProcessOutcome>;
  success: boolean;
  failureKind?: FailureKind;
  resultText?: string | RegExp;
  error?: RegExp;
  usage?: AgentUsage;
  files?: string[];
}

const claudeResult = (fields: Record<string, unknown>) =>
  `${JSON.stringify({ type: 'result', subtype: 'success', is_error: false, duration_ms: 9000, num_turns: 4, session_id: 's1', ...fields })}\n`;

const SAMPLES: Sample[] = [
  // --- claude-code: one result object
  {
    name: 'success with cost and tokens',
    agent: 'claude-code',
    process: {
      stdoutTail: claudeResult({
        result: 'Done: added src/x.ts',
        total_cost_usd: 0.4213,
        usage: { input_tokens: 15000, output_tokens: 2100, cache_read_input_tokens: 300 },
      }),
    },
    success: true,
    resultText: 'Done: added src/x.ts',
    usage: { inputTokens: 15000, outputTokens: 2100, costUsd: 0.4213 },
  },
  {
    name: 'auth error (is_error with exit 1)',
    agent: 'claude-code',
    process: {
      exitCode: 1,
      stdoutTail: claudeResult({ is_error: true, result: 'Invalid API key · Please run /login' }),
    },
    success: false,
    failureKind: 'auth',
    error: /Invalid API key/,
  },
  {
    name: 'rate limit',
    agent: 'claude-code',
    process: {
      exitCode: 1,
      stdoutTail: claudeResult({ is_error: true, result: 'Claude AI usage limit reached|1767225600' }),
    },
    success: false,
    failureKind: 'rate_limit',
  },
  {
    name: 'is_error with exit 0 still fails',
    agent: 'claude-code',
    process: { exitCode: 0, stdoutTail: claudeResult({ subtype: 'error_max_turns', is_error: true }) },
    success: false,
    failureKind: 'general',
    error: /error_max_turns/,
  },
  // --- codex: JSONL events
  {
    name: 'success with file changes and usage',
    agent: 'codex',
    process: {
      stdoutTail: jsonl(
        { type: 'thread.started', thread_id: 't1' },
        { type: 'turn.started' },
        { type: 'item.completed', item: { id: 'i0', type: 'reasoning', text: 'thinking' } },
        {
          type: 'item.completed',
          item: {
            id: 'i1',
            type: 'file_change',
            changes: [{ path: 'src/a.ts', kind: 'add' }],
            status: 'completed',
          },
        },
        {
          type: 'item.completed',
          item: { id: 'i2', type: 'agent_message', text: 'Implemented the parser.' },
        },
        {
          type: 'turn.completed',
          usage: { input_tokens: 24763, cached_input_tokens: 24448, output_tokens: 122 },
        },
      ),
    },
    success: true,
    resultText: 'Implemented the parser.',
    usage: { inputTokens: 24763, outputTokens: 122 },
    files: ['src/a.ts'],
  },
  {
    name: 'turn.failed (auth)',
    agent: 'codex',
    process: {
      exitCode: 1,
      stdoutTail: jsonl(
        { type: 'thread.started', thread_id: 't1' },
        { type: 'error', message: 'unexpected status 401 Unauthorized: Missing bearer authentication' },
        {
          type: 'turn.failed',
          error: { message: 'unexpected status 401 Unauthorized: Missing bearer authentication' },
        },
      ),
    },
    success: false,
    failureKind: 'auth',
    error: /401 Unauthorized/,
  },
  {
    name: 'rate limit',
    agent: 'codex',
    process: {
      exitCode: 1,
      stdoutTail: jsonl(
        { type: 'error', message: "You've hit your usage limit. Try again in 3 hours." },
        { type: 'turn.failed', error: { message: "You've hit your usage limit." } },
      ),
    },
    success: false,
    failureKind: 'rate_limit',
  },
  {
    name: 'network error on stderr only',
    agent: 'codex',
    process: {
      exitCode: 1,
      stderrTail: 'ERROR: stream error: error sending request: connection reset (ECONNRESET)\n',
    },
    success: false,
    failureKind: 'network',
    error: /ECONNRESET/,
  },
  // --- copilot: JSONL session events (or text)
  {
    name: 'success with output tokens',
    agent: 'copilot',
    process: {
      stdoutTail: jsonl(
        { type: 'session.start', data: { sessionId: 's' } },
        {
          type: 'assistant.message',
          data: { content: '', toolRequests: [{ name: 'bash' }], outputTokens: 22 },
        },
        { type: 'assistant.message', data: { content: 'All tests pass.', outputTokens: 50 } },
        { type: 'result', sessionId: 's', exitCode: 0 },
      ),
    },
    success: true,
    resultText: 'All tests pass.',
    usage: { outputTokens: 72 },
  },
  {
    name: 'auth error as text on stderr',
    agent: 'copilot',
    process: {
      exitCode: 1,
      stderrTail: 'Error: No authentication information found. Run `copilot login`.\n',
    },
    success: false,
    failureKind: 'auth',
  },
  {
    name: 'session.error rate limit',
    agent: 'copilot',
    process: {
      exitCode: 1,
      stdoutTail: jsonl({
        type: 'session.error',
        data: { errorType: 'rate_limit', message: 'Sorry, you have been rate-limited (429).' },
      }),
    },
    success: false,
    failureKind: 'rate_limit',
    error: /rate-limited/,
  },
  // --- gemini: {response, stats, error}
  {
    name: 'success with per-model tokens summed',
    agent: 'gemini',
    process: {
      stdoutTail: JSON.stringify(
        {
          response: 'Implemented.',
          stats: {
            models: {
              'gemini-2.5-pro': { tokens: { prompt: 1000, candidates: 200, total: 1200 } },
              'gemini-2.5-flash': { tokens: { prompt: 50, candidates: 10, total: 60 } },
            },
          },
        },
        null,
        2,
      ),
    },
    success: true,
    resultText: 'Implemented.',
    usage: { inputTokens: 1050, outputTokens: 210 },
  },
  {
    name: 'exit 41 is auth whatever the message',
    agent: 'gemini',
    process: {
      exitCode: 41,
      stderrTail: JSON.stringify(
        { error: { type: 'FatalAuthenticationError', message: 'Please set an Auth method', code: 41 } },
        null,
        2,
      ),
    },
    success: false,
    failureKind: 'auth',
    error: /Auth method/,
  },
  {
    name: 'exit 42 is an input error (docs), not a rate limit',
    agent: 'gemini',
    process: {
      exitCode: 42,
      stdoutTail: JSON.stringify({
        error: { type: 'FatalInputError', message: 'No input provided via stdin.', code: 42 },
      }),
    },
    success: false,
    failureKind: 'general',
  },
  {
    name: 'rate limit (429 in the error object)',
    agent: 'gemini',
    process: {
      exitCode: 1,
      stdoutTail: JSON.stringify({
        error: { type: 'Error', message: '[API Error: Resource exhausted (status 429)]', code: 429 },
      }),
    },
    success: false,
    failureKind: 'rate_limit',
  },
  {
    name: 'exit 55 (untrusted folder, plain text on stderr) is a setup failure with its message',
    agent: 'gemini',
    process: {
      exitCode: 55,
      stderrTail:
        'YOLO mode is enabled.\n\u001b[31mGemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust`\u001b[0m\n',
    },
    success: false,
    failureKind: 'setup',
    error: /not running in a trusted directory/,
  },
  {
    name: 'exit 52 (config error) is a setup failure',
    agent: 'gemini',
    process: {
      exitCode: 52,
      stderrTail: JSON.stringify({
        error: { type: 'FatalConfigError', message: 'Invalid settings', code: 52 },
      }),
    },
    success: false,
    failureKind: 'setup',
  },
  {
    name: 'an HTTP 401 exits 145 (401 mod 256): auth by the exit code alone',
    agent: 'gemini',
    process: {
      exitCode: 145,
      // No status number in the text, so only the exit code can decide.
      stderrTail: JSON.stringify({ error: { type: 'Error', message: 'request rejected' } }),
    },
    success: false,
    failureKind: 'auth',
  },
  {
    name: 'an HTTP 429 exits 173 (429 mod 256): rate_limit by the exit code alone',
    agent: 'gemini',
    process: {
      exitCode: 173,
      stderrTail: JSON.stringify({ error: { type: 'Error', message: 'Try later' } }),
    },
    success: false,
    failureKind: 'rate_limit',
  },
  // --- qwen: one JSON array of messages
  {
    name: 'success from the array result message',
    agent: 'qwen',
    process: {
      stdoutTail: JSON.stringify([
        { type: 'system', subtype: 'session_start', session_id: 'q', model: 'qwen3-coder-plus' },
        { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: 'Working' }] } },
        {
          type: 'result',
          subtype: 'success',
          is_error: false,
          result: 'Finished.',
          usage: { input_tokens: 300, output_tokens: 40 },
        },
      ]),
    },
    success: true,
    resultText: 'Finished.',
    usage: { inputTokens: 300, outputTokens: 40 },
  },
  {
    name: 'error result',
    agent: 'qwen',
    process: {
      exitCode: 1,
      stdoutTail: JSON.stringify([
        {
          type: 'result',
          subtype: 'error_during_execution',
          is_error: true,
          error: { message: '401 Incorrect API key provided' },
        },
      ]),
    },
    success: false,
    failureKind: 'auth',
    error: /Incorrect API key/,
  },
  // --- opencode: JSONL events
  {
    name: 'success with writes, text and step usage',
    agent: 'opencode',
    process: {
      stdoutTail: jsonl(
        { type: 'step_start', sessionID: 'ses_1', part: { type: 'step-start' } },
        {
          type: 'tool_use',
          sessionID: 'ses_1',
          part: { tool: 'read', state: { status: 'completed', input: { filePath: 'README.md' } } },
        },
        {
          type: 'tool_use',
          sessionID: 'ses_1',
          part: { tool: 'write', state: { status: 'completed', input: { filePath: 'src/new.ts' } } },
        },
        {
          type: 'step_finish',
          sessionID: 'ses_1',
          part: { reason: 'tool-calls', cost: 0.01, tokens: { input: 100, output: 10 } },
        },
        { type: 'text', sessionID: 'ses_1', part: { type: 'text', text: 'Created src/new.ts' } },
        {
          type: 'step_finish',
          sessionID: 'ses_1',
          part: { reason: 'stop', cost: 0.02, tokens: { input: 200, output: 20 } },
        },
      ),
    },
    success: true,
    resultText: 'Created src/new.ts',
    usage: { inputTokens: 300, outputTokens: 30, costUsd: 0.03 },
    files: ['src/new.ts'],
  },
  {
    name: 'nested error event',
    agent: 'opencode',
    process: {
      exitCode: 1,
      stdoutTail: jsonl({
        type: 'error',
        sessionID: 's',
        error: { name: 'APIError', data: { message: 'Rate limit exceeded', statusCode: 429 } },
      }),
    },
    success: false,
    failureKind: 'rate_limit',
    error: /Rate limit exceeded/,
  },
  // --- kilocode (Kilo CLI 7.7.7): opencode's JSONL events, as the real CLI printed them
  {
    name: 'answer, a denied write and step usage',
    agent: 'kilocode',
    process: {
      stdoutTail: jsonl(
        { type: 'step_start', sessionID: 'ses_k', part: { type: 'step-start' } },
        {
          type: 'tool_use',
          sessionID: 'ses_k',
          part: {
            type: 'tool',
            tool: 'write',
            state: { status: 'error', input: { filePath: 'denied.txt' }, error: 'rule prevents this call' },
          },
        },
        {
          type: 'step_finish',
          sessionID: 'ses_k',
          part: {
            type: 'step-finish',
            reason: 'tool-calls',
            cost: 0,
            tokens: { total: 1040, input: 1000, output: 40 },
          },
        },
        {
          type: 'text',
          sessionID: 'ses_k',
          part: { type: 'text', text: 'Reviewed WP01.\n\nVERDICT: approved' },
        },
        {
          type: 'step_finish',
          sessionID: 'ses_k',
          part: {
            type: 'step-finish',
            reason: 'stop',
            cost: 0,
            tokens: { total: 1150, input: 1100, output: 50 },
          },
        },
      ),
    },
    success: true,
    resultText: 'Reviewed WP01.\n\nVERDICT: approved',
    usage: { inputTokens: 2100, outputTokens: 90, costUsd: 0 },
    files: [],
  },
  {
    name: 'API error event with its HTTP status',
    agent: 'kilocode',
    process: {
      exitCode: 1,
      stdoutTail: jsonl({
        type: 'error',
        sessionID: 'ses_k',
        error: {
          name: 'APIError',
          data: { message: 'invalid x-api-key', statusCode: 401, isRetryable: false },
        },
      }),
      stderrTail: 'Error: invalid x-api-key\n',
    },
    success: false,
    failureKind: 'auth',
    error: /APIError \(HTTP 401\): invalid x-api-key/,
  },
  // --- augment: plain text, errors on stderr
  {
    name: 'text answer',
    agent: 'augment',
    process: { stdoutTail: 'I added the function and its test.\n' },
    success: true,
    resultText: 'I added the function and its test.',
  },
  {
    name: 'not logged in',
    agent: 'augment',
    process: { exitCode: 1, stderrTail: 'You are not currently logged in to Augment. Run auggie login.\n' },
    success: false,
    failureKind: 'auth',
  },
  // --- cursor: result object, no usage
  {
    name: 'success',
    agent: 'cursor',
    process: { stdoutTail: claudeResult({ result: 'Refactored the module.', request_id: 'r' }) },
    success: true,
    resultText: 'Refactored the module.',
  },
  {
    name: 'timeout (exit 124, as with a timeout wrapper)',
    agent: 'cursor',
    process: { exitCode: 124 },
    success: false,
    failureKind: 'timeout',
  },
  // --- pi: JSONL agent events
  {
    name: 'success with usage from message_end only (agent_end not double counted)',
    agent: 'pi',
    process: {
      stdoutTail: jsonl(
        { type: 'agent_start' },
        {
          type: 'message_end',
          message: {
            role: 'assistant',
            content: [{ type: 'text', text: 'Step one' }],
            usage: { input: 100, output: 10, cost: { total: 0.001 } },
            stopReason: 'toolUse',
          },
        },
        {
          type: 'message_end',
          message: {
            role: 'assistant',
            content: [{ type: 'text', text: 'Finished.' }],
            usage: { input: 200, output: 20, cost: { total: 0.002 } },
            stopReason: 'stop',
          },
        },
        {
          type: 'agent_end',
          messages: [{ role: 'assistant', content: [], usage: { input: 999, output: 999 } }],
        },
      ),
    },
    success: true,
    resultText: 'Finished.',
    usage: { inputTokens: 300, outputTokens: 30, costUsd: 0.003 },
  },
  {
    name: 'stopReason error',
    agent: 'pi',
    process: {
      exitCode: 1,
      stdoutTail: jsonl({
        type: 'message_end',
        message: {
          role: 'assistant',
          content: [],
          stopReason: 'error',
          errorMessage: '429 rate_limit_error: slow down',
        },
      }),
    },
    success: false,
    failureKind: 'rate_limit',
    error: /slow down/,
  },
  // --- letta: result object with prompt/completion tokens
  {
    name: 'success with prompt/completion tokens',
    agent: 'letta',
    process: {
      stdoutTail: `${JSON.stringify({ type: 'result', result: 'Wrote README.md', agent_id: 'agent-1', usage: { prompt_tokens: 1250, completion_tokens: 89 } })}\n`,
    },
    success: true,
    resultText: 'Wrote README.md',
    usage: { inputTokens: 1250, outputTokens: 89 },
  },
];

describe('adapter output parsing', () => {
  it.each(SAMPLES)('$agent: $name', (sample) => {
    const result = AGENTS[sample.agent].parseOutcome(outcome(sample.process), 'implementation');
    expect(result.agent).toBe(sample.agent);
    expect(result.success).toBe(sample.success);
    expect(result.failureKind).toBe(sample.failureKind);
    if (sample.resultText instanceof RegExp) expect(result.resultText).toMatch(sample.resultText);
    else if (sample.resultText !== undefined) expect(result.resultText).toBe(sample.resultText);
    if (sample.error) expect(result.errors.join('\n')).toMatch(sample.error);
    if (!sample.success) expect(result.errors.length).toBeGreaterThan(0);
    else expect(result.errors).toEqual([]);
    if (sample.usage) expect(result.usage).toEqual(sample.usage);
    if (sample.files) expect(result.filesReported).toEqual(sample.files);
    expect(result.verdict).toBeUndefined();
  });

  it('never throws, even on garbage, and keeps the log path', () => {
    for (const adapter of Object.values(AGENTS)) {
      const result = adapter.parseOutcome(
        outcome({ exitCode: 3, stdoutTail: '{"type": [unterminated\n\u0000\u0001', stderrTail: '' }),
        'implementation',
      );
      expect(result.success).toBe(false);
      expect(result.logPath).toBe('/tmp/log/agent.log');
      expect(result.errors[0]).toMatch(/exited with code 3/);
    }
  });

  it('reads a result object even when the tail starts mid-line', () => {
    const tail = `t":"partial line cut by the tail buffer"}\n${JSON.stringify({ type: 'result', is_error: false, result: 'ok' })}\n`;
    expect(
      AGENTS['claude-code'].parseOutcome(outcome({ stdoutTail: tail }), 'implementation').resultText,
    ).toBe('ok');
  });

  it('timeouts and cancels', () => {
    const timedOut = AGENTS.codex.parseOutcome(
      outcome({ exitCode: null, signal: 'SIGKILL', timedOut: true, durationMs: 60_000 }),
      'review',
    );
    expect(timedOut.failureKind).toBe('timeout');
    expect(timedOut.errors[0]).toMatch(/timed out after 60 s/);
    expect(timedOut.verdict).toBeUndefined();
    const canceled = AGENTS.codex.parseOutcome(
      outcome({ exitCode: null, signal: 'SIGTERM', canceled: true }),
      'implementation',
    );
    expect(canceled.success).toBe(false);
    expect(canceled.errors[0]).toMatch(/canceled/);
  });

  it('a process that never started reports its spawn failure', () => {
    const spawnFailure = {
      reason: 'binary_not_found' as const,
      code: 'ENOENT',
      message: 'claude not found on PATH',
    };
    const result = AGENTS['claude-code'].parseOutcome(
      outcome({ exitCode: null, spawnFailure }),
      'implementation',
    );
    expect(result.success).toBe(false);
    expect(result.spawnFailure).toEqual(spawnFailure);
    expect(result.errors).toEqual(['claude not found on PATH']);
  });

  it('stderr error lines of a successful run are warnings, not errors', () => {
    const result = AGENTS.augment.parseOutcome(
      outcome({ stdoutTail: 'done', stderrTail: 'warning: error reading optional config\nprogress 50%\n' }),
      'implementation',
    );
    expect(result.success).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['warning: error reading optional config']);
  });

  it('review role reads the verdict from the result text inside the JSON', () => {
    const stdout = claudeResult({
      result: 'Missing tests.\n\n{"verdict": "changes_requested", "feedback": "Add a test for empty input."}',
    });
    const result = AGENTS['claude-code'].parseOutcome(outcome({ stdoutTail: stdout }), 'review');
    expect(result.success).toBe(true);
    expect(result.verdict).toEqual({
      verdict: 'changes_requested',
      feedback: 'Add a test for empty input.',
      decidedBy: 'output',
    });
  });

  it('a reviewer that crashed without a verdict: changes_requested by exit code, plus the failure kind', () => {
    const result = AGENTS.gemini.parseOutcome(
      outcome({
        exitCode: 41,
        stderrTail: JSON.stringify({
          error: { type: 'FatalAuthenticationError', message: 'Login required', code: 41 },
        }),
      }),
      'review',
    );
    expect(result.success).toBe(false);
    expect(result.failureKind).toBe('auth');
    expect(result.verdict).toEqual({
      verdict: 'changes_requested',
      feedback: 'Login required',
      decidedBy: 'exit_code',
    });
  });
});
