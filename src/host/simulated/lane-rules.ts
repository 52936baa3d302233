/**
 * The real host's lane state machine (spec-kitty-cli 3.2.7, `status/wp_state.py`): which edges
 * exist, which guards run on them, and how `--force` (which needs a reason) overrides both.
 * Pure: the caller derives the facts (subtasks complete, evidence present) and passes them in.
 */
import type { Lane } from '../lanes.js';

const EDGES: Readonly<Record<Lane, readonly Lane[]>> = {
  planned: ['claimed', 'blocked', 'canceled'],
  claimed: ['in_progress', 'blocked', 'canceled'],
  in_progress: ['for_review', 'approved', 'planned', 'blocked', 'canceled'],
  for_review: ['in_review', 'blocked', 'canceled'],
  in_review: ['approved', 'done', 'in_progress', 'planned', 'blocked', 'canceled'],
  approved: ['done', 'in_progress', 'planned', 'blocked', 'canceled'],
  done: [],
  blocked: ['in_progress', 'canceled'],
  canceled: [],
};

export interface ReviewOutcome {
  reviewer: string;
  verdict: string;
  reference: string;
}

export interface TransitionFacts {
  actor: string;
  force: boolean;
  reason: string | null;
  reviewRef: string | null;
  reviewResult: ReviewOutcome | null;
  /** The `review` part of `--evidence-json`, already checked to have all three fields. */
  evidenceReview: ReviewOutcome | null;
  subtasksComplete: boolean;
  implementationEvidencePresent: boolean;
}

const REVIEWER_APPROVAL_REQUIRED =
  'Transition to approved/done requires evidence (reviewer identity and approval reference)';
const FORCE_NEEDS_REASON = 'Force transitions require actor and reason';

/** Null when the move is allowed, else the host's refusal message. */
export function checkTransition(from: Lane, to: Lane, facts: TransitionFacts): string | null {
  if (!EDGES[from].includes(to)) {
    return facts.force ? checkForce(facts) : `Illegal transition: ${from} -> ${to}`;
  }
  if (facts.force) return checkForce(facts);
  return guard(from, to, facts);
}

export function isEdge(from: Lane, to: Lane): boolean {
  return EDGES[from].includes(to);
}

function checkForce(facts: TransitionFacts): string | null {
  return blank(facts.actor) || blank(facts.reason) ? FORCE_NEEDS_REASON : null;
}

function guard(from: Lane, to: Lane, facts: TransitionFacts): string | null {
  switch (from) {
    case 'planned':
      return to === 'claimed' && blank(facts.actor) ? 'Transition requires actor identity' : null;
    case 'in_progress':
      if (to === 'for_review') {
        if (!facts.subtasksComplete) {
          return 'Transition in_progress -> for_review requires completed subtasks or force with reason';
        }
        if (!facts.implementationEvidencePresent) {
          return 'Transition in_progress -> for_review requires implementation evidence or force with reason';
        }
        return null;
      }
      if (to === 'approved') return approvedByEvidence(facts);
      if (to === 'planned' && blank(facts.reason)) return 'Transition in_progress -> planned requires reason';
      return null;
    case 'for_review':
      return to === 'in_review' && blank(facts.actor) ? 'Transition requires actor identity' : null;
    case 'in_review':
      return leaveReview(to, facts);
    case 'approved':
      if (to === 'done') return approvedByEvidence(facts);
      if ((to === 'in_progress' || to === 'planned') && blank(facts.reviewRef)) {
        return 'Transition requires review_ref (review feedback reference)';
      }
      return null;
    default:
      return null;
  }
}

/** Every exit from in_review needs a structured review result; approval exits need an approval. */
function leaveReview(to: Lane, facts: TransitionFacts): string | null {
  const result = facts.reviewResult;
  if (!result) return 'Transition from in_review requires review_result (structured review outcome)';
  if (blank(result.reviewer)) return 'Transition from in_review requires review_result with reviewer';
  if (blank(result.verdict)) return 'Transition from in_review requires review_result with verdict';
  if (blank(result.reference)) return 'Transition from in_review requires review_result with reference';
  if (to === 'approved' || to === 'done') {
    if (facts.evidenceReview) {
      const refusal = approvedByEvidence(facts);
      if (refusal) return refusal;
    } else if (result.verdict !== 'approved') {
      return REVIEWER_APPROVAL_REQUIRED;
    }
  }
  if (facts.reviewRef !== null && facts.reviewRef !== result.reference) {
    return 'review_ref must match review_result.reference';
  }
  const evidence = facts.evidenceReview;
  if (
    evidence &&
    (evidence.reviewer !== result.reviewer ||
      evidence.verdict !== result.verdict ||
      evidence.reference !== result.reference)
  ) {
    return 'Review evidence must match review_result';
  }
  return null;
}

function approvedByEvidence(facts: TransitionFacts): string | null {
  const review = facts.evidenceReview;
  if (!review || blank(review.reviewer) || blank(review.reference) || review.verdict !== 'approved') {
    return REVIEWER_APPROVAL_REQUIRED;
  }
  return null;
}

function blank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}
