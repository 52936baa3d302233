/**
 * Scenario generator: missions of N work packages in a chosen dependency shape, the same spec for
 * the real and the simulated host (MissionSpecInput), plus which WPs the reviewer rejects once.
 * Random shapes are seeded, so a scenario is reproducible from its name alone.
 */
import type { MissionSpecInput } from '../src/host/simulated/mission-spec.js';

export const SHAPES = ['chain', 'fanout', 'diamond', 'layered'] as const;
export type Shape = (typeof SHAPES)[number];

export interface ScenarioOptions {
  shape: Shape;
  wps: number;
  seed?: number;
  /** Fraction of WPs whose first review requests changes (seeded choice). */
  rejectFraction?: number;
  /** Layered DAG: WPs per layer (default: about the square root of N, at least 2). */
  layerWidth?: number;
}

export interface Scenario {
  name: string;
  mission: MissionSpecInput;
  /** WP id -> its dependencies (the same as in the mission, kept for the ideal schedule). */
  dependencies: Map<string, string[]>;
  rejectedOnce: Set<string>;
}

/** mulberry32: a tiny seeded PRNG, good enough to shape test graphs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function wpIds(count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, index) => `WP${String(index + 1).padStart(width, '0')}`);
}

/** Dependencies by shape; indexes refer to `wpIds(n)`. */
function dependencyIndexes(options: ScenarioOptions, random: () => number): number[][] {
  const n = options.wps;
  switch (options.shape) {
    case 'chain':
      return Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
    case 'fanout':
      // One root, everything else depends on it.
      return Array.from({ length: n }, (_, i) => (i === 0 ? [] : [0]));
    case 'diamond':
      // Root, N-2 parallel middles, one sink depending on every middle.
      return Array.from({ length: n }, (_, i) => {
        if (i === 0) return [];
        if (i === n - 1 && n > 2) return Array.from({ length: n - 2 }, (_, m) => m + 1);
        return [0];
      });
    case 'layered': {
      const width = Math.max(2, options.layerWidth ?? Math.round(Math.sqrt(n)));
      const deps: number[][] = [];
      for (let i = 0; i < n; i += 1) {
        const layer = Math.floor(i / width);
        if (layer === 0) {
          deps.push([]);
          continue;
        }
        const previousStart = (layer - 1) * width;
        const previous = Array.from({ length: width }, (_, k) => previousStart + k);
        // 1 to 3 dependencies on the previous layer, sometimes one more on any earlier WP.
        const count = 1 + Math.floor(random() * Math.min(3, previous.length));
        const chosen = new Set<number>();
        while (chosen.size < count)
          chosen.add(previous[Math.floor(random() * previous.length)] ?? previousStart);
        if (layer > 1 && random() < 0.2) chosen.add(Math.floor(random() * previousStart));
        deps.push([...chosen].sort((a, b) => a - b));
      }
      return deps;
    }
  }
}

export function createScenario(options: ScenarioOptions): Scenario {
  if (!Number.isInteger(options.wps) || options.wps < 1) throw new Error('a scenario needs at least 1 WP');
  const seed = options.seed ?? 7;
  const random = seededRandom(seed);
  const ids = wpIds(options.wps);
  const deps = dependencyIndexes(options, random);
  const subtaskWidth = Math.max(3, String(options.wps).length);
  const name = `${options.shape}-${options.wps}`;
  const workPackages = ids.map((id, index) => ({
    id,
    title: `Bench ${id}`,
    dependencies: (deps[index] ?? []).map((d) => ids[d] ?? id),
    subtasks: [`T${String(index + 1).padStart(subtaskWidth, '0')}`],
    prompt: `# ${id} Bench ${id}\n\nWrite the file for ${id}.\n`,
  }));
  const rejectFraction = options.rejectFraction ?? 0;
  const rejectRandom = seededRandom(seed + 1);
  const rejectedOnce = new Set(ids.filter(() => rejectRandom() < rejectFraction));
  return {
    name: rejectFraction > 0 ? `${name}-rej${Math.round(rejectFraction * 100)}` : name,
    mission: { slug: `001-bench-${options.shape}`, title: `Benchmark ${name}`, workPackages },
    dependencies: new Map(workPackages.map((wp) => [wp.id, wp.dependencies])),
    rejectedOnce,
  };
}

/** The fake agents' scenario file: every agent sleeps, implementers commit, reviewers approve. */
export function fakeAgentScenario(scenario: Scenario, agentMs: number): Record<string, unknown> {
  const implement = { action: 'implement', commit: true, sleepMs: agentMs };
  const approve = { action: 'approve', sleepMs: agentMs };
  const reject = { action: 'request_changes', feedback: 'Benchmark rework', sleepMs: agentMs };
  const file: Record<string, unknown> = { '*': { implementation: implement, review: approve } };
  for (const wp of scenario.rejectedOnce) file[wp] = { implementation: implement, review: [reject, approve] };
  return file;
}
