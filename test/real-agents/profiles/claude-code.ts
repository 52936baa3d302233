/**
 * Claude Code against the scripted server: ANTHROPIC_BASE_URL (the SDK appends `/v1/messages`)
 * and ANTHROPIC_API_KEY, both from the environment; an empty HOME is enough in -p mode (no
 * ~/.claude.json onboarding state is needed: Claude writes its own). Telemetry, error reporting,
 * the auto-updater and the other non-essential calls are off. The model name is ours (Claude only
 * warns `unrecognized_model` on stderr). One retry keeps a scripted fault fast.
 */
import type { AgentProfile } from '../support/profile.js';

const MODEL = 'sko-claude-model';

export const profile: AgentProfile = {
  id: 'claude-code',
  family: 'anthropic',
  model: MODEL,
  settings: ({ baseUrl }) => ({
    model: MODEL,
    max_turns: 8,
    env: {
      ANTHROPIC_BASE_URL: baseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-sko-test',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_MAX_RETRIES: '1',
    },
  }),
};
