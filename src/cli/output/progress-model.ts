/**
 * What the live view shows, folded from run records: one row per WP and the run's totals.
 * Pure: records in, plain data out (the view decides how to draw it).
 */
import type { Lane } from '../../host/lanes.js';
import type { OrchestratorRecord } from './records.js';

export type WpPhase = 'waiting' | 'running' | 'done' | 'blocked' | 'failed';

export interface WpProgress {
  wp: string;
  lane: Lane;
  /** The WP actor's flow state, or '-' when no actor ran it in this run. */
  step: string;
  agent: string | null;
  attempt: number | null;
  reviewCycle: number;
  phase: WpPhase;
  startedAt: number | null;
  endedAt: number | null;
  costUsd: number;
  costKnown: boolean;
  reason: string | null;
}

export interface ProgressTotals {
  done: number;
  running: number;
  blocked: number;
  failed: number;
  waiting: number;
  costUsd: number;
  costKnown: boolean;
}

function phaseOfLane(lane: Lane): WpPhase {
  if (lane === 'done') return 'done';
  if (lane === 'blocked' || lane === 'canceled') return 'blocked';
  return 'waiting';
}

export class ProgressModel {
  readonly #wps = new Map<string, WpProgress>();
  mission: string | null = null;
  missionState: string | null = null;
  missionStatus: string | null = null;
  /** Time of the first record seen: the run's start as far as the view knows. */
  startedAt: number | null = null;

  #row(wp: string, lane: Lane = 'planned'): WpProgress {
    let row = this.#wps.get(wp);
    if (!row) {
      row = {
        wp,
        lane,
        step: '-',
        agent: null,
        attempt: null,
        reviewCycle: 0,
        phase: phaseOfLane(lane),
        startedAt: null,
        endedAt: null,
        costUsd: 0,
        costKnown: false,
        reason: null,
      };
      this.#wps.set(wp, row);
    }
    return row;
  }

  /** Folds one record in; returns whether anything visible changed. */
  apply(record: OrchestratorRecord): boolean {
    const at = Date.parse(record.at);
    if (this.startedAt === null && record.type !== 'host.call') this.startedAt = at;
    switch (record.type) {
      case 'mission.state': {
        this.mission = record.mission;
        this.missionState = record.state;
        for (const { wp, lane } of record.wps) {
          const row = this.#row(wp, lane);
          if (row.startedAt === null) {
            row.lane = lane;
            row.phase = phaseOfLane(lane);
          }
        }
        return true;
      }
      case 'wp.state': {
        const row = this.#row(record.wp, record.lane);
        row.lane = record.lane;
        row.step = record.state;
        if (record.agent !== null) row.agent = record.agent;
        if (record.attempt !== null) row.attempt = record.attempt;
        row.reviewCycle = record.review_cycle;
        row.startedAt ??= at;
        if (row.endedAt === null) row.phase = 'running';
        return true;
      }
      case 'agent.end': {
        if (!record.usage || record.usage.cost_usd === null) return false;
        const row = this.#row(record.wp);
        row.costUsd += record.usage.cost_usd;
        row.costKnown = true;
        return true;
      }
      case 'wp.end': {
        const row = this.#row(record.wp, record.lane);
        row.lane = record.lane;
        row.phase = record.outcome;
        row.endedAt = at;
        row.startedAt ??= at - record.duration_ms;
        row.reason = record.reason;
        // The WP's own total is authoritative (it also counts runs this view did not see).
        const cost = record.usage.cost_usd;
        if (cost !== null && (cost > 0 || row.costKnown)) {
          row.costUsd = cost;
          row.costKnown = true;
        }
        return true;
      }
      case 'mission.end':
        this.missionStatus = record.status;
        return true;
      default:
        return false;
    }
  }

  get wps(): WpProgress[] {
    return [...this.#wps.values()];
  }

  wp(id: string): WpProgress | undefined {
    return this.#wps.get(id);
  }

  totals(): ProgressTotals {
    const totals: ProgressTotals = {
      done: 0,
      running: 0,
      blocked: 0,
      failed: 0,
      waiting: 0,
      costUsd: 0,
      costKnown: false,
    };
    for (const row of this.#wps.values()) {
      totals[row.phase] += 1;
      totals.costUsd += row.costUsd;
      totals.costKnown ||= row.costKnown;
    }
    return totals;
  }
}
