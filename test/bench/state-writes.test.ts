import { describe, expect, it } from 'vitest';
import { analyzeRun, type RunMetricsFile } from '../../bench/analyze.js';
import { type RunResult, runMarkdown } from '../../bench/report.js';

/** One WP, no events: only the metrics file's state-write fields matter here. */
function analyze(metrics: RunMetricsFile) {
  return analyzeRun({
    dependencies: new Map([['WP01', []]]),
    concurrency: 1,
    agentMs: 10,
    makespanMs: 1000,
    startedAtMs: 0,
    endedAtMs: 1000,
    events: [],
    metrics,
    fallbackHostMs: 0,
  });
}

const metrics: RunMetricsFile = {
  wallMs: 1000,
  cpuUserMs: 10,
  cpuSystemMs: 5,
  maxRssKb: 50 * 1024,
  stateWrites: 3,
  stateBytes: 6 * 1024,
  finalStateBytes: 1024,
  maxStateWriteBytes: 3 * 1024 + 512,
  hostCalls: [],
};

function report(analysis: ReturnType<typeof analyze>): string {
  const result: RunResult = {
    name: 'simulated-chain-1-c1',
    host: 'simulated',
    shape: 'chain',
    wps: 1,
    concurrency: 1,
    agentMs: 10,
    rejected: 0,
    command: 'x',
    exitCode: 0,
    analysis,
  };
  return runMarkdown(result);
}

describe('state writes in the bench report', () => {
  it('reports the largest single write beside the total', () => {
    const analysis = analyze(metrics);
    expect(analysis.own).toMatchObject({ stateBytes: 6 * 1024, maxStateWriteBytes: 3584 });
    expect(report(analysis)).toContain('| largest single state write | 3.5 KB |');
  });

  it('says so when an older metrics file does not record it', () => {
    const { maxStateWriteBytes: _left, ...older } = metrics;
    const analysis = analyze(older);
    expect(analysis.own?.maxStateWriteBytes).toBeNull();
    expect(report(analysis)).toContain('| largest single state write | not recorded |');
  });
});
