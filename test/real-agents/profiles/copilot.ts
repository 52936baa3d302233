/**
 * GitHub Copilot CLI against the scripted server through its documented BYOK variables
 * (`copilot help environment`): COPILOT_PROVIDER_BASE_URL with the default `openai` type and
 * `completions` wire API, and COPILOT_OFFLINE=true, which skips GitHub auth, telemetry and
 * auto-update (it requires a custom provider). The model goes through `--model`.
 */
import type { AgentProfile } from '../support/profile.js';

const MODEL = 'sko-copilot-model';

export const profile: AgentProfile = {
  id: 'copilot',
  family: 'openai-chat',
  model: MODEL,
  settings: ({ baseUrl }) => ({
    model: MODEL,
    env: {
      COPILOT_PROVIDER_BASE_URL: `${baseUrl}/v1`,
      COPILOT_PROVIDER_API_KEY: 'sk-sko-copilot-test',
      COPILOT_OFFLINE: 'true',
      COPILOT_AUTO_UPDATE: 'false',
    },
  }),
};
