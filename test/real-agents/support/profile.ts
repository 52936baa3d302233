/** How a test points one real agent CLI at the scripted model server. */
import type { AgentId } from '../../../src/agents/types.js';
import type { ApiFamily } from '../../support/model-server/types.js';

export interface ProfileContext {
  /** `http://127.0.0.1:<port>/a/<agent id>`: the CLI's base URL setting starts with this. */
  baseUrl: string;
  /** The isolated HOME of this test (the CLI's config folders go under it). */
  home: string;
}

/** `agent_settings.<id>` of .kittify/orchestrator.yaml, as a user writes it. */
export interface AgentSettingsFile {
  model?: string;
  review_model?: string;
  max_turns?: number;
  extra_args?: string[];
  env?: Record<string, string>;
}

export interface AgentProfile {
  id: AgentId;
  family: ApiFamily;
  /** The model name the test configures (the server's log must show it). */
  model: string;
  settings(context: ProfileContext): AgentSettingsFile;
  /** Files to create under HOME before the run (config a CLI reads only from a file). */
  homeFiles?(context: ProfileContext): Record<string, string>;
}
