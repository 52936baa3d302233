/**
 * The REAL opencode (the pinned opencode-ai in .cache/agents) against the scripted model server
 * (OpenAI chat completions through a custom provider): a mission on the real host, and a 401.
 */
import { describeOpencodeFamily } from './opencode-family.js';
import { profile } from './profiles/opencode.js';

describeOpencodeFamily(profile, 'opencode');
