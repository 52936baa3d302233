/**
 * The domain events the missionMachine emits (XState `emit`). A WP's own events come from its
 * wpMachine (../wp/emitted.ts); the mission adds what only it knows: a WP actor that crashed
 * (it could not tell anyone itself) and the result of the run.
 */
import type { WpOutput } from '../wp/types.js';
import { buildMissionOutput } from './context.js';
import type { MissionContext, MissionOutput } from './types.js';

/** A WP actor threw; the mission recorded it as failed with the lane it last knew. */
export interface WpCrashed {
  type: 'mission.wpCrashed';
  wpId: string;
  output: WpOutput;
}

/** The run is over: the mission's output, as `orchestrate` prints and returns it. */
export interface MissionEnded {
  type: 'mission.ended';
  mission: string;
  output: MissionOutput;
}

export type MissionEmitted = WpCrashed | MissionEnded;

export function wpCrashed(context: MissionContext, wpId: string): WpCrashed | null {
  const output = context.results[wpId];
  return output ? { type: 'mission.wpCrashed', wpId, output } : null;
}

export function missionEnded(context: MissionContext): MissionEnded {
  return { type: 'mission.ended', mission: context.mission, output: buildMissionOutput(context) };
}
