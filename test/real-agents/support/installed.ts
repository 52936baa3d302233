/**
 * The pinned real agent CLIs that scripts/ensure-agents.mjs installed into .cache/agents. A test
 * of an agent whose install failed fails with the installer's reason: real-agent tests are never
 * skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AgentId } from '../../../src/agents/types.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
export const AGENTS_MANIFEST = path.join(PROJECT_ROOT, '.cache', 'agents', 'manifest.json');

const entrySchema = z.object({
  package: z.string(),
  version: z.string(),
  binary: z.string().nullable(),
  binDir: z.string().optional(),
  error: z.string().optional(),
});
const manifestSchema = z.object({ agents: z.record(z.string(), entrySchema) });

export interface InstalledAgent {
  id: AgentId;
  package: string;
  version: string;
  binary: string;
  binDir: string;
}

export function installedAgent(id: AgentId): InstalledAgent {
  if (!existsSync(AGENTS_MANIFEST)) {
    throw new Error(
      `${AGENTS_MANIFEST} is missing: run \`npm run agents:install\` (the test suite's global setup does).`,
    );
  }
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(AGENTS_MANIFEST, 'utf8')));
  const entry = manifest.agents[id];
  if (!entry) throw new Error(`${id} is not in ${AGENTS_MANIFEST}: add it to scripts/ensure-agents.mjs`);
  if (!entry.binary || !existsSync(entry.binary)) {
    throw new Error(
      `${id} (${entry.package}@${entry.version}) is not installed: ${entry.error ?? 'binary missing'}`,
    );
  }
  return {
    id,
    package: entry.package,
    version: entry.version,
    binary: entry.binary,
    binDir: entry.binDir ?? path.dirname(entry.binary),
  };
}
