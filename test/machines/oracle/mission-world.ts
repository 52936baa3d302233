/**
 * The world's answers along a missionMachine model path as plain data for the oracle: host
 * answers (contract version, mission-state reads, acceptance), timer ticks, WP actors ending
 * (their flow, or the actor itself, or a crash) and the user's abort.
 */
import type { Lane } from '../../../src/host/lanes.js';
import type { ModelPath } from '../support/model/paths.js';
import type { ModelEvent } from '../support/model/wp-model.js';

export interface HostWp {
  wp: string;
  lane: Lane;
  dependencies: string[];
}

export type MissionAnswer =
  | { kind: 'contract'; failed: boolean; apiVersion: string | null }
  | { kind: 'missionState'; call: 'initialState' | 'poll' | 'confirmState'; failed: boolean; wps: HostWp[] }
  | { kind: 'pollTimer' }
  | { kind: 'accept'; failed: boolean }
  | { kind: 'wpFlowEnded' | 'wpFinished'; wp: string; outcome: 'done' | 'blocked' | 'failed'; lane: Lane }
  | { kind: 'wpCrashed'; wp: string }
  | { kind: 'abort' };

interface WpEnding {
  wpId: string;
  outcome: 'done' | 'blocked' | 'failed';
  lane: Lane;
}

export function missionAnswer(event: ModelEvent): MissionAnswer {
  if (event.type === 'ABORT') return { kind: 'abort' };
  const output = event.output as Record<string, unknown> | undefined;
  if (event.type === 'WP.FLOW_ENDED') {
    const ending = output as unknown as WpEnding;
    return { kind: 'wpFlowEnded', wp: ending.wpId, outcome: ending.outcome, lane: ending.lane };
  }
  const failed = event.type.startsWith('xstate.error.actor.');
  const call = event.type.replace(/^xstate\.(done|error)\.actor\./, '');
  const data = output?.data as
    | { apiVersion?: string; work_packages?: { wp_id: string; lane: Lane; dependencies: string[] }[] }
    | undefined;
  switch (call) {
    case 'contract':
      return { kind: 'contract', failed, apiVersion: data?.apiVersion ?? null };
    case 'initialState':
    case 'poll':
    case 'confirmState':
      return {
        kind: 'missionState',
        call,
        failed,
        wps: (data?.work_packages ?? []).map((wp) => ({
          wp: wp.wp_id,
          lane: wp.lane,
          dependencies: wp.dependencies,
        })),
      };
    case 'pollTimer':
      return { kind: 'pollTimer' };
    case 'accept':
      return { kind: 'accept', failed };
    default: {
      // Every other invoke or spawn id is a WP actor (its id is the WP id).
      if (failed) return { kind: 'wpCrashed', wp: call };
      const ending = output as unknown as WpEnding;
      return { kind: 'wpFinished', wp: call, outcome: ending.outcome, lane: ending.lane };
    }
  }
}

export function missionAnswers(path: ModelPath): MissionAnswer[] {
  return path.steps.map((step) => missionAnswer(step.event as ModelEvent));
}
