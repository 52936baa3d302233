import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventMapper } from '../../../src/cli/output/events.js';
import { createLiveView, type ViewStream } from '../../../src/cli/output/live-view.js';
import type { OrchestratorRecord } from '../../../src/cli/output/records.js';
import { failed } from '../../machines/support/agent-results.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { recordMissionRun } from './support/record-run.js';

class FakeStream implements ViewStream {
  chunks: string[] = [];
  constructor(
    public isTTY: boolean,
    public columns = 100,
    public rows = 40,
  ) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g');
const TOKEN = new RegExp(`(${ESC}\\[[0-9;]*[A-Za-z]|\\n)`);
const CURSOR_UP = new RegExp(`^${ESC}\\[(\\d+)A$`);
const FOREGROUND = new RegExp(`${ESC}\\[3\\dm`);
const visible = (text: string) => text.replace(ANSI, '');

/** The screen after all writes: replays cursor-up + clear the way a terminal would. */
function screen(text: string): string[] {
  const lines: string[] = [];
  let row = 0;
  for (const token of text.split(TOKEN)) {
    if (token === '') continue;
    const up = CURSOR_UP.exec(token);
    if (up) row = Math.max(0, row - Number(up[1]));
    else if (token === '\u001b[J') lines.length = row;
    else if (token === '\u001b[2K') lines[row] = '';
    else if (token === '\n') row += 1;
    else if (!token.startsWith('\u001b[')) lines[row] = (lines[row] ?? '') + token.replace('\r', '');
  }
  return lines.filter((line) => line !== undefined);
}

let world: SimWorld | undefined;
const records: OrchestratorRecord[] = [];
const START = Date.UTC(2025, 0, 1, 10, 0, 0);

beforeAll(async () => {
  world = await createSimWorld([
    { id: 'WP01', title: 'First' },
    { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
    { id: 'WP03', title: 'Third', dependencies: ['WP02'] },
  ]);
  const run = await recordMissionRun(
    world,
    { implementation: [{ result: failed('claude-code', 'timeout') }] },
    { maxRetries: 1, maxConcurrent: 1 },
  );
  let tick = 0;
  const mapper = createEventMapper({
    runId: 'r',
    now: () => START + 1000 * tick++,
    sink: (r) => records.push(r),
  });
  for (const event of run.events) mapper.inspect(event);
});
afterAll(() => world?.cleanup());
afterEach(() => {
  vi.useRealTimers();
});

describe('live view on a TTY', () => {
  it('redraws one frame in place: a line per WP and a totals line, clipped to the width', () => {
    vi.useFakeTimers({ now: START });
    const stream = new FakeStream(true, 110);
    const view = createLiveView({ stream, env: {}, fps: 10 });
    const midRun = records.findIndex((r) => r.type === 'wp.end' && r.wp === 'WP01');
    for (const record of records.slice(0, midRun + 3)) view.update(record);
    expect(stream.chunks).toEqual([]); // throttled: nothing until the next frame
    vi.advanceTimersByTime(100);
    expect(stream.chunks).toHaveLength(1);
    let frame = screen(stream.text).map(visible);
    expect(frame[0]).toContain('001-demo');
    expect(frame.find((l) => l.startsWith('WP01'))).toMatch(/WP01\s+done\s+done/);
    expect(frame.find((l) => l.startsWith('WP03'))).toMatch(/WP03\s+planned/);
    expect(frame.at(-1)).toMatch(
      /done 1 · running 1 · blocked 0 · failed 0 · waiting 1 · elapsed \S+ · cost \$0\.\d+/,
    );
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(109);

    // Many updates within one frame interval draw once.
    for (const record of records.slice(midRun + 3)) view.update(record);
    vi.advanceTimersByTime(100);
    expect(stream.chunks).toHaveLength(2);
    view.stop();
    frame = screen(stream.text).map(visible);
    // The final frame is left on screen, replacing the earlier one (same number of lines).
    expect(frame.filter((l) => l.startsWith('WP0'))).toHaveLength(3);
    expect(frame.at(-1)).toMatch(/^done 3 · running 0 · blocked 0 · failed 0 · elapsed/);
    expect(frame[0]).toContain('completed');
    const writes = stream.chunks.length;
    vi.advanceTimersByTime(5000);
    expect(stream.chunks).toHaveLength(writes); // stopped: no more redraws
  });

  it('clips every line to the terminal width, so the in-place redraw never wraps', () => {
    const stream = new FakeStream(true, 40);
    const view = createLiveView({ stream, env: {} });
    for (const record of records.slice(0, 30)) view.update(record);
    view.stop();
    const frame = screen(stream.text).map(visible);
    expect(frame.length).toBeGreaterThan(3);
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(39);
    expect(frame.at(-1)).toMatch(/…$/);
  });

  it('colours on a TTY, and never with NO_COLOR', () => {
    const coloured = new FakeStream(true);
    const a = createLiveView({ stream: coloured, env: {} });
    for (const record of records) a.update(record);
    a.stop();
    expect(coloured.text).toContain(`${ESC}[32m`);

    const plain = new FakeStream(true);
    const b = createLiveView({ stream: plain, env: { NO_COLOR: '1' } });
    for (const record of records) b.update(record);
    b.stop();
    expect(plain.text).not.toMatch(FOREGROUND);
    expect(plain.text).toContain(`${ESC}[2K`); // still redrawn in place
  });

  it('prints messages above the frame and redraws it below', () => {
    const stream = new FakeStream(true);
    const view = createLiveView({ stream, env: { NO_COLOR: '1' } });
    for (const record of records.slice(0, 10)) view.update(record);
    view.stop();
    const before = screen(stream.text).length;
    const live = createLiveView({ stream, env: { NO_COLOR: '1' } });
    for (const record of records.slice(0, 10)) live.update(record);
    live.print('warning: something to know');
    live.stop();
    const lines = screen(stream.text);
    expect(lines).toContain('warning: something to know');
    expect(lines.indexOf('warning: something to know')).toBe(before);
  });
});

describe('live view without a TTY', () => {
  it('prints one plain line per WP state change, and retries and ends', () => {
    const stream = new FakeStream(false);
    const view = createLiveView({ stream, env: {}, heartbeatSeconds: 0 });
    for (const record of records) view.update(record);
    view.stop();
    const lines = stream.text.trimEnd().split('\n');
    expect(stream.text).not.toContain(ESC);
    const states = records.filter((r) => r.type === 'wp.state');
    expect(lines.filter((l) => / WP0\d (?!retry|finished|review|fallback)/.test(l))).toHaveLength(
      states.length,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d WP01 inProgress\.implementing agent=claude-code attempt=2$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d WP01 retry: claude-code attempt 1 failed \(timeout\): timeout trouble; attempt 2 at \d\d:\d\d:\d\d$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d WP02 review cycle 1: approved by claude-code$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d WP03 finished done \(lane done\) in \S+, \$0\.02$/),
    );
  });

  it('prints a heartbeat when nothing happened for the given seconds', () => {
    vi.useFakeTimers({ now: START });
    const stream = new FakeStream(false);
    const view = createLiveView({ stream, env: {}, heartbeatSeconds: 60 });
    const implementing = records.find((r) => r.type === 'wp.state' && r.state === 'inProgress.implementing');
    view.update({ ...implementing!, at: new Date(START).toISOString() } as OrchestratorRecord);
    expect(stream.chunks).toHaveLength(1);
    vi.advanceTimersByTime(55_000);
    expect(stream.chunks).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(stream.chunks).toHaveLength(2);
    expect(stream.chunks[1]).toMatch(
      /^\d\d:\d\d:\d\d still running, elapsed 1m0\ds: WP01 inProgress\.implementing \(claude-code\) 1m0\ds · done 0/,
    );
    vi.advanceTimersByTime(30_000);
    expect(stream.chunks).toHaveLength(2); // the next one only after another quiet minute
    vi.advanceTimersByTime(35_000);
    expect(stream.chunks).toHaveLength(3);
    view.stop();
    vi.advanceTimersByTime(120_000);
    expect(stream.chunks).toHaveLength(3);
  });
});

describe('live view: open design decisions', () => {
  const D1 = { decision_id: '01M8XRQ85PCB5BNP9JHJXNGSH7', origin: 'plan' };
  const D2 = { decision_id: '01M8XRQ85PCB5BNP9JHJXNGSH8', origin: null };

  it('on a TTY: printed above the frame once, and a reminder line under the totals while any waits', () => {
    vi.useFakeTimers({ now: START });
    const stream = new FakeStream(true, 200);
    const view = createLiveView({ stream, env: { NO_COLOR: '1' }, fps: 10 });
    for (const record of records.slice(0, 10)) view.update(record);
    view.showOpenDecisions('001-demo', [D1, D2]);
    vi.advanceTimersByTime(100);
    let lines = screen(stream.text);
    expect(lines).toContain('2 design decisions are waiting for a person (mission 001-demo):');
    expect(lines).toContain(
      `  ${D1.decision_id} (from plan): answer with \`spec-kitty-orchestrator decide --mission 001-demo --decision ${D1.decision_id} --answer '<your answer>'\``,
    );
    expect(lines.at(-1)).toBe(
      `waiting for a person: 2 design decisions (\`spec-kitty-orchestrator decisions --mission 001-demo\`): ${D1.decision_id}, ${D2.decision_id}`,
    );
    expect(lines.at(-2)).toMatch(/^done \d+ · running/);

    // The same decisions read again (a refresh): not printed a second time.
    view.showOpenDecisions('001-demo', [D2, D1]);
    vi.advanceTimersByTime(1000);
    lines = screen(stream.text);
    expect(lines.filter((line) => line.includes('design decisions are waiting'))).toHaveLength(1);

    // Answered: said once, and the reminder goes.
    view.showOpenDecisions('001-demo', []);
    view.stop();
    lines = screen(stream.text);
    expect(lines).toContain('no design decision is waiting for a person any more (mission 001-demo)');
    expect(lines.at(-1)).toMatch(/^done \d+ · running/);
    expect(lines.some((line) => line.startsWith('waiting for a person'))).toBe(false);
  });

  it('the reminder is clipped to the width like every frame line', () => {
    const stream = new FakeStream(true, 60);
    const view = createLiveView({ stream, env: { NO_COLOR: '1' } });
    for (const record of records.slice(0, 10)) view.update(record);
    view.showOpenDecisions('001-demo', [D1, D2]);
    view.stop();
    const frame = screen(stream.text).slice(-1);
    expect(frame[0]).toMatch(/^waiting for a person: 2 design decisions .*…$/);
    expect(frame[0]?.length).toBeLessThanOrEqual(59);
  });

  it('without a TTY: printed when they change, and each heartbeat says how many wait', () => {
    vi.useFakeTimers({ now: START });
    const stream = new FakeStream(false);
    const view = createLiveView({ stream, env: {}, heartbeatSeconds: 60 });
    view.showOpenDecisions('001-demo', []);
    expect(stream.text).toBe(''); // none, and none before: nothing to say
    view.showOpenDecisions('001-demo', [D1]);
    expect(stream.text).toBe(
      '1 design decision is waiting for a person (mission 001-demo):\n' +
        `  ${D1.decision_id} (from plan): answer with \`spec-kitty-orchestrator decide --mission 001-demo --decision ${D1.decision_id} --answer '<your answer>'\`\n`,
    );
    view.showOpenDecisions('001-demo', [D1]);
    expect(stream.chunks).toHaveLength(1);
    vi.advanceTimersByTime(65_000);
    expect(stream.chunks.at(-1)).toMatch(/ · 1 design decision waiting for a person\n$/);
    view.showOpenDecisions('001-demo', []);
    expect(stream.chunks.at(-1)).toBe(
      'no design decision is waiting for a person any more (mission 001-demo)\n',
    );
    vi.advanceTimersByTime(65_000);
    expect(stream.chunks.at(-1)).not.toContain('design decision');
    view.stop();
    view.showOpenDecisions('001-demo', [D2]);
    expect(stream.text).not.toContain(D2.decision_id); // stopped: the summary speaks now
  });
});
