/**
 * Letta Code against the scripted server: its local backend (`--backend local`, no Letta Cloud)
 * with the OpenAI provider record that `letta connect openai` writes to
 * ~/.letta/lc-local-backend/providers/auth.json, plus a `base_url` (the local backend honours a
 * record's base URL for non-managed providers). The model must be one the built-in catalog knows
 * (an openai-compatible provider would need the server's /v1/models to list it); an OpenAI catalog
 * model speaks the Responses API.
 * Letta's shell tool runs `bash -lc` (a login shell), and a login shell's /etc/profile resets
 * PATH, so the host's `spec-kitty` must be on the login PATH, as it is for a user whose profile
 * adds their venv: the isolated HOME gets a ~/.bash_profile that does.
 */
import path from 'node:path';
import { realHostBin } from '../../support/temp-repo.js';
import type { AgentProfile } from '../support/profile.js';

const MODEL = 'gpt-5.5';

export const profile: AgentProfile = {
  id: 'letta',
  family: 'openai-responses',
  model: MODEL,
  settings: () => ({
    model: `openai/${MODEL}`,
    // No first-turn git/cwd reminder: it quotes the lane's last commits ("feat(WP01): ..."), and
    // the script takes the first WP id in the conversation as the WP being worked on.
    extra_args: ['--backend', 'local', '--no-system-info-reminder'],
    env: { LETTA_CODE_TELEM: '0', DO_NOT_TRACK: '1', DISABLE_AUTOUPDATER: '1' },
  }),
  homeFiles: ({ baseUrl }) => ({
    '.bash_profile': `export PATH="${path.dirname(realHostBin())}:$PATH"\n`,
    '.letta/lc-local-backend/providers/auth.json': `${JSON.stringify(
      {
        version: 1,
        providers: {
          'lc-openai': {
            id: 'local-provider-lc-openai',
            name: 'lc-openai',
            provider_type: 'openai',
            provider_category: 'byok',
            auth: { type: 'api', key: 'sk-sko-letta-test' },
            base_url: `${baseUrl}/v1`,
          },
        },
      },
      null,
      2,
    )}\n`,
  }),
};
