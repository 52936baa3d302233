/**
 * The machine version a saved run records: the structure counts (states, transitions, invoked
 * actors), descriptions do not, so a release that only rewords the machines' documentation
 * writes the same version as the one before.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { machineVersion, structuralVersion } from '../../../src/cli/runtime/machine-version.js';
import { missionMachine, wpMachine } from '../../../src/machines/index.js';

function lanes(options: { description: string; reviewTarget: string; extraEvent?: boolean }) {
  return createMachine({
    id: 'lanes',
    initial: 'planned',
    description: `Lanes of a WP. ${options.description}`,
    states: {
      planned: {
        description: options.description,
        on: { CLAIM: 'claimed', ...(options.extraEvent ? { SKIP: 'done' } : {}) },
      },
      claimed: { on: { SUBMIT: options.reviewTarget } },
      for_review: { on: { APPROVE: 'done' } },
      in_review: { on: { APPROVE: 'done' } },
      done: { type: 'final' },
    },
  });
}

describe('machine version', () => {
  const base = lanes({ description: 'Waiting to be claimed.', reviewTarget: 'for_review' });

  it('is the same for machines that differ only in their descriptions', () => {
    const reworded = lanes({ description: 'Not claimed by anyone yet.', reviewTarget: 'for_review' });
    expect(structuralVersion([reworded])).toBe(structuralVersion([base]));
  });

  it('differs when a transition target, an event or a state changes', () => {
    const version = structuralVersion([base]);
    expect(
      structuralVersion([lanes({ description: 'Waiting to be claimed.', reviewTarget: 'in_review' })]),
    ).not.toBe(version);
    expect(
      structuralVersion([
        lanes({ description: 'Waiting to be claimed.', reviewTarget: 'for_review', extraEvent: true }),
      ]),
    ).not.toBe(version);
  });

  it('is what this build records: the structure of the mission and wp machines', () => {
    expect(machineVersion()).toBe(structuralVersion([missionMachine, wpMachine]));
  });
});
