/**
 * The simulated host's on-disk state: one JSON document per mission, validated with zod when read
 * (the file is a boundary: a person or another process may have edited it).
 */
import { z } from 'zod';
import { LANES } from '../lanes.js';

export const SIMULATED_CONTRACT_VERSION = '1.5.0';
export const SIMULATED_MIN_PROVIDER_VERSION = '0.1.0';
export const SIMULATED_HOST_VERSION = '3.2.7';

const subtaskStatus = z.enum(['planned', 'done']);

export const storedWorkPackageSchema = z.object({
  wp_id: z.string(),
  title: z.string(),
  dependencies: z.array(z.string()),
  subtasks: z.record(z.string(), subtaskStatus),
  /** Subtask ids in authored order (records do not promise an order). */
  subtask_order: z.array(z.string()),
  lane: z.enum(LANES),
  /** Repository-relative path of the prompt file. */
  prompt_path: z.string(),
  lane_id: z.string(),
  /**
   * Actor of the last lane event. The real host decides claim conflicts on it (and still reports
   * `last_actor: null` in mission-state), so we keep it apart from what we print.
   */
  current_actor: z.string().nullable(),
});
export type StoredWorkPackage = z.infer<typeof storedWorkPackageSchema>;

export const storedLaneSchema = z.object({
  lane_id: z.string(),
  wp_ids: z.array(z.string()),
  depends_on_lanes: z.array(z.string()),
  parallel_group: z.number().int(),
});
export type StoredLane = z.infer<typeof storedLaneSchema>;

export const storedMissionSchema = z.object({
  format: z.literal(1),
  mission_slug: z.string(),
  mission_number: z.number().int().nullable(),
  mission_type: z.string(),
  title: z.string(),
  target_branch: z.string(),
  mission_branch: z.string(),
  created_at: z.string(),
  work_packages: z.array(storedWorkPackageSchema),
  lanes: z.array(storedLaneSchema),
  acceptance: z.object({ accepted_at: z.string(), accepted_by: z.string() }).nullable(),
});
export type StoredMission = z.infer<typeof storedMissionSchema>;

/** A lane event, shaped like a line of the real host's status.events.jsonl. */
export interface LaneEvent {
  actor: string;
  at: string;
  event_id: string;
  evidence: Record<string, unknown> | null;
  execution_mode: 'worktree';
  force: boolean;
  from_lane: string;
  mission_slug: string;
  policy_metadata: Record<string, unknown> | null;
  reason: string | null;
  review_ref: string | null;
  review_result?: { reference: string; reviewer: string; verdict: string };
  to_lane: string;
  wp_id: string;
}

/** An off-axis annotation (subtask status, history note), like the real host's `kind: annotation`. */
export interface AnnotationEvent {
  actor: string;
  at: string;
  delta: Record<string, unknown>;
  event_id: string;
  kind: 'annotation';
  wp_id: string;
}

export type StoredEvent = LaneEvent | AnnotationEvent;

export function findWorkPackage(mission: StoredMission, wpId: string): StoredWorkPackage | undefined {
  return mission.work_packages.find((wp) => wp.wp_id === wpId);
}

export function laneOf(mission: StoredMission, laneId: string): StoredLane | undefined {
  return mission.lanes.find((lane) => lane.lane_id === laneId);
}

/**
 * `001-demo` -> 1, the way the real host reports `mission_number`; null for a slug without a
 * number (the host's own `agent mission create` numbers nothing: `demo-01M8Y1KV`).
 */
export function missionNumberOf(slug: string): number | null {
  const number = /^(\d+)-/.exec(slug)?.[1];
  return number === undefined ? null : Number.parseInt(number, 10);
}

/** The identity fields every real-host payload starts with. */
export function missionIdentity(mission: StoredMission): {
  mission_slug: string;
  mission_number: number | null;
  mission_type: string;
} {
  return {
    mission_slug: mission.mission_slug,
    mission_number: mission.mission_number,
    mission_type: mission.mission_type,
  };
}
