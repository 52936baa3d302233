/**
 * Codex CLI against the scripted model server. Codex reads a custom provider only from its
 * config file, so HOME gets `.codex/config.toml` (CODEX_HOME points there explicitly, so a real
 * `~/.codex` is never read): the provider's base URL with Codex's `/v1` suffix, the only wire API
 * it still has (`responses`), and the env var that holds the key. Analytics and the update
 * check are off. Retries: Codex's defaults are request_max_retries 4 and stream_max_retries 5
 * (measured: a 401 is retried as "Reconnecting... n/5", six requests over ~7 s before the turn
 * fails); one of each keeps the fault runs fast while still crossing a reconnect.
 */
import type { AgentProfile, ProfileContext } from '../support/profile.js';

export const CODEX_MODEL = 'sko-codex-model';
const KEY_ENV = 'SKO_CODEX_API_KEY';

function configToml({ baseUrl }: ProfileContext): string {
  return [
    `model = "${CODEX_MODEL}"`,
    'model_provider = "sko"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.sko]',
    'name = "spec-kitty-orchestrator scripted model"',
    `base_url = "${baseUrl}/v1"`,
    'wire_api = "responses"',
    `env_key = "${KEY_ENV}"`,
    'request_max_retries = 1',
    'stream_max_retries = 1',
    '',
    '[analytics]',
    'enabled = false',
    '',
    // The test's repositories live under /tmp, which workspace-write leaves writable by default;
    // closing it makes the sandbox as strict here as in a user's checkout elsewhere, so the run
    // proves the --add-dir status folder is both needed and enough.
    '[sandbox_workspace_write]',
    'exclude_slash_tmp = true',
    'exclude_tmpdir_env_var = true',
    '',
  ].join('\n');
}

export const profile: AgentProfile = {
  id: 'codex',
  family: 'openai-responses',
  model: CODEX_MODEL,
  settings: ({ home }) => ({
    model: CODEX_MODEL,
    env: { CODEX_HOME: `${home}/.codex`, [KEY_ENV]: 'sko-test-key' },
  }),
  homeFiles: (context) => ({ '.codex/config.toml': configToml(context) }),
};
