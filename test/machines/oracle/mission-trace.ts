/**
 * What one mission run looks like from outside: which WPs were started when (counted in world
 * answers), the extra mission-state reads taken before concluding, whether the mission was
 * accepted, and how the run ended. Written by the oracle (mission-spec.ts) and read off the live
 * machine (mission-observe.ts).
 */
import type { Lane } from '../../../src/host/lanes.js';

export type MissionEnd =
  | 'completed'
  | 'finished_with_problems'
  | 'stalled'
  | 'failed'
  | 'aborted'
  | 'running';

export interface WpStart {
  wp: string;
  /** The lane the WP actor is told it starts from. */
  lane: Lane;
  /** World answers given before it started. */
  afterAnswers: number;
}

export interface MissionTrace {
  starts: WpStart[];
  /** mission-state reads taken because nothing could move (before declaring the run over). */
  confirmReads: number;
  acceptCalled: boolean;
  outcome: MissionEnd;
  /** WPs named as stuck when the run stalled. */
  stalled: string[];
  /** Every WP's lane when the run ended (what this run's results and the host's last read say). */
  lanes: Record<string, Lane>;
  /** Only the oracle sets this: the world answered something the rules would not have asked. */
  divergence?: string;
}
