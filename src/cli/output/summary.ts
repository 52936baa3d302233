/**
 * The end-of-run summary: a table of every WP, what was accepted, and the truthful next step.
 * Pure: MissionOutput (plus the host's final lanes, when read) in, text out.
 */
import { displayPath } from '../../actors/persistence/paths.js';
import type { Lane } from '../../host/lanes.js';
import type { OpenDecision } from '../../host/schemas.js';
import type { MissionOutput, WpSummary } from '../../machines/mission/types.js';
import { acceptanceReason, isAcceptanceFailure } from './acceptance.js';
import { renderOpenDecisions } from './decisions.js';
import { formatCost, formatDuration, formatTokens, type Palette, palette, table } from './format.js';

export interface SummaryOptions {
  mission: string;
  /** Lanes from a mission-state read after the run; they outrank what the run believed. */
  hostLanes?: Readonly<Record<string, Lane>>;
  color?: boolean;
  /** Log paths are shown relative to this folder when below it. Default: process.cwd(). */
  cwd?: string;
  /**
   * The user's command that merges the finished mission on this host (it differs between host
   * versions: `spec-kitty merge` on 3.x, `spec-kitty consolidate` on 4.x). Default: the 3.x form.
   */
  mergeCommand?: readonly string[];
  /** The host's open design decisions, read when the run stalled: the stall is explained by them. */
  openDecisions?: readonly OpenDecision[];
}

const ORCHESTRATOR = 'spec-kitty-orchestrator';

function laneOf(wp: WpSummary, hostLanes: SummaryOptions['hostLanes']): Lane {
  return hostLanes?.[wp.wpId] ?? wp.lane;
}

function listOrDash(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(',');
}

function wpRow(wp: WpSummary, lane: Lane): string[] {
  const result = wp.result;
  if (!result) return [wp.wpId, lane, '-', '-', '-', '-', '-', '-'];
  const costKnown = result.usage.costUsd > 0 || result.usage.inputTokens > 0;
  return [
    wp.wpId,
    lane,
    listOrDash(result.agents.implementation),
    listOrDash(result.agents.review),
    `${result.attempts.implementation}/${result.attempts.review}`,
    String(result.reviewCycles),
    formatDuration(result.durationMs),
    costKnown ? formatCost(result.usage.costUsd) : '-',
  ];
}

function lastLog(wp: WpSummary, cwd: string): string | null {
  const logPath = wp.result?.logPaths.at(-1);
  return logPath ? displayPath(logPath, cwd) : null;
}

/** Why a WP that is not done needs a person, in one line. */
function attentionReason(wp: WpSummary, lane: Lane, stalled: Map<string, string>): string {
  const reason =
    wp.reason ??
    stalled.get(wp.wpId) ??
    wp.result?.lastError?.message ??
    (wp.outcome ? `ended ${wp.outcome} in this run` : `not run in this run (lane ${lane})`);
  return wp.errorCode && !reason.includes(wp.errorCode) ? `${reason} [${wp.errorCode}]` : reason;
}

function attentionLines(output: MissionOutput, options: SummaryOptions, colours: Palette): string[] {
  const cwd = options.cwd ?? process.cwd();
  const stalled = new Map((output.stalledWps ?? []).map((s) => [s.wpId, s.reason]));
  const lines: string[] = [];
  for (const wp of Object.values(output.wps)) {
    const lane = laneOf(wp, options.hostLanes);
    if (lane === 'done') continue;
    lines.push(`  ${colours.red(wp.wpId)} (${lane}): ${attentionReason(wp, lane, stalled)}`);
    const log = lastLog(wp, cwd);
    if (log) lines.push(`      log: ${log}`);
  }
  return lines;
}

function nextSteps(output: MissionOutput, options: SummaryOptions, allDone: boolean): string[] {
  const m = options.mission;
  const blocked = Object.values(output.wps).find((wp) => laneOf(wp, options.hostLanes) === 'blocked');
  if (allDone && isAcceptanceFailure(output)) {
    return [
      `Next: fix what the host named above, then run \`${ORCHESTRATOR} orchestrate --mission ${m}\` ` +
        'again: every WP stays done and only acceptance is retried.',
    ];
  }
  if (allDone) {
    const merge = (options.mergeCommand ?? ['spec-kitty', 'merge', '--mission', m]).join(' ');
    return [`Next: merge the mission with \`${merge}\`, then open a pull request.`];
  }
  switch (output.status) {
    case 'aborted':
      return [`Next: \`${ORCHESTRATOR} resume\` continues this run; host lanes were left as they are.`];
    case 'failed':
      return [
        `Next: fix the error above, then \`${ORCHESTRATOR} resume\` (or start again with ` +
          `\`${ORCHESTRATOR} orchestrate --mission ${m}\`).`,
      ];
    default: {
      const waiting = renderOpenDecisions(m, options.openDecisions ?? []);
      const lines = [...waiting, 'Next: read the logs above and fix the causes.'];
      if (waiting.length > 0)
        lines[waiting.length] = 'Next: answer the decisions above, and fix what the logs name.';
      if (blocked) {
        lines.push(
          'A blocked WP goes back to work with spec-kitty (blocked -> in_progress), e.g. ' +
            `\`spec-kitty agent tasks move-task ${blocked.wpId} --to doing --mission ${m}\`.`,
        );
      }
      lines.push(
        `Then run \`${ORCHESTRATOR} orchestrate --mission ${m}\` again: WPs left in progress or for review ` +
          'are picked up where they are.',
      );
      return lines;
    }
  }
}

export function renderSummary(output: MissionOutput, options: SummaryOptions): string {
  const colours = palette(options.color ?? false);
  const wps = Object.values(output.wps);
  const lanes = wps.map((wp) => laneOf(wp, options.hostLanes));
  const allDone = wps.length > 0 && lanes.every((lane) => lane === 'done');
  const headline =
    isAcceptanceFailure(output) && allDone
      ? colours.red(`Mission ${options.mission}: every WP is done, but the mission was not accepted`)
      : output.status === 'completed'
        ? colours.green(`Mission ${options.mission}: completed`)
        : output.status === 'aborted'
          ? colours.yellow(`Mission ${options.mission}: aborted`)
          : colours.red(`Mission ${options.mission}: ${output.status.replace(/_/g, ' ')}`);
  // For problem runs the per-WP reasons below say the same, one WP per line.
  const problemRun =
    output.status === 'stalled' || output.status === 'finished_with_problems' || isAcceptanceFailure(output);
  const out: string[] = [colours.bold(headline), ...(problemRun ? [] : [`  ${output.summary}`]), ''];

  if (wps.length > 0) {
    const rows = wps.map((wp, index) => wpRow(wp, lanes[index] ?? wp.lane));
    out.push(
      ...table(
        ['WP', 'lane', 'implemented by', 'reviewed by', 'runs i/r', 'cycles', 'duration', 'cost'],
        rows,
      ).map((line) => `  ${line}`),
    );
    const usage = wps.reduce(
      (sum, wp) => ({
        tokens: sum.tokens + (wp.result ? wp.result.usage.inputTokens + wp.result.usage.outputTokens : 0),
        cost: sum.cost + (wp.result?.usage.costUsd ?? 0),
      }),
      { tokens: 0, cost: 0 },
    );
    if (usage.tokens > 0 || usage.cost > 0) {
      out.push(`  total: ${formatTokens(usage.tokens)} tokens, ${formatCost(usage.cost)}`);
    }
    out.push('');
  } else {
    out.push('  The host listed no work packages.', '');
  }

  const approvedNow = wps.filter((wp) => wp.outcome === 'done').map((wp) => wp.wpId);
  if (approvedNow.length > 0) out.push(`Reviewed and approved in this run: ${approvedNow.join(', ')}`);
  const acceptanceFailed = isAcceptanceFailure(output);
  if (output.accepted === true) out.push(`Mission accepted (accept-mission): ${options.mission}`);
  else if (acceptanceFailed)
    out.push(
      colours.red(
        `The host did not accept the mission: ${acceptanceReason(output)}` +
          (output.error ? ` [${output.error.code}]` : ''),
      ),
    );
  else if (allDone) out.push(`Mission not accepted by this run (acceptance was not requested).`);

  if (output.error && !acceptanceFailed)
    out.push(colours.red(`Error: ${output.error.code}: ${output.error.message}`));
  if (output.status === 'stalled') {
    const stuck = (output.stalledWps ?? []).map((s) => s.wpId);
    out.push(
      `Stalled: no WP can move and none is running${stuck.length > 0 ? ` (stuck: ${stuck.join(', ')})` : ''}.`,
    );
  }
  if (!allDone) {
    const attention = attentionLines(output, options, colours);
    if (attention.length > 0) out.push('Needs attention:', ...attention);
  }
  out.push('', ...nextSteps(output, options, allDone));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
