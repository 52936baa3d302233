import type { RunState } from '../../../src/actors/persistence/run-state-schema.js';

/** A valid run state; `overrides` change the envelope, `tick` makes each state distinguishable. */
export function sampleRunState(repoRoot: string, tick = 0, overrides: Partial<RunState> = {}): RunState {
  return {
    format: 'spec-kitty-orchestrator/run-state',
    formatVersion: 1,
    machineVersion: 'mission@1',
    runId: 'run-20250101-abc',
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: { orchestrator_id: 'spec-kitty-orchestrator', approval_mode: 'full_auto' },
    repoRoot,
    startedAt: '2025-01-01T10:00:00.000Z',
    updatedAt: new Date(Date.UTC(2025, 0, 1, 10, 0, tick % 60, tick % 1000)).toISOString(),
    status: 'running',
    pid: process.pid,
    snapshot: {
      status: 'active',
      value: { running: 'polling' },
      context: { tick, workPackages: { WP01: { retries: tick % 3, agentsTried: ['claude-code'] } } },
      children: {},
      historyValue: {},
    },
    ...overrides,
  };
}
