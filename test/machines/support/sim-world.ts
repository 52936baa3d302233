/**
 * A simulated spec-kitty mission in a temp git repository, reached through the real HostClient
 * over the in-process simulated transport, plus readers of what the host recorded.
 */
import { HostClient } from '../../../src/host/client.js';
import {
  createSimulatedMission,
  createSimulatedTransport,
  type MissionSpecInput,
  readSimulatedEvents,
} from '../../../src/host/simulated/index.js';
import { createTempRepo, type TempRepo } from '../../support/temp-repo.js';

export interface SimWorld {
  repo: TempRepo;
  slug: string;
  host: HostClient;
  /** Lanes a WP entered, in order, from the host's event log (bootstrap excluded). */
  lanesOf(wpId: string): Promise<string[]>;
  /** History notes appended to a WP (append-history, not the notes of lane changes). */
  notesOf(wpId: string): Promise<string[]>;
  /** The note each of a WP's lane changes carried (`transition --note`), in order. */
  laneNotesOf(wpId: string): Promise<string[]>;
  cleanup(): void;
}

export const DEFAULT_SLUG = '001-demo';

export async function createSimWorld(
  workPackages: MissionSpecInput['workPackages'],
  calls: string[] = [],
): Promise<SimWorld> {
  const repo = createTempRepo('sko-machines-');
  try {
    await createSimulatedMission(repo.root, { slug: DEFAULT_SLUG, title: 'Demo', workPackages });
  } catch (error) {
    repo.cleanup();
    throw error;
  }
  const host = new HostClient(createSimulatedTransport({ repoRoot: repo.root }), {
    retryBaseDelayMs: 0,
    onCall: (call) => calls.push(call.command),
  });
  const events = () => readSimulatedEvents(repo.root, DEFAULT_SLUG);
  return {
    repo,
    slug: DEFAULT_SLUG,
    host,
    async lanesOf(wpId) {
      return (await events())
        .filter((e) => e.wp_id === wpId && !('kind' in e) && e.from_lane !== 'genesis')
        .map((e) => ('to_lane' in e ? e.to_lane : ''));
    },
    async laneNotesOf(wpId) {
      return (await events())
        .filter((e) => e.wp_id === wpId && !('kind' in e) && e.from_lane !== 'genesis')
        .map((e) => ('reason' in e && typeof e.reason === 'string' ? e.reason : ''));
    },
    async notesOf(wpId) {
      return (await events())
        .filter((e) => e.wp_id === wpId && 'kind' in e)
        .map((e) => ('delta' in e ? JSON.stringify(e.delta) : ''));
    },
    cleanup: () => repo.cleanup(),
  };
}
