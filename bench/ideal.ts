/**
 * The physical limit of a run: the agents' own time, scheduled as well as possible under the
 * concurrency limit, plus the host mutations every WP must make on its own path (start-
 * implementation, transition for_review, start-review, transition done; a rejected review adds
 * transition in_progress and one more for_review / start-review round), each costed at its
 * measured median. Nothing else (reads, notes, acceptance, our own CPU) is counted.
 *
 * Optimal scheduling with precedence on C slots is NP-hard, so we report two numbers: a lower
 * bound no schedule can beat (max of the longest path and total work / C), and the makespan of a
 * critical-path-first list schedule, which is achievable and usually equals the bound. Overhead is
 * measured against the list schedule (a schedule someone could actually run).
 */

export interface HostCosts {
  startImplementation: number;
  transition: number;
  startReview: number;
}

export interface WpWork {
  /** Implementation agent runs, in order (one per review cycle). */
  implementationMs: number[];
  /** Review agent runs, in order. */
  reviewMs: number[];
}

/** One WP's unavoidable time, from claim to done. */
export function wpJobMs(work: WpWork, host: HostCosts): number {
  const cycles = Math.max(work.implementationMs.length, work.reviewMs.length, 1);
  let total = host.startImplementation;
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    total += (work.implementationMs[cycle] ?? 0) + host.transition; // ... -> for_review
    total += host.startReview + (work.reviewMs[cycle] ?? 0) + host.transition; // -> done / in_progress
  }
  return total;
}

export interface IdealSchedule {
  /** Critical-path-first list schedule makespan (achievable). */
  makespanMs: number;
  /** No schedule can be shorter. */
  lowerBoundMs: number;
  criticalPathMs: number;
  totalWorkMs: number;
  /** Start and end of each WP in the list schedule. */
  plan: Map<string, { startMs: number; endMs: number }>;
}

export function idealSchedule(
  dependencies: ReadonlyMap<string, readonly string[]>,
  jobMs: ReadonlyMap<string, number>,
  concurrency: number,
): IdealSchedule {
  const ids = [...dependencies.keys()];
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, deps] of dependencies) for (const dep of deps) dependents.get(dep)?.push(id);

  // Longest path from a WP to the end, its own job included: the list schedule's priority.
  const tail = new Map<string, number>();
  const tailOf = (id: string): number => {
    const known = tail.get(id);
    if (known !== undefined) return known;
    const after = Math.max(0, ...(dependents.get(id) ?? []).map(tailOf));
    const value = (jobMs.get(id) ?? 0) + after;
    tail.set(id, value);
    return value;
  };
  const criticalPathMs = Math.max(0, ...ids.map(tailOf));
  const totalWorkMs = ids.reduce((sum, id) => sum + (jobMs.get(id) ?? 0), 0);

  const remainingDeps = new Map(ids.map((id) => [id, (dependencies.get(id) ?? []).length]));
  const ready = ids.filter((id) => remainingDeps.get(id) === 0);
  const running: Array<{ id: string; endMs: number }> = [];
  const plan = new Map<string, { startMs: number; endMs: number }>();
  let now = 0;
  while (plan.size < ids.length || running.length > 0) {
    ready.sort((a, b) => tailOf(b) - tailOf(a) || a.localeCompare(b));
    while (running.length < concurrency && ready.length > 0) {
      const id = ready.shift() as string;
      const endMs = now + (jobMs.get(id) ?? 0);
      running.push({ id, endMs });
      plan.set(id, { startMs: now, endMs });
    }
    if (running.length === 0) break; // nothing runnable: a cycle (the spec schema forbids it)
    running.sort((a, b) => a.endMs - b.endMs);
    const finished = running.shift() as { id: string; endMs: number };
    now = finished.endMs;
    for (const next of dependents.get(finished.id) ?? []) {
      const left = (remainingDeps.get(next) ?? 0) - 1;
      remainingDeps.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const makespanMs = Math.max(0, ...[...plan.values()].map((slot) => slot.endMs));
  return {
    makespanMs,
    lowerBoundMs: Math.max(criticalPathMs, totalWorkMs / Math.max(1, concurrency)),
    criticalPathMs,
    totalWorkMs,
    plan,
  };
}
