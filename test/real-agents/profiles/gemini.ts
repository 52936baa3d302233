/**
 * Gemini CLI against the scripted model server. The genai SDK inside the CLI takes its base URL
 * from GOOGLE_GEMINI_BASE_URL (it appends `/v1beta/models/<model>:streamGenerateContent`) and
 * the key from GEMINI_API_KEY. A set base URL alone makes the CLI guess the `gateway` auth type,
 * which headless mode refuses ("Invalid auth method selected.", exit 41), so HOME gets
 * `.gemini/settings.json` naming the API-key auth; telemetry, usage statistics and auto-update
 * are off there too (settings only, no env for them). Retries: the CLI's default is 10 attempts
 * per request with a backoff from 5 s (a server's RetryInfo can only lengthen it) up to 30 s,
 * minutes for a persistent 429; `general.maxAttempts: 1` fails on the first one.
 */
import type { AgentProfile } from '../support/profile.js';

export const GEMINI_MODEL = 'sko-gemini-model';

export const GEMINI_SETTINGS = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, maxAttempts: 1 },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
};

export const profile: AgentProfile = {
  id: 'gemini',
  family: 'gemini',
  model: GEMINI_MODEL,
  settings: ({ baseUrl, home }) => ({
    model: GEMINI_MODEL,
    // TMPDIR: on an API error the CLI writes a full report to os.tmpdir(); keep it in the test's HOME.
    env: { GEMINI_API_KEY: 'sko-test-key', GOOGLE_GEMINI_BASE_URL: baseUrl, TMPDIR: home },
  }),
  homeFiles: () => ({ '.gemini/settings.json': `${JSON.stringify(GEMINI_SETTINGS, null, 2)}\n` }),
};
