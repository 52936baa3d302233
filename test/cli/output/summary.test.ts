import { afterEach, describe, expect, it } from 'vitest';
import { renderSummary } from '../../../src/cli/output/summary.js';
import type { MissionOutput } from '../../../src/machines/mission/types.js';
import { failed, succeeded } from '../../machines/support/agent-results.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { recordMissionRun } from './support/record-run.js';

let world: SimWorld | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

const nothing = { result: succeeded('claude-code'), writes: false };

function rowOf(text: string, wp: string): string {
  return text.split('\n').find((line) => new RegExp(`^\\s+${wp}\\s{2,}`).test(line)) ?? '';
}

describe('renderSummary', () => {
  it('all done: the table, what was accepted, and the merge command as next step', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second' },
    ]);
    const { output } = await recordMissionRun(
      world,
      { implementation: [{ result: failed('claude-code', 'timeout') }] },
      { maxRetries: 1, maxConcurrent: 1 },
    );
    const text = renderSummary(output, { mission: '001-demo' });
    expect(text).toContain('Mission 001-demo: completed');
    expect(text.split('\n').find((l) => l.includes('WP ') && l.includes('lane'))).toMatch(
      /WP\s+lane\s+implemented by\s+reviewed by\s+runs i\/r\s+cycles\s+duration\s+cost/,
    );
    expect(rowOf(text, 'WP01')).toMatch(/WP01\s+done\s+claude-code\s+claude-code\s+2\/1\s+1\s+\S+\s+\$0\.03/);
    expect(rowOf(text, 'WP02')).toMatch(/WP02\s+done\s+claude-code\s+claude-code\s+1\/1\s+1\s+/);
    expect(text).toContain('Reviewed and approved in this run: WP01, WP02');
    expect(text).toContain('Mission accepted (accept-mission): 001-demo');
    expect(text).toContain('`spec-kitty merge --mission 001-demo`');
    expect(text).toContain('open a pull request');
    expect(text).not.toContain('Needs attention');
    expect(text).not.toContain(String.fromCharCode(27));
  });

  it('stalled: names what is stuck and why, with the log of the WP that failed', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
    ]);
    const { output } = await recordMissionRun(world, { implementation: [nothing] });
    expect(output.status).toBe('stalled');
    const text = renderSummary(output, { mission: '001-demo', cwd: '/tmp' });
    expect(text).toContain('Mission 001-demo: stalled');
    expect(text).toContain('Stalled: no WP can move and none is running (stuck: WP02).');
    expect(text).toMatch(
      /WP01 \(blocked\): All implementation agents exhausted; last: claude-code attempt 1 failed \(no_output\)/,
    );
    expect(text).toContain('log: /logs/claude-code-implementation.log');
    expect(text).toContain('WP02 (planned): waiting for WP01 (blocked)');
    expect(text).not.toContain('spec-kitty merge');
    expect(text).toContain('blocked -> in_progress');
    expect(text).toContain('`spec-kitty agent tasks move-task WP01 --to doing --mission 001-demo`');
    expect(text).toContain('`spec-kitty-orchestrator orchestrate --mission 001-demo` again');
  });

  it('host lanes outrank what the run believed', () => {
    const output: MissionOutput = {
      status: 'finished_with_problems',
      summary: 'WP01 blocked: x',
      wps: { WP01: { wpId: 'WP01', lane: 'blocked', outcome: 'blocked', reason: 'x' } },
    };
    const stale = renderSummary(output, { mission: 'm' });
    expect(stale).toContain('Needs attention:');
    const fixed = renderSummary(output, { mission: 'm', hostLanes: { WP01: 'done' } });
    expect(rowOf(fixed, 'WP01')).toMatch(/WP01\s+done/);
    expect(fixed).toContain('spec-kitty merge --mission m');
  });

  it('failed and aborted runs say how to go on', () => {
    const failedRun: MissionOutput = {
      status: 'failed',
      summary: 'failed: host too old',
      wps: {},
      error: { code: 'CONTRACT_VERSION_MISMATCH', message: 'the host speaks 1.0.0' },
    };
    const text = renderSummary(failedRun, { mission: 'm' });
    expect(text).toContain('Error: CONTRACT_VERSION_MISMATCH: the host speaks 1.0.0');
    expect(text).toContain('spec-kitty-orchestrator resume');
    const aborted = renderSummary(
      { status: 'aborted', summary: 'aborted', wps: { WP01: { wpId: 'WP01', lane: 'in_progress' } } },
      { mission: 'm' },
    );
    expect(aborted).toContain('Mission m: aborted');
    expect(aborted).toContain('WP01 (in_progress): not run in this run (lane in_progress)');
    expect(aborted).toContain('`spec-kitty-orchestrator resume` continues this run');
  });
});
