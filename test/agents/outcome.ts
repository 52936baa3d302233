import type { ProcessOutcome } from '../../src/agents/types.js';

/** A finished process as the supervisor would report it. */
export function outcome(partial: Partial<ProcessOutcome> = {}): ProcessOutcome {
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    canceled: false,
    stdoutTail: '',
    stderrTail: '',
    durationMs: 1500,
    logPath: '/tmp/log/agent.log',
    ...partial,
  };
}

export const jsonl = (...records: unknown[]): string =>
  `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
