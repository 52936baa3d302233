import { describe, expect, it } from 'vitest';
import { idealSchedule, wpJobMs } from '../../bench/ideal.js';

const host = { startImplementation: 100, transition: 10, startReview: 20 };

describe('ideal makespan', () => {
  it('costs one WP as its agents plus the four mutations on its path', () => {
    expect(wpJobMs({ implementationMs: [1000], reviewMs: [500] }, host)).toBe(
      100 + 1000 + 10 + 20 + 500 + 10,
    );
  });

  it('adds a for_review / start-review round and the rework transition per rejected review', () => {
    expect(wpJobMs({ implementationMs: [1000, 300], reviewMs: [500, 200] }, host)).toBe(
      100 + (1000 + 10 + 20 + 500 + 10) + (300 + 10 + 20 + 200 + 10),
    );
  });

  it('runs a chain one after another whatever the concurrency', () => {
    const deps = new Map([
      ['WP01', []],
      ['WP02', ['WP01']],
      ['WP03', ['WP02']],
    ]);
    const jobs = new Map([
      ['WP01', 5],
      ['WP02', 7],
      ['WP03', 3],
    ]);
    const ideal = idealSchedule(deps, jobs, 4);
    expect(ideal.makespanMs).toBe(15);
    expect(ideal.lowerBoundMs).toBe(15);
    expect(ideal.plan.get('WP03')).toEqual({ startMs: 12, endMs: 15 });
  });

  it('packs independent WPs on the slots, critical path first', () => {
    // WP01 (10) heads a chain to WP04 (10); WP02 and WP03 (5 each) are independent. Two slots:
    // starting WP01 first gives 20; a naive order starting WP02+WP03 first would give 25.
    const deps = new Map([
      ['WP02', []],
      ['WP03', []],
      ['WP01', []],
      ['WP04', ['WP01']],
    ]);
    const jobs = new Map([
      ['WP01', 10],
      ['WP02', 5],
      ['WP03', 5],
      ['WP04', 10],
    ]);
    const ideal = idealSchedule(deps, jobs, 2);
    expect(ideal.makespanMs).toBe(20);
    expect(ideal.criticalPathMs).toBe(20);
    expect(ideal.totalWorkMs).toBe(30);
    expect(ideal.lowerBoundMs).toBe(20);
  });

  it('is bound by total work over the slots for a wide fan-out', () => {
    const deps = new Map<string, string[]>([['WP01', []]]);
    const jobs = new Map([['WP01', 4]]);
    for (let i = 2; i <= 9; i += 1) {
      deps.set(`WP0${i}`, ['WP01']);
      jobs.set(`WP0${i}`, 4);
    }
    const ideal = idealSchedule(deps, jobs, 2);
    expect(ideal.makespanMs).toBe(4 + 16);
    expect(ideal.lowerBoundMs).toBe(18); // 36 / 2: the root cannot overlap anything, so 20 is best
  });
});
