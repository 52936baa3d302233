import { describe, expect, it } from 'vitest';
import { checkFlags, helpListsFlag, optionNames } from '../../src/agents/flag-check.js';
import { TESTED_VERSIONS } from '../../src/agents/tested-versions.js';
import { AGENT_IDS } from '../../src/agents/types.js';

describe('flag check', () => {
  it('takes option names from an argv: --x=y is --x; a bare -, values and negative numbers are not options', () => {
    expect(
      optionNames(['exec', '--json', '--sandbox', 'workspace-write', '-c', 'a=b', '--model=gpt', '-', '-5']),
    ).toEqual(['--json', '--sandbox', '-c', '--model']);
  });

  it('finds a flag in help text only as a whole option, not inside a longer one', () => {
    const help = '  -p, --print            Print and exit\n  --output-format <f>  json\n  [--max-turns N]\n';
    expect(helpListsFlag(help, '-p')).toBe(true);
    expect(helpListsFlag(help, '--print')).toBe(true);
    expect(helpListsFlag(help, '--output-format')).toBe(true);
    expect(helpListsFlag(help, '--max-turns')).toBe(true);
    expect(helpListsFlag(help, '--output')).toBe(false);
    expect(helpListsFlag(help, '--yolo')).toBe(false);
  });

  it('reports per role which flags the help lists and which it does not', () => {
    const help = '--json  events\n--sandbox <mode>\n';
    expect(
      checkFlags(help, [
        { role: 'implementation', flags: ['--json', '--full-auto'] },
        { role: 'review', flags: ['--json', '--sandbox'] },
      ]),
    ).toEqual([
      { role: 'implementation', accepted: ['--json'], unknown: ['--full-auto'] },
      { role: 'review', accepted: ['--json', '--sandbox'], unknown: [] },
    ]);
  });
});

describe('unlisted flags', () => {
  it('counts a flag the help leaves out as accepted only when the adapter names it', () => {
    const roles = [{ role: 'implementation' as const, flags: ['-p', '--yolo'] }];
    expect(checkFlags('-p, --prompt', roles)[0]?.unknown).toEqual(['--yolo']);
    expect(checkFlags('-p, --prompt', roles, ['--yolo'])[0]).toEqual({
      role: 'implementation',
      accepted: ['-p', '--yolo'],
      unknown: [],
    });
  });
});

describe('tested versions', () => {
  it('are exactly the versions the installer pins (scripts/ensure-agents.mjs)', async () => {
    // @ts-expect-error: a plain .mjs script without type declarations
    const { PINNED_AGENTS, NOT_ON_NPM } = (await import('../../scripts/ensure-agents.mjs')) as {
      PINNED_AGENTS: Record<string, { pkg: string; version: string }>;
      NOT_ON_NPM: Record<string, string>;
    };
    for (const id of AGENT_IDS) {
      const tested = TESTED_VERSIONS[id];
      const pinned = PINNED_AGENTS[id];
      if (pinned) {
        expect({ id, pkg: tested.npmPackage, version: tested.version }).toEqual({
          id,
          pkg: pinned.pkg,
          version: pinned.version,
        });
      } else {
        expect(NOT_ON_NPM[id], `${id} is neither pinned nor explained`).toBeDefined();
        expect(tested.proof).toBe('docs');
      }
    }
  });
});
