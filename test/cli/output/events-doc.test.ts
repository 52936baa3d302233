/**
 * docs/events.md is the interface scripts read: every record a run makes must be documented there
 * field by field, and every documented field must exist. The run below produces every record
 * type (a retry, a fallback, a rejection, an approval, host calls).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventMapper } from '../../../src/cli/output/events.js';
import { EVENTS_VERSION, type OrchestratorRecord } from '../../../src/cli/output/records.js';
import { failed, rejected } from '../../machines/support/agent-results.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { recordMissionRun } from './support/record-run.js';

const COMMON = ['v', 'type', 'at', 'run_id'];

/** `### \`type\`` sections and the `| \`field\` |` rows of their tables. */
function documentedFields(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    const heading = /^### `([a-z.]+)`/.exec(line);
    if (heading?.[1]) {
      current = [];
      sections.set(heading[1], current);
      continue;
    }
    if (line.startsWith('## ')) current = null;
    const row = /^\| `([a-z_]+)` \|/.exec(line);
    if (row?.[1] && current) current.push(row[1]);
  }
  return sections;
}

let world: SimWorld | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

describe('docs/events.md', () => {
  it('documents exactly the fields of every record type a run makes', async () => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const run = await recordMissionRun(
      world,
      {
        implementation: [
          { result: failed('claude-code', 'timeout') },
          { result: failed('claude-code', 'auth') },
        ],
        review: [{ result: rejected('claude-code', 'add a test') }],
      },
      { maxRetries: 1, agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] } },
    );
    expect(run.output.status).toBe('completed');
    const records: OrchestratorRecord[] = [];
    const mapper = createEventMapper({ runId: 'r', sink: (r) => records.push(r) });
    for (const event of run.events) mapper.inspect(event);
    mapper.hostCall({ command: 'transition', args: [], durationMs: 1, waitMs: 0, attempt: 1, ok: true });

    const seen = new Map<string, Set<string>>();
    for (const record of records) {
      expect(record.v).toBe(EVENTS_VERSION);
      const keys = seen.get(record.type) ?? new Set<string>();
      for (const key of Object.keys(record)) keys.add(key);
      seen.set(record.type, keys);
    }

    const documented = documentedFields(readFileSync('docs/events.md', 'utf8'));
    expect([...seen.keys()].sort()).toEqual([...documented.keys()].sort());
    for (const [type, fields] of documented) {
      expect({ type, fields: [...(seen.get(type) ?? [])].sort() }).toEqual({
        type,
        fields: [...COMMON, ...fields].sort(),
      });
    }
    const markdown = readFileSync('docs/events.md', 'utf8');
    expect(markdown).toContain(`the major version of the records: **${EVENTS_VERSION}**`);
  });
});
