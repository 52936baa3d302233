/** Note texts and review references of the wpMachine. */
import { describe, expect, it } from 'vitest';
import {
  describeFailure,
  exhaustedReason,
  FEEDBACK_EXCERPT_CHARS,
  feedbackExcerpt,
  startNote,
} from '../../src/machines/wp/notes.js';
import { feedbackReference, reviewReference } from '../../src/machines/wp/references.js';
import type { AttemptFailure } from '../../src/machines/wp/types.js';

const FAILURE: AttemptFailure = {
  role: 'implementation',
  agent: 'codex',
  attempt: 2,
  kind: 'network',
  message: 'reset',
  at: 1,
};

describe('notes', () => {
  it('describeFailure cuts the message to 200 characters', () => {
    expect(describeFailure(FAILURE)).toBe('codex attempt 2 failed (network): reset');
    const long = describeFailure({ ...FAILURE, message: 'm'.repeat(300) });
    expect(long).toBe(`codex attempt 2 failed (network): ${'m'.repeat(199)}…`);
  });

  it('exhaustedReason names the role and the last failure when known', () => {
    expect(exhaustedReason('implementation', FAILURE)).toBe(
      'All implementation agents exhausted; last: codex attempt 2 failed (network): reset',
    );
    expect(exhaustedReason('review', null)).toBe('All review agents exhausted');
  });

  it('a start note after a failure of another role says nothing of it', () => {
    const note = startNote({
      role: 'review',
      agent: 'codex',
      attempt: 1,
      maxAttempts: 2,
      reviewCycle: 1,
      previous: FAILURE,
      rework: false,
    });
    expect(note).toBe('Starting review cycle 1 with codex (attempt 1 of 2)');
  });

  it('feedbackExcerpt folds whitespace and bounds the text', () => {
    expect(feedbackExcerpt('  a\n\n b\t c  ')).toBe('a b c');
    const excerpt = feedbackExcerpt('x'.repeat(FEEDBACK_EXCERPT_CHARS + 50));
    expect(excerpt).toHaveLength(FEEDBACK_EXCERPT_CHARS);
    expect(excerpt.endsWith('…')).toBe(true);
  });
});

describe('references', () => {
  it('are stable for the same run, WP and cycle, and differ otherwise', () => {
    expect(reviewReference('run-1', 'WP01', 1)).toBe(reviewReference('run-1', 'WP01', 1));
    expect(reviewReference('run-1', 'WP01', 1)).not.toBe(reviewReference('run-2', 'WP01', 1));
    expect(reviewReference('run-1', 'WP01', 1)).not.toBe(reviewReference('run-1', 'WP01', 2));
  });

  it('pin the hash (FNV-1a, 32 bits, 8 hex digits)', () => {
    // The helper below checked against FNV-1a's published vectors ("" and "a").
    expect(reviewReference('run-1', 'WP01', 1)).toBe(`review-WP01-cycle1-${fnv('run-1:WP01:review:1')}`);
    expect(feedbackReference('run-1', 'WP01', 1)).toBe(
      `feedback-WP01-cycle1-${fnv('run-1:WP01:feedback:1')}`,
    );
    expect(fnv('a')).toBe('e40c292c');
    expect(fnv('')).toBe('811c9dc5');
  });

  it('pad a small hash to 8 digits', () => {
    // These seeds hash below 0x10000000, so the leading zero is padding.
    expect(reviewReference('run-14', 'WP01', 1)).toBe('review-WP01-cycle1-05dd20fd');
    expect(feedbackReference('run-15', 'WP01', 1)).toBe('feedback-WP01-cycle1-03934009');
  });
});

/** An independent FNV-1a with BigInt arithmetic, to check the machine's Math.imul version. */
function fnv(text: string): string {
  let hash = 0x811c9dc5n;
  for (const byte of Buffer.from(text, 'latin1')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x01000193n) & 0xffffffffn;
  }
  return hash.toString(16).padStart(8, '0');
}
