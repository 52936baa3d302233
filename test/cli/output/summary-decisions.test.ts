/**
 * A stalled run explained by the host's open design decisions: each decision with the command
 * that answers it, and the next step says a person is needed; without decisions, the usual step.
 */
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../../src/cli/output/summary.js';
import type { MissionOutput } from '../../../src/machines/mission/types.js';

const stalled: MissionOutput = {
  status: 'stalled',
  summary: 'no WP can move',
  wps: { WP01: { wpId: 'WP01', lane: 'planned' } },
};

describe('summary of a stalled run', () => {
  it('names each open decision and how to answer it', () => {
    const text = renderSummary(stalled, {
      mission: '001-demo',
      openDecisions: [{ decision_id: '01M8XRQ85P', origin: 'plan' }],
    });
    expect(text).toContain('1 design decision is waiting for a person (mission 001-demo):');
    expect(text).toContain(
      "01M8XRQ85P (from plan): answer with `spec-kitty-orchestrator decide --mission 001-demo --decision 01M8XRQ85P --answer '<your answer>'`",
    );
    expect(text).toContain('Next: answer the decisions above');
    expect(text).not.toContain('Next: read the logs above');
  });

  it('keeps the usual next step when nothing waits for a person', () => {
    const text = renderSummary(stalled, { mission: '001-demo', openDecisions: [] });
    expect(text).not.toContain('design decision');
    expect(text).toContain('Next: read the logs above and fix the causes.');
  });
});
