/**
 * What a real-agent test proved, written only after all of its assertions passed:
 * `.cache/real-agents/<agent>.json`. The CI summary counts these files into
 * `real agents: N end-to-end, M argv-checked` (scripts/summarize-tests.mjs); the global setup
 * clears the folder first, so a proof never outlives the run that made it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../../../src/agents/types.js';
import { PROJECT_ROOT } from './installed.js';

export const PROOFS_DIR = path.join(PROJECT_ROOT, '.cache', 'real-agents');

export type ProofKind = 'end-to-end' | 'argv-checked';

export function recordRealAgentProof(
  agent: AgentId,
  kind: ProofKind,
  details: { version: string; proven: string[] },
): void {
  mkdirSync(PROOFS_DIR, { recursive: true });
  const file = path.join(PROOFS_DIR, `${agent}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ agent, kind, ...details, at: new Date().toISOString() }, null, 2)}\n`,
  );
}
