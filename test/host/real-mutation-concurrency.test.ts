/**
 * The REAL host under the client's default mutation concurrency: eight WPs of one mission driven
 * at once (claims, notes, lane changes overlapping on different WPs). The host takes its own
 * per-mission lock for each mutation; this proves the overlap the client allows loses nothing:
 * every call succeeds, every WP records exactly its own lane moves once, every note is kept.
 */
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostTransport } from '../../src/host/api.js';
import { DEFAULT_MAX_CONCURRENT_MUTATIONS, type HostCallRecord, HostClient } from '../../src/host/client.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { buildPolicy, serializePolicy } from '../../src/host/policy.js';
import { createRealMission, readRealLaneEvents } from '../support/real-mission.js';
import {
  createTempRepo,
  GIT_TEST_ENV,
  git,
  hostTestEnv,
  realHostBin,
  type TempRepo,
} from '../support/temp-repo.js';

const SPEC_SLUG = '001-concurrency';
/** The slug the host gave the mission. */
let SLUG = '';
const WPS = Array.from({ length: 8 }, (_, i) => `WP${String(i + 1).padStart(2, '0')}`);
const ACTOR = 'spec-kitty-orchestrator';

let repo: TempRepo;
let home = '';
let client: HostClient;
const calls: HostCallRecord[] = [];
let running = 0;
let peakRunning = 0;

/** Every file the host keeps for the mission, concatenated (notes live in one of them). */
function missionFilesText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

beforeAll(async () => {
  home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-host-home-')));
  repo = createTempRepo('sko-concurrency-');
  git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
  const env = { ...hostTestEnv(home), ...GIT_TEST_ENV };
  const created = await createRealMission(
    repo.root,
    {
      slug: SPEC_SLUG,
      title: 'Concurrency',
      workPackages: WPS.map((id, index) => ({
        id,
        title: `Piece ${index + 1}`,
        dependencies: [],
        subtasks: [`T${String(index + 1).padStart(3, '0')}`],
        prompt: `Write src/${id.toLowerCase()}.txt.`,
      })),
    },
    { hostBin: realHostBin(), env },
  );
  SLUG = created.slug;
  const exec = createExecTransport({ repoRoot: repo.root, hostBin: realHostBin(), env });
  // Counts host processes alive at once (the client's locks decide; nothing here is timed).
  const counted: HostTransport = {
    async run(args, options) {
      running += 1;
      peakRunning = Math.max(peakRunning, running);
      try {
        return await exec.run(args, options);
      } finally {
        running -= 1;
      }
    },
  };
  client = new HostClient(counted, {
    onCall: (call) => calls.push(call),
  });
}, 120_000);

afterAll(() => {
  repo?.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('real host: overlapping mutations on different WPs (client defaults)', () => {
  it('claims, notes and lane changes of 8 WPs at once all succeed, each recorded once', async () => {
    const policy = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));
    const ref = (wp: string) => ({ mission: SLUG, wp, actor: ACTOR });
    const started = await Promise.all(WPS.map((wp) => client.startImplementation({ ...ref(wp), policy })));
    expect(started.map((s) => s.to_lane ?? 'in_progress')).toEqual(WPS.map(() => 'in_progress'));
    await Promise.all(
      WPS.map((wp) => client.appendHistory({ ...ref(wp), note: `concurrency note for ${wp}` })),
    );
    await Promise.all(
      WPS.map((wp) => client.transition({ ...ref(wp), to: 'blocked', note: `stress test ${wp}`, policy })),
    );

    const state = await client.missionState({ mission: SLUG });
    expect(Object.fromEntries(state.work_packages.map((wp) => [wp.wp_id, wp.lane]))).toEqual(
      Object.fromEntries(WPS.map((wp) => [wp, 'blocked'])),
    );
    const events = readRealLaneEvents(repo.root, SLUG);
    for (const wp of WPS) {
      expect(
        events.filter((e) => e.wp_id === wp).map((e) => `${e.from_lane}>${e.to_lane}`),
        wp,
      ).toEqual(['genesis>planned', 'planned>claimed', 'claimed>in_progress', 'in_progress>blocked']);
    }
    const recorded = missionFilesText(path.join(repo.root, 'kitty-specs', SLUG));
    for (const wp of WPS) expect(recorded).toContain(`concurrency note for ${wp}`);
    expect(calls.filter((c) => !c.ok)).toEqual([]);
    // The overlap really happened: as many host processes at once as the client allows.
    expect(peakRunning).toBe(DEFAULT_MAX_CONCURRENT_MUTATIONS);
  }, 300_000);
});
