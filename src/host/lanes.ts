/** The host's lane model. The host owns lanes; we only ask it to move WPs between them. */
export const LANES = [
  'planned',
  'claimed',
  'in_progress',
  'for_review',
  'in_review',
  'approved',
  'done',
  'blocked',
  'canceled',
] as const;

export type Lane = (typeof LANES)[number];

/** Lanes in which a WP will not move again without a human. */
export const TERMINAL_LANES: ReadonlySet<Lane> = new Set<Lane>(['done', 'blocked', 'canceled']);

/** Lanes whose transitions must carry `--policy` (the host refuses them otherwise). */
export const POLICY_LANES: ReadonlySet<Lane> = new Set<Lane>([
  'claimed',
  'in_progress',
  'for_review',
  'in_review',
  'approved',
]);

export function isLane(value: string): value is Lane {
  return (LANES as readonly string[]).includes(value);
}
