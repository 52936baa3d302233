/** Markdown for one run and for the machine it ran on. */
import type { RunAnalysis } from './analyze.js';

export interface RunResult {
  name: string;
  host: 'real' | 'simulated';
  shape: string;
  wps: number;
  concurrency: number;
  agentMs: number;
  rejected: number;
  command: string;
  exitCode: number | null;
  analysis: RunAnalysis;
  timeline?: string;
  /** What re-analysis needs: the scenario's options and the run's wall-clock span. */
  scenario?: { seed: number; rejectFraction: number; layerWidth?: number };
  span?: { startedAtMs: number; endedAtMs: number };
  /** CPU of the whole process tree (orchestrator, host calls, agents, git) and the cores it had. */
  treeCpu?: { ms: number; cores: number };
}

export interface MachineFacts {
  date: string;
  cpus: number;
  cpuModel: string;
  memory: string;
  loadAverage: string;
  node: string;
  hostVersion: string;
  /** Median wall time of `orchestrator-api contract-version`, called one after another. */
  hostCallMedianMs: Record<string, number>;
}

const s = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;
const n = (value: number, digits = 1) => value.toFixed(digits);

export function machineMarkdown(facts: MachineFacts): string {
  return [
    '| fact | value |',
    '| --- | --- |',
    `| date | ${facts.date} |`,
    `| CPUs (nproc) | ${facts.cpus} (${facts.cpuModel}) |`,
    `| memory | ${facts.memory} |`,
    `| load average at start (1/5/15 min) | ${facts.loadAverage} |`,
    `| node | ${facts.node} |`,
    `| host | ${facts.hostVersion} |`,
    ...Object.entries(facts.hostCallMedianMs).map(
      ([host, ms]) => `| median host call, ${host} (contract-version, sequential) | ${s(ms)} |`,
    ),
    '',
  ].join('\n');
}

export function runMarkdown(result: RunResult): string {
  const a = result.analysis;
  const lines = [
    `### ${result.name} (${result.host} host)`,
    '',
    `${result.wps} WPs, ${result.shape}, concurrency ${result.concurrency}, agents ${result.agentMs} ms` +
      `${result.rejected > 0 ? `, ${result.rejected} WP(s) rejected once` : ''}; exit ${result.exitCode}, ` +
      `${a.wpsDone}/${result.wps} WPs done.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| makespan | ${s(a.makespanMs)} |`,
    `| ideal makespan (critical-path list schedule) | ${s(a.ideal.makespanMs)} |`,
    `| lower bound (max(critical path, work / C)) | ${s(a.ideal.lowerBoundMs)} |`,
    `| overhead = makespan - ideal | ${s(a.overheadMs)} (${n(a.overheadPct)} % of ideal) |`,
    `| host costs used (median start-impl / transition / start-review) | ${s(a.ideal.hostCosts.startImplementation)} / ${s(a.ideal.hostCosts.transition)} / ${s(a.ideal.hostCosts.startReview)} |`,
    `| agent time (median implementation / review, measured) | ${s(a.agentMedianMs.implementation)} / ${s(a.agentMedianMs.review)} |`,
    `| startup (spawn to first start-implementation) | ${s(a.phases.startupMs)} |`,
    `| tail (last done to exit) / exit lag (mission.end to exit) | ${s(a.phases.tailMs)} / ${s(a.phases.exitLagMs)} |`,
  ];
  if (result.treeCpu) {
    // No schedule can beat the CPU the run needs spread over every core: when this bound is
    // above the ideal makespan, the machine (mostly the host's start-ups), not the schedule, sets
    // the floor.
    const { ms, cores } = result.treeCpu;
    const own = a.own?.cpuMs ?? 0;
    lines.push(
      `| CPU of all processes (orchestrator, host calls, agents, git) | ${s(ms)} (orchestrator ${s(own)}, the rest ${s(ms - own)}) |`,
      `| CPU bound (all-process CPU / ${cores} cores) | ${s(ms / cores)} (${n((100 * ms) / cores / Math.max(1, a.ideal.makespanMs), 0)} % of ideal) |`,
    );
  }
  if (a.own) {
    lines.push(
      `| orchestrator CPU (user+sys, self only) | ${n(a.own.cpuMs, 0)} ms (${n(a.own.cpuMsPerWp, 2)} ms per WP started) |`,
      `| orchestrator peak RSS | ${n(a.own.maxRssMb)} MB |`,
      `| state writes / lane mutations | ${a.own.stateWrites} / ${a.own.laneMutations} (${n(a.own.stateWritesPerTransition, 2)} per transition) |`,
      `| state bytes written / final file | ${n(a.own.stateBytes / 1024, 0)} KB / ${n(a.own.finalStateBytes / 1024)} KB (${n(a.own.finalStateBytesPerWp, 0)} B per WP) |`,
      `| largest single state write | ${a.own.maxStateWriteBytes === null ? 'not recorded' : `${n(a.own.maxStateWriteBytes / 1024)} KB`} |`,
    );
  }
  if (a.hostCalls) {
    const p = a.hostCalls.perWp;
    lines.push(
      `| host calls total | ${a.hostCalls.total} (per WP started: ${n(p.laneMutations, 2)} lane mutations, ${n(p.notes, 2)} notes, ${n(p.reads, 2)} reads; ${p.missionLevel} mission-level) |`,
      `| mutation pipeline (all mutation time / mutation slots) | ${s(a.hostCalls.mutationPipelineMs)}, of which notes ${s(a.hostCalls.notesPipelineMs)} |`,
    );
  }
  if (a.dependentStarts) {
    const d = a.dependentStarts;
    lines.push(
      `| dependent starts (dependencies done and a slot free, to start-implementation) | median ${s(d.medianGapMs)}, max ${s(d.maxGapMs)}; ${d.withinRoundTrip}/${d.count} within one host round trip (${s(a.hostCalls?.medianMs)}); ${d.lateButSlotsFull} waited for a slot |`,
      `| our reaction (same, to the moment we asked for start-implementation) | median ${s(d.medianDecisionMs)}, max ${s(d.maxDecisionMs)} |`,
    );
  }
  lines.push('');
  if (a.hostCalls) {
    lines.push(
      '| host command | calls | failed | median | p90 | max | queue wait total | max wait |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const [command, c] of Object.entries(a.hostCalls.byCommand)) {
      lines.push(
        `| ${command} | ${c.count} | ${c.failed} | ${s(c.medianMs)} | ${s(c.p90Ms)} | ${s(c.maxMs)} | ${s(c.totalWaitMs)} | ${s(c.maxWaitMs)} |`,
      );
    }
    lines.push('');
  }
  if (result.timeline) lines.push(`Timeline: [${result.timeline}](${result.timeline})`, '');
  return lines.join('\n');
}
