/** Every known agent by id; the only place that lists the adapters. */
import { augmentAdapter } from './adapters/augment.js';
import { claudeCodeAdapter } from './adapters/claude-code.js';
import { codexAdapter } from './adapters/codex.js';
import { copilotAdapter } from './adapters/copilot.js';
import { cursorAdapter } from './adapters/cursor.js';
import { geminiAdapter } from './adapters/gemini.js';
import { kilocodeAdapter } from './adapters/kilocode.js';
import { lettaAdapter } from './adapters/letta.js';
import { opencodeAdapter } from './adapters/opencode.js';
import { piAdapter } from './adapters/pi.js';
import { qwenAdapter } from './adapters/qwen.js';
import { UnknownAgentError } from './errors.js';
import { AGENT_IDS, type AgentAdapter, type AgentId } from './types.js';

export const AGENTS: Readonly<Record<AgentId, AgentAdapter>> = {
  'claude-code': claudeCodeAdapter,
  codex: codexAdapter,
  copilot: copilotAdapter,
  gemini: geminiAdapter,
  qwen: qwenAdapter,
  opencode: opencodeAdapter,
  kilocode: kilocodeAdapter,
  augment: augmentAdapter,
  cursor: cursorAdapter,
  pi: piAdapter,
  letta: lettaAdapter,
};

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}

export function unknownAgentMessage(value: string): string {
  return `Unknown agent "${value}". Known agents: ${AGENT_IDS.join(', ')}.`;
}

/** The adapter for an id; throws UnknownAgentError (with the list of known ids) for anything else. */
export function getAdapter(id: string): AgentAdapter {
  if (!isAgentId(id)) throw new UnknownAgentError(id, unknownAgentMessage(id));
  return AGENTS[id];
}
