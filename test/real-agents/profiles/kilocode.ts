/**
 * Kilo CLI against the scripted server: ~/.config/kilo/kilo.json, the same provider config as
 * opencode's. The env turns off what Kilo adds to opencode: PostHog telemetry (any level but
 * `all` is off), codebase indexing and session upload, besides the models fetch and updates.
 */
import type { AgentProfile } from '../support/profile.js';
import { PROVIDER, providerConfig } from './opencode-config.js';

const MODEL = 'sko-kilo-model';

export const profile: AgentProfile = {
  id: 'kilocode',
  family: 'openai-chat',
  model: MODEL,
  settings: () => ({
    model: `${PROVIDER}/${MODEL}`,
    env: {
      KILO_DISABLE_MODELS_FETCH: '1',
      KILO_DISABLE_AUTOUPDATE: '1',
      KILO_DISABLE_SHARE: '1',
      KILO_DISABLE_LSP_DOWNLOAD: '1',
      KILO_TELEMETRY_LEVEL: 'off',
      KILO_DISABLE_CODEBASE_INDEXING: '1',
      KILO_DISABLE_SESSION_INGEST: '1',
    },
  }),
  homeFiles: ({ baseUrl }) => ({
    '.config/kilo/kilo.json': providerConfig({
      baseUrl,
      model: MODEL,
      schema: 'https://app.kilo.ai/config.json',
    }),
  }),
};
