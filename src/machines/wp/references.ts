/**
 * Review and feedback references: `review-<WP>-cycle<n>-<hex8>`. The hex part is a hash of the run
 * id, WP and cycle, not a random number, so the machine stays pure and a restored run that repeats
 * `start-review` repeats the same reference.
 */

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function hex8(seed: string): string {
  return fnv1a32(seed).toString(16).padStart(8, '0');
}

export function reviewReference(runId: string, wpId: string, cycle: number): string {
  return `review-${wpId}-cycle${cycle}-${hex8(`${runId}:${wpId}:review:${cycle}`)}`;
}

export function feedbackReference(runId: string, wpId: string, cycle: number): string {
  return `feedback-${wpId}-cycle${cycle}-${hex8(`${runId}:${wpId}:feedback:${cycle}`)}`;
}
