/**
 * A fingerprint of the machine definitions. A persisted snapshot is only restored by the same
 * definitions: state names, invoke ids and context shapes must match, or XState would silently
 * drop or mis-route children.
 */
import { createHash } from 'node:crypto';
import { missionMachine, wpMachine } from '../../machines/index.js';

let cached: string | undefined;

export function machineVersion(): string {
  cached ??= createHash('sha256')
    .update(JSON.stringify(missionMachine.toJSON()))
    .update(JSON.stringify(wpMachine.toJSON()))
    .digest('hex')
    .slice(0, 16);
  return cached;
}
