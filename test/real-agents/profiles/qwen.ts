/**
 * Qwen Code against the scripted server: its OpenAI-compatible provider, pointed at the server
 * with OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL, plus ~/.qwen/settings.json (auth type
 * openai; update checks, usage statistics, telemetry and the post-session memory agent off).
 * Folder trust is off by default in 0.24.4, so an unknown folder does not stop headless runs.
 * `maxRetries: 0`: Qwen's own 429 retries start at 60 s (10 of them), far beyond a test's budget;
 * with none, a rate limit ends the run at once and the orchestrator's classification shows.
 */
import type { AgentProfile } from '../support/profile.js';

const MODEL = 'sko-qwen-model';

const SETTINGS = {
  $version: 4,
  security: { auth: { selectedType: 'openai' } },
  general: { enableAutoUpdate: false },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  memory: { enableManagedAutoMemory: false, enableManagedAutoDream: false },
  model: { generationConfig: { maxRetries: 0 } },
};

export const profile: AgentProfile = {
  id: 'qwen',
  family: 'openai-chat',
  model: MODEL,
  settings: ({ baseUrl }) => ({
    model: MODEL,
    max_turns: 12,
    env: {
      OPENAI_BASE_URL: `${baseUrl}/v1`,
      OPENAI_API_KEY: 'sk-sko-qwen-test',
      OPENAI_MODEL: MODEL,
      QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    },
  }),
  homeFiles: () => ({ '.qwen/settings.json': `${JSON.stringify(SETTINGS, null, 2)}\n` }),
};
