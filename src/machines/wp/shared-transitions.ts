/** Pieces of transition config shared by the wpMachine state modules. */
export const IMPL = { role: 'implementation' } as const;
export const REVIEW = { role: 'review' } as const;

/** A host call refused or broke: the WP ends `failed`, its lane untouched, the error kept. */
export const hostRefused = {
  target: '#wp.flow.failed',
  actions: {
    type: 'recordHostFailure',
    params: ({ event }: { event: { error: unknown } }) => ({ error: event.error }),
  },
} as const;

/**
 * A lane change failed, or seemed to (a timeout, a crash of the host process, a refusal because
 * the lane had already moved): it is never simply retried. mission-state tells what happened.
 */
export const verifyAfterFailure = {
  target: '#wp.flow.reconciling',
  actions: {
    type: 'holdHostError',
    params: ({ event }: { event: { error: unknown } }) => ({ error: event.error }),
  },
} as const;
