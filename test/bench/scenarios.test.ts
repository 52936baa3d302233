import { describe, expect, it } from 'vitest';
import { createScenario, fakeAgentScenario, SHAPES } from '../../bench/scenarios.js';
import { parseMissionSpec } from '../../src/host/simulated/mission-spec.js';

describe('benchmark scenarios', () => {
  it.each(SHAPES)('builds a valid, acyclic %s mission of N WPs', (shape) => {
    const scenario = createScenario({ shape, wps: 12 });
    const spec = parseMissionSpec(scenario.mission);
    expect(spec.workPackages).toHaveLength(12);
    expect(spec.workPackages[0]?.dependencies).toEqual([]);
    expect(new Set(spec.workPackages.flatMap((wp) => wp.subtasks)).size).toBe(12);
  });

  it('shapes chain, fan-out and diamond as named', () => {
    const chain = createScenario({ shape: 'chain', wps: 4 }).dependencies;
    expect([...chain.values()]).toEqual([[], ['WP01'], ['WP02'], ['WP03']]);
    const fanout = createScenario({ shape: 'fanout', wps: 4 }).dependencies;
    expect([...fanout.values()]).toEqual([[], ['WP01'], ['WP01'], ['WP01']]);
    const diamond = createScenario({ shape: 'diamond', wps: 5 }).dependencies;
    expect(diamond.get('WP05')).toEqual(['WP02', 'WP03', 'WP04']);
  });

  it('makes the same layered DAG for the same seed and another for another seed', () => {
    const deps = (seed: number) => [
      ...createScenario({ shape: 'layered', wps: 40, seed }).dependencies.values(),
    ];
    expect(deps(3)).toEqual(deps(3));
    expect(deps(3)).not.toEqual(deps(4));
    // Every WP after the first layer depends on something.
    const layered = createScenario({ shape: 'layered', wps: 12, layerWidth: 4 }).dependencies;
    expect([...layered.values()].slice(4).every((d) => d.length > 0)).toBe(true);
  });

  it('pads WP ids so 500 WPs sort and parse', () => {
    const scenario = createScenario({ shape: 'layered', wps: 500, layerWidth: 25 });
    expect(() => parseMissionSpec(scenario.mission)).not.toThrow();
    expect([...scenario.dependencies.keys()].at(-1)).toBe('WP500');
  });

  it('rejects the chosen fraction once, then approves; everyone sleeps and commits', () => {
    const scenario = createScenario({ shape: 'chain', wps: 20, rejectFraction: 0.25 });
    expect(scenario.rejectedOnce.size).toBeGreaterThan(0);
    expect(scenario.rejectedOnce.size).toBeLessThan(20);
    const file = fakeAgentScenario(scenario, 2000);
    expect(file['*']).toEqual({
      implementation: { action: 'implement', commit: true, sleepMs: 2000 },
      review: { action: 'approve', sleepMs: 2000 },
    });
    const [rejected] = scenario.rejectedOnce;
    expect(file[rejected as string]).toMatchObject({
      review: [{ action: 'request_changes' }, { action: 'approve' }],
    });
  });
});
