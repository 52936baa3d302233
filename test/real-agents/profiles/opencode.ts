/**
 * opencode against the scripted server: ~/.config/opencode/opencode.json (XDG_CONFIG_HOME is
 * under the test's HOME) with a custom OpenAI-compatible provider, the model given as
 * `provider/model`. The env turns off the models.dev catalogue fetch (there is no internet),
 * update checks, sharing and LSP downloads.
 */
import type { AgentProfile } from '../support/profile.js';
import { PROVIDER, providerConfig } from './opencode-config.js';

const MODEL = 'sko-opencode-model';

export const profile: AgentProfile = {
  id: 'opencode',
  family: 'openai-chat',
  model: MODEL,
  settings: () => ({
    model: `${PROVIDER}/${MODEL}`,
    env: {
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_SHARE: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    },
  }),
  homeFiles: ({ baseUrl }) => ({
    '.config/opencode/opencode.json': providerConfig({
      baseUrl,
      model: MODEL,
      schema: 'https://opencode.ai/config.json',
    }),
  }),
};
