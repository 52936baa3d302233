/**
 * pi against the scripted server: a custom provider in ~/.pi/agent/models.json (pi's documented
 * way to add an OpenAI-compatible endpoint), `api: openai-completions`, selected with
 * `--model <provider>/<id>`. The compat switches keep the request plain chat completions (a
 * `system` message, no `reasoning_effort`), as for any local server.
 */
import type { AgentProfile } from '../support/profile.js';

const PROVIDER = 'sko';
const MODEL = 'sko-pi-model';

export const profile: AgentProfile = {
  id: 'pi',
  family: 'openai-chat',
  model: MODEL,
  settings: () => ({
    model: `${PROVIDER}/${MODEL}`,
    // No update check or install telemetry at startup.
    env: { PI_OFFLINE: '1', PI_TELEMETRY: '0' },
  }),
  homeFiles: ({ baseUrl }) => ({
    '.pi/agent/models.json': `${JSON.stringify(
      {
        providers: {
          [PROVIDER]: {
            baseUrl: `${baseUrl}/v1`,
            api: 'openai-completions',
            apiKey: 'sk-sko-pi-test',
            compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
            models: [{ id: MODEL }],
          },
        },
      },
      null,
      2,
    )}\n`,
  }),
};
