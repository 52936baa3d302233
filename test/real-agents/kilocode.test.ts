/**
 * The REAL Kilo CLI (the pinned @kilocode/cli in .cache/agents, binary `kilo`) against the
 * scripted model server (OpenAI chat completions through a custom provider): a mission on the
 * real host, and a 401.
 */
import { describeOpencodeFamily } from './opencode-family.js';
import { profile } from './profiles/kilocode.js';

describeOpencodeFamily(profile, 'kilo');
