/**
 * A fingerprint of the machine definitions, recorded with every saved run and named when `resume`
 * refuses one: state names, transitions (events, targets, guards, actions), invoked actor sources
 * and ids. Descriptions are left out: they are documentation. `resume` itself checks the saved
 * snapshot against the machines (machines/restore/persisted-run.ts), so an upgrade in the middle
 * of a mission resumes whenever the snapshot still maps onto this build's states.
 */
import { createHash } from 'node:crypto';
import type { AnyStateMachine } from 'xstate';
import { missionMachine, wpMachine } from '../../machines/index.js';

/** Keys of a machine's JSON that say nothing about how it runs. */
const DOCUMENTATION_KEYS = new Set(['description']);

function fingerprint(machines: readonly AnyStateMachine[], keep: (key: string) => boolean): string {
  const hash = createHash('sha256');
  for (const machine of machines)
    hash.update(JSON.stringify(machine.toJSON(), (key, value) => (keep(key) ? value : undefined)));
  return hash.digest('hex').slice(0, 16);
}

/** The structural version of `machines` (descriptions left out). */
export function structuralVersion(machines: readonly AnyStateMachine[]): string {
  return fingerprint(machines, (key) => !DOCUMENTATION_KEYS.has(key));
}

const MACHINES = [missionMachine, wpMachine] as const;
let cached: string | undefined;

/** What a run saved by this build records. */
export function machineVersion(): string {
  cached ??= structuralVersion(MACHINES);
  return cached;
}
