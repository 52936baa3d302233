/**
 * Turns one run's artefacts (the CLI's JSONL event log, the metrics file, the harness's timing)
 * into the numbers the benchmark reports: makespan, ideal and overhead, the orchestrator's own
 * CPU/RSS, host calls by command, state writes, and how fast dependents start.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { HostCallMetric as CliHostCallMetric, RunMetrics } from '../src/cli/runtime/metrics.js';
import { DEFAULT_MAX_CONCURRENT_MUTATIONS } from '../src/host/client.js';
import { type HostCosts, idealSchedule, type WpWork, wpJobMs } from './ideal.js';

export interface EventRecord {
  type: string;
  at: string;
  wp?: string;
  role?: string;
  state?: string;
  duration_ms?: number | null;
  command?: string;
  wait_ms?: number;
  [key: string]: unknown;
}

/** The fields of the CLI's metrics file (src/cli/runtime/metrics.ts) the analysis reads. */
export type HostCallMetric = Pick<
  CliHostCallMetric,
  'command' | 'wp' | 'startedAtMs' | 'durationMs' | 'waitMs' | 'ok'
>;

export type RunMetricsFile = Pick<
  RunMetrics,
  'wallMs' | 'cpuUserMs' | 'cpuSystemMs' | 'maxRssKb' | 'stateWrites' | 'stateBytes' | 'finalStateBytes'
> &
  // Optional: metrics files written before 2026-12-06 (still read by --reanalyze) lack it.
  Partial<Pick<RunMetrics, 'maxStateWriteBytes'>> & { hostCalls: HostCallMetric[] };

export interface CommandStats {
  count: number;
  failed: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  maxWaitMs: number;
  totalWaitMs: number;
}

export interface RunAnalysis {
  makespanMs: number;
  ideal: {
    makespanMs: number;
    lowerBoundMs: number;
    criticalPathMs: number;
    totalWorkMs: number;
    hostCosts: HostCosts;
  };
  overheadMs: number;
  overheadPct: number;
  agentMedianMs: { implementation: number; review: number };
  /** null when the command wrote no metrics file (another orchestrator). */
  /** WPs that reached done in this run (the per-WP costs divide by the WPs that ran). */
  wpsDone: number;
  own: {
    cpuMs: number;
    /** Per WP that started (start-implementation), so a run that stopped early is not flattered. */
    cpuMsPerWp: number;
    maxRssMb: number;
    stateWrites: number;
    stateBytes: number;
    /** The largest single state write; null when the metrics file does not record it. */
    maxStateWriteBytes: number | null;
    finalStateBytes: number;
    finalStateBytesPerWp: number;
    laneMutations: number;
    stateWritesPerTransition: number;
  } | null;
  hostCalls: {
    total: number;
    byCommand: Record<string, CommandStats>;
    perWp: { laneMutations: number; notes: number; reads: number; missionLevel: number };
    medianMs: number;
    /**
     * Time all mutations (notes included) kept the host busy, divided by the client's mutation
     * slots: a run cannot be shorter than this with that many slots, whatever the agents do.
     */
    mutationPipelineMs: number;
    /** The same for notes alone: the share of that pipeline spent on history notes. */
    notesPipelineMs: number;
  } | null;
  dependentStarts: {
    count: number;
    medianGapMs: number;
    maxGapMs: number;
    /**
     * The same gap up to the moment we asked the client for start-implementation (its queue
     * wait left out): our own reaction time. A poll delay would show here.
     */
    medianDecisionMs: number;
    maxDecisionMs: number;
    /** Started within one host round trip (the median call) of the last dependency's done. */
    withinRoundTrip: number;
    /** How many had to wait for a slot after their dependencies were done (gap measured from the slot). */
    lateButSlotsFull: number;
  } | null;
  phases: {
    /** Spawn to the first start-implementation. */
    startupMs: number | null;
    /** The last done transition to the process exit (acceptance, final save, exit). */
    tailMs: number | null;
    /** mission.end record to process exit. */
    exitLagMs: number | null;
  };
}

export function readEventLog(file: string): EventRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EventRecord);
}

export function readMetrics(file: string): RunMetricsFile | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as RunMetricsFile;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}

const median = (values: readonly number[]) => quantile(values, 0.5);
const LANE_MUTATIONS = new Set(['start-implementation', 'transition', 'start-review']);
const READS = new Set(['contract-version', 'mission-state', 'list-ready', 'resolve-workspace']);

export interface AnalyzeInput {
  dependencies: ReadonlyMap<string, readonly string[]>;
  concurrency: number;
  agentMs: number;
  makespanMs: number;
  startedAtMs: number;
  endedAtMs: number;
  events: EventRecord[];
  metrics: RunMetricsFile | null;
  /** Host costs to use when the run itself reports none (another orchestrator). */
  fallbackHostMs: number;
  /** HostClient's maxConcurrentMutations of the measured build. */
  mutationSlots?: number;
}

export function analyzeRun(input: AnalyzeInput): RunAnalysis {
  const { events, metrics } = input;
  const wpCount = input.dependencies.size;
  const calls = metrics?.hostCalls ?? [];
  const okDurations = (command: string) =>
    calls.filter((call) => call.command === command && call.ok).map((call) => call.durationMs);
  const costOf = (command: string) => {
    const durations = okDurations(command);
    return durations.length > 0 ? median(durations) : input.fallbackHostMs;
  };
  const hostCosts: HostCosts = {
    startImplementation: costOf('start-implementation'),
    transition: costOf('transition'),
    startReview: costOf('start-review'),
  };

  // The agents' measured time per WP (fake agents sleep, then commit and mark subtasks).
  const work = new Map<string, WpWork>();
  for (const id of input.dependencies.keys()) work.set(id, { implementationMs: [], reviewMs: [] });
  for (const record of events) {
    if (record.type !== 'agent.end' || !record.wp) continue;
    const duration = typeof record.duration_ms === 'number' ? record.duration_ms : input.agentMs;
    const entry = work.get(record.wp);
    if (!entry) continue;
    (record.role === 'review' ? entry.reviewMs : entry.implementationMs).push(duration);
  }
  for (const entry of work.values()) {
    if (entry.implementationMs.length === 0) entry.implementationMs.push(input.agentMs);
    if (entry.reviewMs.length === 0) entry.reviewMs.push(input.agentMs);
  }
  const jobMs = new Map([...work].map(([id, entry]) => [id, wpJobMs(entry, hostCosts)]));
  const ideal = idealSchedule(input.dependencies, jobMs, input.concurrency);
  const overheadMs = input.makespanMs - ideal.makespanMs;

  const all = [...work.values()];
  const analysis: RunAnalysis = {
    makespanMs: input.makespanMs,
    ideal: {
      makespanMs: ideal.makespanMs,
      lowerBoundMs: ideal.lowerBoundMs,
      criticalPathMs: ideal.criticalPathMs,
      totalWorkMs: ideal.totalWorkMs,
      hostCosts,
    },
    overheadMs,
    overheadPct: (overheadMs / ideal.makespanMs) * 100,
    agentMedianMs: {
      implementation: median(all.flatMap((entry) => entry.implementationMs)),
      review: median(all.flatMap((entry) => entry.reviewMs)),
    },
    wpsDone: events.filter((record) => record.type === 'wp.end' && record.outcome === 'done').length,
    own: null,
    hostCalls: null,
    dependentStarts: null,
    phases: phasesOf(input, calls, events),
  };
  if (!metrics) return analysis;

  const laneMutations = calls.filter((call) => LANE_MUTATIONS.has(call.command) && call.ok).length;
  const wpsStarted = Math.max(
    1,
    new Set(calls.filter((call) => call.command === 'start-implementation').map((call) => call.wp)).size,
  );
  analysis.own = {
    cpuMs: metrics.cpuUserMs + metrics.cpuSystemMs,
    cpuMsPerWp: (metrics.cpuUserMs + metrics.cpuSystemMs) / wpsStarted,
    maxRssMb: metrics.maxRssKb / 1024,
    stateWrites: metrics.stateWrites,
    stateBytes: metrics.stateBytes,
    maxStateWriteBytes: metrics.maxStateWriteBytes ?? null,
    finalStateBytes: metrics.finalStateBytes,
    finalStateBytesPerWp: metrics.finalStateBytes / wpCount,
    laneMutations,
    stateWritesPerTransition: laneMutations > 0 ? metrics.stateWrites / laneMutations : 0,
  };
  const byCommand: Record<string, CommandStats> = {};
  for (const command of [...new Set(calls.map((call) => call.command))].sort()) {
    const mine = calls.filter((call) => call.command === command);
    const durations = mine.map((call) => call.durationMs);
    byCommand[command] = {
      count: mine.length,
      failed: mine.filter((call) => !call.ok).length,
      medianMs: median(durations),
      p90Ms: quantile(durations, 0.9),
      maxMs: Math.max(...durations),
      maxWaitMs: Math.max(...mine.map((call) => call.waitMs)),
      totalWaitMs: mine.reduce((sum, call) => sum + call.waitMs, 0),
    };
  }
  const count = (predicate: (call: HostCallMetric) => boolean) => calls.filter(predicate).length;
  const slots = Math.max(1, input.mutationSlots ?? DEFAULT_MAX_CONCURRENT_MUTATIONS);
  const busyMs = (predicate: (call: HostCallMetric) => boolean) =>
    calls.filter(predicate).reduce((sum, call) => sum + call.durationMs, 0);
  const roundTripMs = median(calls.filter((call) => call.ok).map((call) => call.durationMs));
  analysis.hostCalls = {
    total: calls.length,
    byCommand,
    perWp: {
      laneMutations: count((call) => LANE_MUTATIONS.has(call.command)) / wpsStarted,
      notes: count((call) => call.command === 'append-history') / wpsStarted,
      reads: count((call) => READS.has(call.command) && call.wp !== null) / wpsStarted,
      missionLevel: count((call) => call.wp === null),
    },
    medianMs: roundTripMs,
    mutationPipelineMs: busyMs((call) => !READS.has(call.command)) / slots,
    notesPipelineMs: busyMs((call) => call.command === 'append-history') / slots,
  };
  analysis.dependentStarts = dependentStarts(input, calls, roundTripMs);
  return analysis;
}

/**
 * How fast a dependent WP is started once it may start: when its last dependency is done AND a
 * slot is free. Slots are replayed from the run itself: WPs take slots in the order they were
 * dispatched (the moment the orchestrator asked for start-implementation, queue wait included),
 * each taking the slot freed earliest; a slot is freed when its WP's done transition returns.
 * The gap is then measured to the start-implementation process start (queue wait included,
 * because the client's queue is ours too).
 */
function dependentStarts(
  input: AnalyzeInput,
  calls: HostCallMetric[],
  roundTripMs: number,
): RunAnalysis['dependentStarts'] {
  const claim = new Map<string, { dispatchedAt: number; startedAt: number }>();
  const doneEnd = new Map<string, number>();
  for (const call of calls) {
    if (!call.wp || !call.ok) continue;
    if (call.command === 'start-implementation' && !claim.has(call.wp))
      claim.set(call.wp, { dispatchedAt: call.startedAtMs - call.waitMs, startedAt: call.startedAtMs });
    // The WP's last successful transition is its move to done.
    if (call.command === 'transition') doneEnd.set(call.wp, call.startedAtMs + call.durationMs);
  }
  const slots: number[] = Array.from({ length: Math.max(1, input.concurrency) }, () => input.startedAtMs);
  const gaps: number[] = [];
  const decisions: number[] = [];
  let withinRoundTrip = 0;
  let lateButSlotsFull = 0;
  const order = [...claim].sort((a, b) => a[1].dispatchedAt - b[1].dispatchedAt);
  for (const [wp, times] of order) {
    slots.sort((a, b) => a - b);
    const slotFreeAt = slots.shift() ?? input.startedAtMs;
    slots.push(doneEnd.get(wp) ?? Number.POSITIVE_INFINITY);
    const deps = input.dependencies.get(wp) ?? [];
    if (deps.length === 0) continue;
    const depsDone = Math.max(...deps.map((dep) => doneEnd.get(dep) ?? Number.NaN));
    if (!Number.isFinite(depsDone)) continue;
    const gap = times.startedAt - Math.max(depsDone, slotFreeAt);
    gaps.push(gap);
    decisions.push(times.dispatchedAt - Math.max(depsDone, slotFreeAt));
    if (gap <= roundTripMs) withinRoundTrip += 1;
    if (slotFreeAt > depsDone) lateButSlotsFull += 1;
  }
  if (gaps.length === 0) return null;
  return {
    count: gaps.length,
    medianGapMs: median(gaps),
    maxGapMs: Math.max(...gaps),
    medianDecisionMs: median(decisions),
    maxDecisionMs: Math.max(...decisions),
    withinRoundTrip,
    lateButSlotsFull,
  };
}

function phasesOf(
  input: AnalyzeInput,
  calls: HostCallMetric[],
  events: EventRecord[],
): RunAnalysis['phases'] {
  const claims = calls.filter((call) => call.command === 'start-implementation');
  const firstClaim = claims.length > 0 ? Math.min(...claims.map((call) => call.startedAtMs)) : null;
  const transitions = calls.filter((call) => call.command === 'transition' && call.ok);
  const lastDone =
    transitions.length > 0
      ? Math.max(...transitions.map((call) => call.startedAtMs + call.durationMs))
      : null;
  const missionEnd = events.find((record) => record.type === 'mission.end');
  return {
    startupMs: firstClaim === null ? null : firstClaim - input.startedAtMs,
    tailMs: lastDone === null ? null : input.endedAtMs - lastDone,
    exitLagMs: missionEnd ? input.endedAtMs - Date.parse(missionEnd.at) : null,
  };
}
