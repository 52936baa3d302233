/**
 * What a restored WP actor does with the step its saved snapshot was in. XState re-runs every
 * invoke of a restored actor with its saved input; that is harmless for reads, local steps and
 * waits, but a lane mutation or an agent run may already have happened (the kill can fall after
 * the host call was sent, or while the agent worked). Those steps are restored as `restoring`
 * instead: the host lane is read first, and the WP goes back to the very step only when the
 * lane shows the step had not taken effect.
 */
import type { Lane } from '../../host/lanes.js';

/** Steps whose invoke is safe to run again as saved (a read, a local idempotent step, a wait). */
export const RERUN_STEPS: ReadonlySet<string> = new Set([
  'inProgress.preparing',
  'inProgress.committing',
  'inProgress.retryWait',
  'forReview.resolvingWorkspace',
  'forReview.preparingReview',
  'inReview.summarizing',
  'inReview.reviewRetryWait',
  'reconciling',
  'restoring',
]);

/** Steps that send a lane change or run an agent, with the id of the invoke that does it. */
export const RECONCILE_STEPS: Readonly<Record<string, string>> = {
  claiming: 'claim',
  submitting: 'submit',
  recoveringReview: 'recoverReview',
  'forReview.claimingReview': 'startReview',
  requestingChanges: 'requestChanges',
  completing: 'complete',
  blocking: 'block',
  'inProgress.implementing': 'agent',
  'inReview.reviewing': 'reviewer',
};

/**
 * Steps routing can send a restored WP straight back to (the `resumeAt` transitions, in this
 * order). Steps not listed here are re-entered from the host lane the ordinary way (claiming and
 * recoveringReview are what routing picks for their lanes anyway). `inReview` is the review that
 * follows a start-review which took effect before the kill.
 */
export const RESUME_TARGETS = [
  'inProgress.implementing',
  'submitting',
  'forReview.claimingReview',
  'inReview',
  'inReview.reviewing',
  'completing',
  'requestingChanges',
  'blocking',
] as const;

export type ResumeTarget = (typeof RESUME_TARGETS)[number];

/**
 * Where a restored WP continues, given the step it was saved in, the lane it had then, and the
 * lane the host reports now. Unchanged lane: the step had not taken effect (or is an agent run
 * the kill interrupted), so it is done again. Moved lane: only a start-review that took effect is
 * followed into the review; anything else is routed from the host lane.
 */
export function resumeStepAfterRestore(step: string | null, savedLane: Lane, hostLane: Lane): string | null {
  if (step === null) return null;
  if (hostLane === savedLane) return step;
  if (step === 'forReview.claimingReview' && hostLane === 'in_review') return 'inReview';
  return null;
}
