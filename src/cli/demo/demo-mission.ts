/**
 * The demo's sample mission and what its fake agents do: a small dependency graph with one
 * failed attempt (retried) and one rejected review (reworked), so a first run shows the whole
 * lifecycle in under a minute.
 */
import type { MissionSpecInput } from '../../host/simulated/index.js';

export const DEMO_MISSION: MissionSpecInput = {
  slug: '001-demo-greeter',
  title: 'Demo: a tiny greeter library',
  workPackages: [
    { id: 'WP01', title: 'Project skeleton', subtasks: ['T001'], prompt: 'Create the package skeleton.' },
    {
      id: 'WP02',
      title: 'Greeting function',
      dependencies: ['WP01'],
      subtasks: ['T002'],
      prompt: 'Add greet(name).',
    },
    {
      id: 'WP03',
      title: 'Command-line entry',
      dependencies: ['WP01'],
      subtasks: ['T003'],
      prompt: 'Add a CLI.',
    },
    {
      id: 'WP04',
      title: 'Documentation',
      dependencies: ['WP02', 'WP03'],
      subtasks: ['T004'],
      prompt: 'Write the README.',
    },
  ],
};

/** Fake-agent scenario (fixtures/agents/README.md): WP02 fails once, WP03's first review asks for changes. */
export function demoScenario(agentMs: number): Record<string, unknown> {
  const implement = {
    action: 'implement',
    sleepMs: agentMs,
    usage: { inputTokens: 1200, outputTokens: 800, costUsd: 0.02 },
  };
  const approve = {
    action: 'approve',
    sleepMs: Math.round(agentMs / 2),
    usage: { inputTokens: 900, outputTokens: 120, costUsd: 0.01 },
  };
  return {
    WP02: {
      implementation: [
        { action: 'fail', exitCode: 1, message: 'simulated crash of the agent', sleepMs: agentMs },
        implement,
      ],
    },
    WP03: {
      review: [
        {
          action: 'request_changes',
          feedback: 'Please add a --help flag.',
          sleepMs: Math.round(agentMs / 2),
        },
        approve,
      ],
    },
    '*': { implementation: implement, review: approve },
  };
}
