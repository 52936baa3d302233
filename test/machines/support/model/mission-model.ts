/** The missionMachine model: host answers, child outcomes, ABORT; and a projection bounding the states. */
import type { AnyStateMachine } from 'xstate';
import type { MissionContext } from '../../../../src/machines/mission/types.js';
import type { WpOutcome, WpOutput } from '../../../../src/machines/wp/types.js';
import type { ModelEvent } from './wp-model.js';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;
const AT = 1_700_000_000_000;

/** mission-state with WP01 and WP02 (which depends on WP01) in the given lanes. */
export function missionState(lanes: [string, string]) {
  return {
    mission_slug: '001-demo',
    summary: {},
    work_packages: [
      { wp_id: 'WP01', lane: lanes[0], dependencies: [] },
      { wp_id: 'WP02', lane: lanes[1], dependencies: ['WP01'] },
    ],
  };
}

const LANES_OF: Record<WpOutcome, string> = { done: 'done', blocked: 'blocked', failed: 'in_progress' };

function wpOutput(wpId: string, outcome: WpOutcome): WpOutput {
  return {
    wpId,
    outcome,
    lane: LANES_OF[outcome] as WpOutput['lane'],
    agents: { implementation: ['claude-code'], review: [] },
    attempts: { implementation: 1, review: 0 },
    reviewCycles: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    durationMs: 1,
    logPaths: [],
    ...(outcome === 'done' ? {} : { reason: `${outcome} (scripted)` }),
  };
}

const error = (code: string) => ({ code, message: `${code} (scripted)` });

export function missionPayloads(snapshot: Snapshot, type: string): ModelEvent[] | undefined {
  const context = snapshot.context as MissionContext;
  switch (type) {
    case 'STATE_REFRESHED':
      return []; // raised internally by the poller, never sent from outside
    case 'xstate.done.actor.*':
      return context.inFlight.flatMap((id) =>
        (['done', 'blocked', 'failed'] as const).map((outcome) => ({
          type: `xstate.done.actor.${id}`,
          output: wpOutput(id, outcome),
        })),
      );
    case 'WP.FLOW_ENDED':
      // Sent by a live child as its lane flow ends, before its last notes are written.
      return context.inFlight
        .filter((id) => !context.draining.includes(id))
        .flatMap((id) =>
          (['done', 'blocked', 'failed'] as const).map((outcome) => ({
            type,
            output: wpOutput(id, outcome),
          })),
        );
    case 'xstate.error.actor.*':
      return context.inFlight.map((id) => ({
        type: `xstate.error.actor.${id}`,
        error: error('WP_ACTOR_CRASHED'),
      }));
    case 'xstate.done.actor.contract':
      return ['1.5.0', '1.2.0'].map((apiVersion) => ({
        type,
        output: { data: { apiVersion, minSupportedProviderVersion: '0.1.0' }, at: AT },
      }));
    case 'xstate.done.actor.initialState':
      return (
        [
          ['planned', 'planned'],
          ['done', 'done'],
          ['blocked', 'planned'],
          ['blocked', 'canceled'],
        ] as [string, string][]
      ).map((lanes) => ({ type, output: { data: missionState(lanes), at: AT } }));
    case 'xstate.done.actor.poll':
    case 'xstate.done.actor.confirmState':
      return [{ type, output: { data: missionState(['planned', 'planned']), at: AT + 1000 } }];
    case 'xstate.done.actor.pollTimer':
      return [{ type, output: { at: AT + 30_000 } }];
    case 'xstate.done.actor.accept':
      return [{ type, output: { data: { mission_slug: '001-demo', accepted: true, mode: 'auto' }, at: AT } }];
    default:
      if (type.startsWith('xstate.error.actor.')) return [{ type, error: error('MISSION_NOT_READY') }];
      return undefined;
  }
}

export function missionProjection(snapshot: Snapshot) {
  const c = snapshot.context as MissionContext;
  return {
    lanes: c.wpOrder.map((id) => c.known[id]?.lane),
    inFlight: c.inFlight,
    draining: c.draining,
    results: Object.fromEntries(Object.entries(c.results).map(([id, r]) => [id, r.outcome])),
    fresh: c.stateFresh,
    pollErrors: c.pollErrors,
    status: c.status,
  };
}

export function missionEventKind(event: ModelEvent): string {
  const output = event.output as
    | { outcome?: string; data?: { apiVersion?: string; work_packages?: { lane: string }[] } }
    | undefined;
  return `${event.type}:${output?.outcome ?? output?.data?.apiVersion ?? output?.data?.work_packages?.map((w) => w.lane).join(',') ?? ''}`;
}
