/**
 * A timeline picture of one run, from its JSONL event log alone: one row per WP with a bar per
 * phase (waiting for a slot, host mutation, agent at work, our own git/bookkeeping), a bottom row
 * with every host process in flight, and a line at the ideal makespan. Standalone SVG, no deps.
 */
import type { EventRecord } from './analyze.js';

type Phase = 'waiting' | 'host' | 'implementing' | 'reviewing' | 'local' | 'other';

const COLORS: Record<Phase, string> = {
  waiting: '#d9d9d9',
  host: '#f28e2b',
  implementing: '#4e79a7',
  reviewing: '#59a14f',
  local: '#b07aa1',
  other: '#9c9c9c',
};
const LABELS: Record<Phase, string> = {
  waiting: 'ready, waiting for a slot',
  host: 'host mutation (queue + call)',
  implementing: 'implementation agent',
  reviewing: 'review agent',
  local: 'our git / bookkeeping',
  other: 'other',
};
const HOST_STATES = new Set([
  'claiming',
  'submitting',
  'forReview.claimingReview',
  'completing',
  'requestingChanges',
  'recoveringReview',
  'blocking',
]);
const FINAL_STATES = new Set(['done', 'blocked', 'failed']);

function phaseOf(state: string): Phase {
  if (HOST_STATES.has(state)) return 'host';
  if (state === 'inProgress.implementing') return 'implementing';
  if (state === 'inReview.reviewing') return 'reviewing';
  if (/preparing|committing|summarizing|resolvingWorkspace/.test(state)) return 'local';
  return 'other';
}

export interface TimelineOptions {
  title: string;
  events: EventRecord[];
  dependencies: ReadonlyMap<string, readonly string[]>;
  startedAtMs: number;
  endedAtMs: number;
  idealMs?: number;
}

interface Bar {
  row: number;
  from: number;
  to: number;
  phase: Phase;
  label: string;
}

export function renderTimeline(options: TimelineOptions): string {
  const wps = [...options.dependencies.keys()];
  const rowOf = new Map(wps.map((wp, index) => [wp, index]));
  const t = (at: string) => Date.parse(at) - options.startedAtMs;
  const bars: Bar[] = [];
  const states = new Map<string, Array<{ at: number; state: string }>>();
  for (const record of options.events) {
    if (record.type !== 'wp.state' || !record.wp || typeof record.state !== 'string') continue;
    const list = states.get(record.wp) ?? [];
    list.push({ at: t(record.at), state: record.state });
    states.set(record.wp, list);
  }
  const doneAt = new Map<string, number>();
  for (const [wp, list] of states) {
    const final = list.find((entry) => FINAL_STATES.has(entry.state));
    if (final) doneAt.set(wp, final.at);
  }
  for (const [wp, list] of states) {
    const row = rowOf.get(wp);
    if (row === undefined) continue;
    const claim = list.find((entry) => entry.state === 'claiming');
    const deps = options.dependencies.get(wp) ?? [];
    const readyAt =
      deps.length === 0 ? (list[0]?.at ?? 0) : Math.max(...deps.map((dep) => doneAt.get(dep) ?? 0));
    if (claim && claim.at > readyAt)
      bars.push({ row, from: readyAt, to: claim.at, phase: 'waiting', label: 'waiting' });
    for (let index = 0; index < list.length; index += 1) {
      const entry = list[index];
      const next = list[index + 1];
      if (!entry || !next || FINAL_STATES.has(entry.state)) continue;
      bars.push({ row, from: entry.at, to: next.at, phase: phaseOf(entry.state), label: entry.state });
    }
  }
  const hostCalls = options.events
    .filter((record) => record.type === 'host.call')
    .map((record) => {
      const end = t(record.at);
      return { from: end - Number(record.duration_ms ?? 0), to: end, command: String(record.command) };
    });

  const totalMs = Math.max(options.endedAtMs - options.startedAtMs, options.idealMs ?? 0, 1);
  const left = 70;
  const width = 1100;
  const plotWidth = width - left - 20;
  const rowHeight = wps.length > 60 ? Math.max(2, Math.floor(600 / wps.length)) : 14;
  const top = 40;
  const rowsHeight = wps.length * rowHeight;
  const hostTop = top + rowsHeight + 10;
  const hostHeight = 24;
  const axisTop = hostTop + hostHeight + 4;
  const legendTop = axisTop + 30;
  const height = legendTop + 20 * Math.ceil(Object.keys(COLORS).length / 3) + 30;
  const x = (ms: number) => left + (Math.max(0, ms) / totalMs) * plotWidth;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  if (wps.length <= 60) {
    for (const [wp, row] of rowOf) {
      parts.push(
        `<text x="${left - 6}" y="${top + row * rowHeight + rowHeight - 3}" text-anchor="end">${wp}</text>`,
      );
    }
  } else {
    parts.push(`<text x="${left - 6}" y="${top + 10}" text-anchor="end">${wps.length} WPs</text>`);
  }
  for (const bar of bars) {
    const w = Math.max(0.5, x(bar.to) - x(bar.from));
    parts.push(
      `<rect x="${x(bar.from).toFixed(1)}" y="${top + bar.row * rowHeight + 1}" width="${w.toFixed(1)}" height="${Math.max(1, rowHeight - 2)}" fill="${COLORS[bar.phase]}"><title>${escapeXml(`${wps[bar.row]} ${bar.label}: ${((bar.to - bar.from) / 1000).toFixed(2)} s`)}</title></rect>`,
    );
  }
  parts.push(`<text x="${left - 6}" y="${hostTop + 15}" text-anchor="end">host</text>`);
  for (const call of hostCalls) {
    parts.push(
      `<rect x="${x(call.from).toFixed(1)}" y="${hostTop}" width="${Math.max(0.5, x(call.to) - x(call.from)).toFixed(1)}" height="${hostHeight}" fill="#f28e2b" fill-opacity="0.3"><title>${escapeXml(`${call.command} ${((call.to - call.from) / 1000).toFixed(2)} s`)}</title></rect>`,
    );
  }
  const step = niceStep(totalMs / 10);
  for (let ms = 0; ms <= totalMs; ms += step) {
    parts.push(
      `<line x1="${x(ms)}" y1="${top}" x2="${x(ms)}" y2="${axisTop}" stroke="#000" stroke-opacity="0.08"/>`,
      `<text x="${x(ms)}" y="${axisTop + 14}" text-anchor="middle">${(ms / 1000).toFixed(step < 1000 ? 1 : 0)} s</text>`,
    );
  }
  parts.push(
    `<line x1="${x(options.endedAtMs - options.startedAtMs)}" y1="${top - 6}" x2="${x(options.endedAtMs - options.startedAtMs)}" y2="${axisTop}" stroke="#e15759" stroke-width="2"/>`,
    `<text x="${x(options.endedAtMs - options.startedAtMs) - 4}" y="${top - 8}" text-anchor="end" fill="#e15759">exit ${((options.endedAtMs - options.startedAtMs) / 1000).toFixed(1)} s</text>`,
  );
  if (options.idealMs !== undefined) {
    parts.push(
      `<line x1="${x(options.idealMs)}" y1="${top - 6}" x2="${x(options.idealMs)}" y2="${axisTop}" stroke="#333" stroke-dasharray="4 3"/>`,
      `<text x="${x(options.idealMs) - 4}" y="${top - 20}" text-anchor="end">ideal ${(options.idealMs / 1000).toFixed(1)} s</text>`,
    );
  }
  (Object.keys(COLORS) as Phase[]).forEach((phase, index) => {
    const lx = left + (index % 3) * 300;
    const ly = legendTop + Math.floor(index / 3) * 20;
    parts.push(
      `<rect x="${lx}" y="${ly}" width="14" height="12" fill="${COLORS[phase]}"/>`,
      `<text x="${lx + 20}" y="${ly + 10}">${LABELS[phase]}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const factor of [1, 2, 5, 10]) if (raw <= factor * power) return factor * power;
  return 10 * power;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}
