/**
 * The agent CLI versions this release was proven against (scripts/ensure-agents.mjs installs
 * exactly these for the test suite; a test keeps the two lists equal), and how: `end-to-end` =
 * a real-host mission with that CLI as implementer and reviewer against our scripted model
 * server; `argv-checked` = the real binary ran with our exact argv and its no-credentials failure
 * was classified; `docs` = not installable here, flags checked against its documentation.
 */
import type { AgentId } from './types.js';

export type ProofLevel = 'end-to-end' | 'argv-checked' | 'docs';

export interface TestedVersion {
  npmPackage: string | null;
  version: string | null;
  proof: ProofLevel;
}

export const TESTED_VERSIONS: Readonly<Record<AgentId, TestedVersion>> = {
  'claude-code': { npmPackage: '@anthropic-ai/claude-code', version: '2.1.332', proof: 'end-to-end' },
  codex: { npmPackage: '@openai/codex', version: '0.171.0', proof: 'end-to-end' },
  gemini: { npmPackage: '@google/gemini-cli', version: '0.61.0', proof: 'end-to-end' },
  qwen: { npmPackage: '@qwen-code/qwen-code', version: '0.24.4', proof: 'end-to-end' },
  opencode: { npmPackage: 'opencode-ai', version: '1.18.33', proof: 'end-to-end' },
  pi: { npmPackage: '@mariozechner/pi-coding-agent', version: '0.73.1', proof: 'end-to-end' },
  kilocode: { npmPackage: '@kilocode/cli', version: '7.7.7', proof: 'end-to-end' },
  letta: { npmPackage: '@letta-ai/letta-code', version: '0.32.18', proof: 'end-to-end' },
  copilot: { npmPackage: '@github/copilot', version: '1.0.102', proof: 'end-to-end' },
  augment: { npmPackage: '@augmentcode/auggie', version: '0.36.0', proof: 'argv-checked' },
  cursor: { npmPackage: null, version: null, proof: 'docs' },
};
