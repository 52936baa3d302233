/**
 * zod schemas of the host contract (`spec-kitty orchestrator-api`, contract >= 1.3.0).
 * Objects are loose: the host may add fields in minor versions, and we must keep working.
 * Required fields are the ones we decide on; everything else is optional.
 */
import { z } from 'zod';
import { LANES } from './lanes.js';

export const laneSchema = z.enum(LANES);

export const envelopeSchema = z.looseObject({
  contract_version: z.string(),
  command: z.string(),
  timestamp: z.string(),
  correlation_id: z.string(),
  success: z.boolean(),
  error_code: z.string().nullable(),
  data: z.looseObject({}),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const laneInfo = {
  lane_id: z.string().nullish(),
  lane_branch: z.string().nullish(),
  lane_base_ref: z.string().nullish(),
};

export const contractVersionData = z.looseObject({
  api_version: z.string(),
  min_supported_provider_version: z.string(),
  // Contract >= 1.12 (spec-kitty-cli 4.0.0rc7): the verbs this host answers. Absent on 3.2.7.
  delivery_profile: z.looseObject({ supported: z.array(z.string()).optional() }).optional(),
});

export const workPackageStateSchema = z.looseObject({
  wp_id: z.string(),
  lane: laneSchema,
  dependencies: z.array(z.string()),
  last_actor: z.string().nullable().optional(),
});
export type WorkPackageState = z.infer<typeof workPackageStateSchema>;

export const missionStateData = z.looseObject({
  mission_slug: z.string(),
  mission_id: z.string().nullish(),
  mission_number: z.union([z.string(), z.number()]).nullish(),
  mission_type: z.string().nullish(),
  summary: z.record(z.string(), z.number()),
  work_packages: z.array(workPackageStateSchema),
});
export type MissionState = z.infer<typeof missionStateData>;

export const readyWorkPackageSchema = z.looseObject({
  wp_id: z.string(),
  lane: laneSchema,
  dependencies_satisfied: z.boolean(),
  recommended_base: z.string().nullable().optional(),
});

export const listReadyData = z.looseObject({
  mission_slug: z.string(),
  ready_work_packages: z.array(readyWorkPackageSchema),
});
export type ListReady = z.infer<typeof listReadyData>;

export const resolveWorkspaceData = z.looseObject({
  mission_slug: z.string(),
  wp_id: z.string(),
  workspace_path: z.string(),
  prompt_path: z.string(),
  ...laneInfo,
});
export type ResolvedWorkspace = z.infer<typeof resolveWorkspaceData>;

export const startImplementationData = z.looseObject({
  mission_slug: z.string(),
  wp_id: z.string(),
  from_lane: laneSchema,
  to_lane: laneSchema,
  workspace_path: z.string(),
  prompt_path: z.string(),
  policy_metadata_recorded: z.boolean(),
  no_op: z.boolean(),
  ...laneInfo,
});
export type StartedImplementation = z.infer<typeof startImplementationData>;

export const startReviewData = z.looseObject({
  mission_slug: z.string(),
  wp_id: z.string(),
  from_lane: laneSchema,
  to_lane: laneSchema,
  prompt_path: z.string(),
  policy_metadata_recorded: z.boolean(),
  no_op: z.boolean().optional(),
});
export type StartedReview = z.infer<typeof startReviewData>;

export const transitionData = z.looseObject({
  mission_slug: z.string(),
  wp_id: z.string(),
  from_lane: laneSchema,
  to_lane: laneSchema,
  policy_metadata_recorded: z.boolean(),
});
export type Transitioned = z.infer<typeof transitionData>;

export const appendHistoryData = z.looseObject({
  mission_slug: z.string(),
  wp_id: z.string(),
  history_entry_id: z.string(),
});
export type HistoryAppended = z.infer<typeof appendHistoryData>;

export const acceptMissionData = z.looseObject({
  mission_slug: z.string(),
  accepted: z.boolean(),
  mode: z.string(),
  accepted_at: z.string().nullish(),
  accepted_wps: z.array(z.string()).optional(),
  approved_wps: z.array(z.string()).optional(),
  done_wps: z.array(z.string()).optional(),
  merge_pending_wps: z.array(z.string()).optional(),
});
export type MissionAccepted = z.infer<typeof acceptMissionData>;

export const mergeMissionData = z.looseObject({
  mission_slug: z.string(),
  merged: z.boolean(),
  target_branch: z.string(),
  strategy: z.string(),
  // spec-kitty-cli 3.2.7 does not send merged_wps (measured): optional.
  merged_wps: z.array(z.string()).optional(),
  worktree_removed: z.boolean(),
});
export type MissionMerged = z.infer<typeof mergeMissionData>;

/**
 * design-status (contract >= 1.4): where the mission's design phase stands. An open decision
 * carries its id and origin only (its question lives in the mission folder, which is not ours
 * to read); measured the same on 3.2.7 and 4.0.0rc7.
 */
export const openDecisionSchema = z.looseObject({ decision_id: z.string(), origin: z.string().nullish() });
export type OpenDecision = z.infer<typeof openDecisionSchema>;
export const designStatusData = z.looseObject({
  mission_slug: z.string(),
  current_phase: z.string().nullish(),
  next_action: z.string().nullish(),
  open_decisions: z.array(openDecisionSchema),
});
export type DesignStatus = z.infer<typeof designStatusData>;

export const resolveDecisionData = z.looseObject({
  decision_id: z.string(),
  status: z.string(),
  idempotent: z.boolean().optional(),
});
export type DecisionResolved = z.infer<typeof resolveDecisionData>;

/** One readiness check the host skipped or could not run (accept-mission, contract >= 1.7). */
export const acceptanceCheckSchema = z.looseObject({ check: z.string(), detail: z.string().nullish() });

/** Every error payload carries a message; some codes add fields (kept loose). */
export const errorData = z.looseObject({
  message: z.string(),
  claimed_by: z.string().nullish(),
  requesting_actor: z.string().nullish(),
  incomplete_wps: z.array(z.string()).optional(),
  candidates: z.array(z.unknown()).optional(),
  unsatisfied_dependencies: z.array(z.string()).optional(),
  // MISSION_NOT_READY from a host that applies its readiness verdict (contract >= 1.7):
  // outstanding items by category (metadata, activity, missing_artifacts, git_dirty...).
  outstanding: z.record(z.string(), z.array(z.string())).optional(),
  activity_issues: z.array(z.string()).optional(),
  skipped_checks: z.array(acceptanceCheckSchema).optional(),
  blocked_checks: z.array(acceptanceCheckSchema).optional(),
  // PREFLIGHT_FAILED of merge/consolidate: the refusal's stable sub-codes (contract >= 1.9).
  errors: z.array(z.string()).optional(),
  target_branch: z.string().nullish(),
  preflight_error_code: z.string().nullish(),
  preflight_error_codes: z.array(z.string()).optional(),
  teardown_error_code: z.string().nullish(),
  destructive_op_error_code: z.string().nullish(),
});
export type HostErrorData = z.infer<typeof errorData>;

/** The `data` schema of each command's success envelope. */
export const COMMAND_DATA = {
  'contract-version': contractVersionData,
  'mission-state': missionStateData,
  'list-ready': listReadyData,
  'resolve-workspace': resolveWorkspaceData,
  'start-implementation': startImplementationData,
  'start-review': startReviewData,
  transition: transitionData,
  'append-history': appendHistoryData,
  'accept-mission': acceptMissionData,
  'merge-mission': mergeMissionData,
  // The same verb renamed (contract 1.10 era, no alias on 4.0.0rc7); same payload (measured).
  'consolidate-mission': mergeMissionData,
  'design-status': designStatusData,
  'resolve-decision': resolveDecisionData,
} as const;

export type HostCommand = keyof typeof COMMAND_DATA;
export type CommandData<C extends HostCommand> = z.infer<(typeof COMMAND_DATA)[C]>;

/** Commands that change host state: serialized per WP, never blindly retried. */
export const MUTATING_COMMANDS: ReadonlySet<HostCommand> = new Set<HostCommand>([
  'start-implementation',
  'start-review',
  'transition',
  'append-history',
  'accept-mission',
  'merge-mission',
  'consolidate-mission',
  'resolve-decision',
]);
