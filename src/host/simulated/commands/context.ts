/** What every simulated command shares: the repo it works on, typed failures, and small helpers. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { OptionSpec, ParsedArgs } from '../argv.js';
import { type JsonValue, pythonUtcIso } from '../envelope.js';
import { readMission } from '../mission-store.js';
import { findWorkPackage, type LaneEvent, type StoredMission, type StoredWorkPackage } from '../model.js';
import { validatePolicy } from '../policy.js';

export interface HostContext {
  /** The primary checkout the host works on (never a lane worktree). */
  repoRoot: string;
}

export type EnvelopeData = Record<string, JsonValue | undefined>;

/** A refusal the host reports as an error envelope (exit 1). */
export class HostFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly data: EnvelopeData = {},
  ) {
    super(message);
    this.name = 'HostFailure';
  }
}

/** A failure the real host reports with a traceback on stderr and nothing on stdout (exit 1). */
export class HostCrash extends Error {
  constructor(readonly exceptionLine: string) {
    super(exceptionLine);
    this.name = 'HostCrash';
  }
}

export interface OrchestratorCommand {
  name: string;
  options: readonly OptionSpec[];
  run(args: ParsedArgs, context: HostContext): Promise<EnvelopeData>;
}

export async function requireMission(context: HostContext, slug: string): Promise<StoredMission> {
  const mission = await readMission(context.repoRoot, slug);
  if (!mission) throw new HostFailure('MISSION_NOT_FOUND', `Mission '${slug}' not found in kitty-specs/`);
  return mission;
}

export function requireWorkPackage(
  mission: StoredMission,
  wpId: string,
  missionArg: string,
): StoredWorkPackage {
  const wp = findWorkPackage(mission, wpId);
  if (!wp) throw new HostFailure('WP_NOT_FOUND', `Work package '${wpId}' not found in ${missionArg}`);
  return wp;
}

/** Parses `--policy`; `required` commands refuse its absence with POLICY_METADATA_REQUIRED. */
export function policyFrom(
  raw: string | undefined,
  requiredMessage: string | null,
): Record<string, unknown> | null {
  if (!raw) {
    if (requiredMessage) throw new HostFailure('POLICY_METADATA_REQUIRED', requiredMessage);
    return null;
  }
  const checked = validatePolicy(raw);
  if (!checked.ok) throw new HostFailure('POLICY_VALIDATION_FAILED', checked.message);
  return checked.policy;
}

export function absolutePromptPath(context: HostContext, wp: StoredWorkPackage): string {
  return path.join(context.repoRoot, wp.prompt_path);
}

export function nowIso(): string {
  return pythonUtcIso(new Date());
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped event id (time-ordered, like the real host's event ids). */
export function newEventId(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const tail = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');
  return head + tail;
}

export interface LaneMove {
  mission: StoredMission;
  wp: StoredWorkPackage;
  to: LaneEvent['to_lane'];
  actor: string;
  policy: Record<string, unknown> | null;
  force?: boolean;
  reason?: string | null;
  reviewRef?: string | null;
  reviewResult?: LaneEvent['review_result'];
  evidence?: Record<string, unknown> | null;
}

/** Moves the WP (in memory) and returns the event to append. */
export function moveLane(move: LaneMove): LaneEvent {
  const event: LaneEvent = {
    actor: move.actor,
    at: nowIso(),
    event_id: newEventId(),
    evidence: move.evidence ?? null,
    execution_mode: 'worktree',
    force: move.force ?? false,
    from_lane: move.wp.lane,
    mission_slug: move.mission.mission_slug,
    policy_metadata: move.policy,
    reason: move.reason ?? null,
    review_ref: move.reviewRef ?? null,
    ...(move.reviewResult ? { review_result: move.reviewResult } : {}),
    to_lane: move.to,
    wp_id: move.wp.wp_id,
  };
  move.wp.lane = move.to as StoredWorkPackage['lane'];
  move.wp.current_actor = move.actor;
  return event;
}
