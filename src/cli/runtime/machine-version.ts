/**
 * A fingerprint of the machine definitions. A persisted snapshot is only resumed by the same
 * structure: state names, transitions (events, targets, guards, actions), invoked actor sources
 * and ids; otherwise XState would silently drop or mis-route children. Descriptions are left out:
 * they are documentation, and a release that only rewords one must still resume a run that an
 * earlier one saved (an upgrade in the middle of a mission).
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

/**
 * The version earlier builds wrote: the whole JSON, descriptions included. A run saved by such a
 * build is resumed when that hash equals ours (the same machines, word for word).
 */
export function legacyFullVersion(machines: readonly AnyStateMachine[]): string {
  return fingerprint(machines, () => true);
}

const MACHINES = [missionMachine, wpMachine] as const;
let cached: { current: string; legacy: string } | undefined;

function versions(): { current: string; legacy: string } {
  cached ??= { current: structuralVersion(MACHINES), legacy: legacyFullVersion(MACHINES) };
  return cached;
}

/** What a run saved by this build records. */
export function machineVersion(): string {
  return versions().current;
}

/** Whether a saved run's machine version is one this build can resume. */
export function resumableMachineVersion(saved: string): boolean {
  const { current, legacy } = versions();
  return saved === current || saved === legacy;
}
