/** The comparison's counting: witness records, host processes by kind, forced lane events. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  countHostProcesses,
  FIELD,
  parseInvocation,
  parseProcStat,
  RECORD,
  readInvocations,
  summarizeLaneEvents,
  writeWitness,
} from '../../bench/witness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sko-bench-witness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench witness', () => {
  it('records every argument verbatim and the exit code, and passes both through', () => {
    // A stand-in host that prints its arguments and exits 3.
    const host = path.join(dir, 'host.sh');
    writeFileSync(host, '#!/bin/sh\nprintf "%s|" "$@"\nexit 3\n', { mode: 0o755 });
    const records = path.join(dir, 'records');
    const witness = writeWitness(path.join(dir, 'bin'), records, host);
    const args = ['orchestrator-api', 'transition', '--note', "it's a note\nwith two lines", '--force'];
    let output = '';
    let status: number | undefined;
    try {
      execFileSync(witness, args, { encoding: 'utf8' });
    } catch (error) {
      const failure = error as { stdout: string; status: number };
      output = failure.stdout;
      status = failure.status;
    }
    expect(status).toBe(3);
    expect(output).toBe(`${args.join('|')}|`);
    const [invocation] = readInvocations(records);
    expect(invocation?.argv).toEqual(args);
    expect(invocation?.exitCode).toBe(3);
    expect(invocation?.endS).toBeGreaterThanOrEqual(invocation?.startS ?? Number.POSITIVE_INFINITY);
  });

  it('parses a record whose host never came back, and refuses what is not a record', () => {
    const invocation = parseInvocation(`12.5${FIELD}42${FIELD}orchestrator-api${FIELD}list-ready${RECORD}`);
    expect(invocation).toEqual({ startS: 12.5, parentPid: 42, argv: ['orchestrator-api', 'list-ready'] });
    expect(() => parseInvocation('hello')).toThrow(/not a witness record/);
  });

  it('counts host processes by kind: the protocol, per WP or not, and the agents’ mark-status', () => {
    const call = (argv: string[], exitCode = 0) => ({ startS: 1, parentPid: 1, argv, exitCode });
    const count = countHostProcesses([
      call(['orchestrator-api', 'contract-version']),
      call(['orchestrator-api', 'list-ready', '--mission', 'm']),
      call(['orchestrator-api', 'start-implementation', '--mission', 'm', '--wp', 'WP01']),
      call(['orchestrator-api', 'transition', '--mission', 'm', '--wp', 'WP01', '--to', 'for_review'], 1),
      call([
        'orchestrator-api',
        'transition',
        '--mission',
        'm',
        '--wp',
        'WP01',
        '--to',
        'for_review',
        '--force',
      ]),
      call(['agent', 'tasks', 'mark-status', 'T001', 'T002', '--status', 'done', '--mission', 'm', '--json']),
      call(['--version']),
    ]);
    expect(count).toEqual({
      total: 7,
      orchestratorApi: 5,
      markStatus: 1,
      other: 1,
      failed: 1,
      wpLevel: 3,
      forcedTransitionCalls: 1,
      byCommand: {
        'orchestrator-api contract-version': 1,
        'orchestrator-api list-ready': 1,
        'orchestrator-api start-implementation': 1,
        'orchestrator-api transition': 2,
        'mark-status': 1,
        '--version': 1,
      },
    });
  });

  it('counts the forced lane events of the host log and each WP’s last lane, skipping other events', () => {
    const lane = (wp: string, from: string, to: string, force?: boolean | null) =>
      JSON.stringify({ wp_id: wp, from_lane: from, to_lane: to, force, actor: 'x' });
    const text = [
      JSON.stringify({ event_type: 'WPCreated', aggregate_id: 'WP01', force: true }),
      lane('WP01', 'planned', 'claimed', false),
      lane('WP01', 'in_progress', 'for_review', true),
      '',
      lane('WP01', 'in_review', 'done', true),
      // Only force: true counts; an event without the field, or null, is not forced.
      lane('WP02', 'genesis', 'planned'),
      lane('WP02', 'planned', 'claimed', null),
      JSON.stringify({ kind: 'annotation', wp_id: 'WP02', force: true }),
    ].join('\n');
    expect(summarizeLaneEvents(text)).toEqual({
      events: 5,
      forced: 2,
      forcedTo: { for_review: 1, done: 1 },
      finalLane: { WP01: 'done', WP02: 'claimed' },
    });
  });

  it('reads busy and total CPU ticks of the machine from /proc/stat (idle and iowait are not busy)', () => {
    const stat = ['cpu  100 5 50 1000 20 3 2 0 0 0', 'cpu0 50 2 25 500 10 1 1 0 0 0', 'intr 12345'].join(
      '\n',
    );
    expect(parseProcStat(stat)).toEqual({ busyTicks: 160, totalTicks: 1180 });
    expect(() => parseProcStat('intr 1')).toThrow(/no aggregate cpu line/);
  });
});
