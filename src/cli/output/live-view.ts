/**
 * Progress for people, on stderr (stdout is for machine output).
 * - On a terminal: a frame redrawn in place (ANSI cursor moves, throttled), one line per WP and
 *   a totals line. `stop()` leaves the last frame on screen.
 * - Otherwise (CI, a log file): one plain line per WP state change and per retry, fallback,
 *   verdict and WP end, plus a heartbeat line when nothing was printed for a while, so a long
 *   agent run never looks like a hang.
 * - Both: the mission's open design decisions, as the caller last read them from the host (the
 *   view itself never calls the host): printed in full when they change, and kept in sight while
 *   any waits (a line under the TTY frame, a note in each heartbeat), so a run waiting on a
 *   person says so while it runs.
 */

import type { OpenDecision } from '../../host/schemas.js';
import { openDecisionsReminder, renderOpenDecisions } from './decisions.js';
import {
  clip,
  colorEnabled,
  formatClock,
  formatCost,
  formatDuration,
  type Palette,
  palette,
  table,
} from './format.js';
import { ProgressModel, type WpPhase, type WpProgress } from './progress-model.js';
import type { OrchestratorRecord, RecordSink } from './records.js';

/** The parts of a tty.WriteStream the view uses (a fake in tests). */
export interface ViewStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface LiveViewOptions {
  stream?: ViewStream;
  /** Redraw in place; default: the stream is a TTY. */
  tty?: boolean;
  /** Default: a TTY and NO_COLOR unset. */
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Redraws per second at most (TTY). Default 10. */
  fps?: number;
  /** Non-TTY: a progress line after this many quiet seconds. Default 60; 0 turns it off. */
  heartbeatSeconds?: number;
  now?: () => number;
}

export interface LiveView {
  /** A RecordSink: feed it every record of the run. */
  readonly update: RecordSink;
  /** A message for people (a warning, a note): printed above the frame, which is redrawn under it. */
  print(text: string): void;
  /** The mission's open design decisions as last read from the host; printed when they change. */
  showOpenDecisions(mission: string, decisions: readonly OpenDecision[]): void;
  /** Stops the timers and leaves the final frame (TTY). Idempotent. */
  stop(): void;
  readonly model: ProgressModel;
}

const ESC = '\u001b[';

function phaseColour(colours: Palette, phase: WpPhase): (text: string) => string {
  switch (phase) {
    case 'done':
      return colours.green;
    case 'blocked':
    case 'failed':
      return colours.red;
    case 'running':
      return colours.yellow;
    default:
      return colours.dim;
  }
}

function elapsedOf(row: WpProgress, now: number): number | null {
  if (row.startedAt === null) return null;
  return (row.endedAt ?? now) - row.startedAt;
}

export function createLiveView(options: LiveViewOptions = {}): LiveView {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const tty = options.tty ?? stream.isTTY === true;
  const colours = palette(options.color ?? (tty && colorEnabled(stream, env)));
  const now = options.now ?? Date.now;
  const model = new ProgressModel();
  let stopped = false;
  let framedLines = 0;
  let dirty = false;
  let lastRender = 0;
  let lastPrint = now();
  let decisions: { mission: string; open: readonly OpenDecision[] } = { mission: '', open: [] };

  // ---------- TTY: a frame redrawn in place ----------

  function frameLines(at: number): string[] {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    const reminder = openDecisionsReminder(decisions.mission, decisions.open);
    const maxRows = Math.max(3, (stream.rows ?? 40) - 2 - (reminder === null ? 0 : 1));
    const header = colours.bold(
      clip(
        `${model.mission ?? 'mission'} · ${model.missionStatus ?? model.missionState ?? 'starting'}`,
        width,
      ),
    );
    let rows = model.wps;
    let hidden = 0;
    if (rows.length > maxRows - 2) {
      // Keep what still moves; finished WPs are the first to fold into "+N more".
      const open = rows.filter((row) => row.phase !== 'done');
      rows = (open.length > maxRows - 2 ? open : rows).slice(0, maxRows - 2);
      hidden = model.wps.length - rows.length;
    }
    const cells = rows.map((row) => [
      row.wp,
      row.lane,
      row.step,
      row.agent ?? '-',
      row.attempt === null ? '-' : `#${row.attempt}`,
      formatDuration(elapsedOf(row, at)),
      row.costKnown ? formatCost(row.costUsd) : '-',
    ]);
    const [, ...body] = table(['WP', 'lane', 'step', 'agent', 'try', 'elapsed', 'cost'], cells);
    const lines = body.map((line, index) => {
      const row = rows[index];
      return row ? phaseColour(colours, row.phase)(clip(line, width)) : line;
    });
    if (hidden > 0) lines.push(colours.dim(`+${hidden} more`));
    const t = model.totals();
    const elapsed = model.startedAt === null ? null : at - model.startedAt;
    const totals =
      `done ${t.done} · running ${t.running} · blocked ${t.blocked} · failed ${t.failed}` +
      (t.waiting > 0 ? ` · waiting ${t.waiting}` : '') +
      ` · elapsed ${formatDuration(elapsed)} · cost ${t.costKnown ? formatCost(t.costUsd) : '-'}`;
    const frame = [header, ...lines, colours.bold(clip(totals, width))];
    if (reminder !== null) frame.push(colours.yellow(clip(reminder, width)));
    return frame;
  }

  function eraseFrame(): string {
    if (framedLines === 0) return '';
    const text = `${ESC}${framedLines}A\r${ESC}J`;
    framedLines = 0;
    return text;
  }

  function render(): void {
    const at = now();
    const lines = frameLines(at);
    let text = framedLines > 0 ? `${ESC}${framedLines}A\r` : '';
    for (const line of lines) text += `${ESC}2K${line}\n`;
    text += `${ESC}J`;
    stream.write(text);
    framedLines = lines.length;
    dirty = false;
    lastRender = at;
  }

  // ---------- plain lines ----------

  function line(atIso: string, text: string): void {
    stream.write(`${formatClock(Date.parse(atIso))} ${text}\n`);
    lastPrint = now();
  }

  function plainLine(record: OrchestratorRecord): void {
    switch (record.type) {
      case 'wp.state': {
        let text = `${record.wp} ${record.state}`;
        if (record.agent !== null) text += ` agent=${record.agent}`;
        if (record.attempt !== null) text += ` attempt=${record.attempt}`;
        if (record.role === 'review') text += ` cycle=${record.review_cycle}`;
        line(record.at, text);
        return;
      }
      case 'wp.retry': {
        const when = record.retry_at ? ` at ${formatClock(Date.parse(record.retry_at))}` : '';
        line(
          record.at,
          `${record.wp} retry: ${record.agent} attempt ${record.failed_attempt} failed (${record.failure_kind}): ` +
            `${record.message}; attempt ${record.next_attempt}${when}`,
        );
        return;
      }
      case 'wp.fallback':
        line(
          record.at,
          `${record.wp} fallback: ${record.from_agent ?? '?'} -> ${record.to_agent ?? '?'}` +
            (record.failure_kind ? ` after ${record.failure_kind}` : '') +
            (record.message ? `: ${record.message}` : ''),
        );
        return;
      case 'review.verdict':
        line(
          record.at,
          `${record.wp} review cycle ${record.review_cycle}: ${record.verdict} by ${record.reviewer}` +
            (record.feedback ? `: ${clip(record.feedback.replace(/\s+/g, ' '), 160)}` : ''),
        );
        return;
      case 'wp.end': {
        const row = model.wp(record.wp);
        line(
          record.at,
          `${record.wp} finished ${record.outcome} (lane ${record.lane}) in ${formatDuration(record.duration_ms)}` +
            (row?.costKnown ? `, ${formatCost(row.costUsd)}` : '') +
            (record.reason ? `: ${record.reason}` : ''),
        );
        return;
      }
      default:
        return;
    }
  }

  function heartbeat(): void {
    const at = now();
    const quietMs = (options.heartbeatSeconds ?? 60) * 1000;
    if (stopped || at - lastPrint < quietMs) return;
    const t = model.totals();
    const running = model.wps
      .filter((row) => row.phase === 'running')
      .map(
        (row) =>
          `${row.wp} ${row.step}${row.agent ? ` (${row.agent})` : ''} ${formatDuration(elapsedOf(row, at))}`,
      );
    const elapsed = model.startedAt === null ? null : at - model.startedAt;
    stream.write(
      `${formatClock(at)} still running, elapsed ${formatDuration(elapsed)}: ` +
        (running.length > 0 ? running.join(', ') : 'no WP in flight') +
        ` · done ${t.done} · blocked ${t.blocked} · failed ${t.failed}` +
        (t.waiting > 0 ? ` · waiting ${t.waiting}` : '') +
        (decisions.open.length > 0
          ? ` · ${decisions.open.length} design decision${decisions.open.length === 1 ? '' : 's'} waiting for a person`
          : '') +
        '\n',
    );
    lastPrint = at;
  }

  function print(text: string): void {
    if (tty && !stopped) {
      stream.write(`${eraseFrame()}${text}\n`);
      render();
    } else {
      stream.write(`${text}\n`);
      lastPrint = now();
    }
  }

  function showOpenDecisions(mission: string, open: readonly OpenDecision[]): void {
    if (stopped) return;
    const key = (list: readonly OpenDecision[]) =>
      list
        .map((decision) => decision.decision_id)
        .sort()
        .join('\n');
    if (key(open) === key(decisions.open)) return;
    const had = decisions.open.length > 0;
    decisions = { mission, open: [...open] };
    // Printed in full once per change (each decision's own `decide` command stays in the
    // scroll-back); the reminder line and the heartbeat keep it in sight after that.
    const lines = renderOpenDecisions(mission, open);
    if (lines.length > 0) print(lines.join('\n'));
    else if (had) print(`no design decision is waiting for a person any more (mission ${mission})`);
  }

  // ---------- timers ----------

  const frameMs = Math.max(16, Math.round(1000 / (options.fps ?? 10)));
  const heartbeatSeconds = options.heartbeatSeconds ?? 60;
  const timer = tty
    ? setInterval(() => {
        // Redraw when something changed, and once a second anyway (elapsed times move).
        if (dirty || now() - lastRender >= 1000) render();
      }, frameMs)
    : heartbeatSeconds > 0
      ? setInterval(heartbeat, Math.min(heartbeatSeconds * 1000, 5000))
      : null;
  // Progress output must never keep the process alive.
  timer?.unref?.();

  return {
    model,
    update(record) {
      if (stopped) return;
      const changed = model.apply(record);
      if (tty) {
        if (changed) dirty = true;
      } else {
        plainLine(record);
      }
    },
    print,
    showOpenDecisions,
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      if (tty) render();
    },
  };
}
