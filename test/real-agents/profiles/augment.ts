/**
 * Augment (auggie) cannot reach the scripted server: its API is Augment's own (the tenant URL of
 * the session JSON), not any public model API. The profile therefore gives no credentials at all;
 * the argv check runs the real binary with our flags, including a model and a turn cap so that
 * `--model` and `--max-turns` are parsed too. `family` is nominal (the server sees no request).
 */
import type { AgentProfile } from '../support/profile.js';

export const profile: AgentProfile = {
  id: 'augment',
  family: 'openai-chat',
  model: 'sonnet4.5',
  settings: () => ({ model: 'sonnet4.5', max_turns: 20 }),
};
