/**
 * Why a run failed, which drives retry and fallback (auth, setup: never retry the same agent; rate limit:
 * back off; timeout / network / general: retry). `no_output` is not decided here: only the lane
 * commit knows whether the agent produced anything.
 */
import type { AgentId, FailureKind } from '../types.js';

export interface FailureFacts {
  exitCode: number | null;
  timedOut: boolean;
  errors: readonly string[];
  stderr: string;
  agent: AgentId;
}

/** The conventional exit code of `timeout(1)`, which the reference also used for its own timeouts. */
export const TIMEOUT_EXIT_CODE = 124;

/**
 * Exit codes an agent sets itself, read from its source. Gemini CLI 0.61 (packages/core
 * utils/errors.ts, FatalError subclasses): 41 authentication, 42 input, 44 sandbox, 52 config,
 * 53 session turn limit, 54 tool execution, 55 untrusted workspace (headless since 0.41), 130
 * cancellation. An API error reaching its headless error handler exits with the HTTP status,
 * which the OS truncates to 8 bits: 401 -> 145, 403 -> 147, 429 -> 173 (measured against our model
 * server). 5xx (500 -> 244, 503 -> 247) is left to the message: the CLI retries those itself.
 * A sandbox, config or trust refusal is `setup`: the same agent fails the same way until the user
 * changes something, so another agent takes over at once.
 */
const DOCUMENTED_EXIT_CODES: Partial<Record<AgentId, Readonly<Record<number, FailureKind>>>> = {
  gemini: {
    41: 'auth',
    42: 'general',
    44: 'setup',
    52: 'setup',
    53: 'general',
    54: 'general',
    55: 'setup',
    130: 'general',
    [401 & 0xff]: 'auth',
    [403 & 0xff]: 'auth',
    [429 & 0xff]: 'rate_limit',
  },
};

const AUTH =
  /\b(401|403)\b|unauthori[sz]ed|forbidden|authenticat\w*\s+(failed|required|error)|authentication|not (currently )?logged in|please (run )?\/?login|log ?in (again|required)|invalid[ _-]?api[ _-]?key|api[ _-]?key\b.*\b(missing|invalid|not set|required)|no (auth|credentials)|credentials? (expired|missing|invalid)|token (expired|invalid)/i;

const RATE_LIMIT =
  /rate[\s_-]?limit|\b429\b|too many requests|quota|resource[_\s-]?exhausted|usage limit|limit reached|overloaded|\b529\b/i;

const NETWORK =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|socket hang up|fetch failed|getaddrinfo|network (error|is unreachable)|connection (reset|refused|closed|error)|could not resolve host|tls handshake|\b50[234]\b/i;

export function classifyFailure(facts: FailureFacts): FailureKind {
  if (facts.timedOut || facts.exitCode === TIMEOUT_EXIT_CODE) return 'timeout';
  const documented =
    facts.exitCode === null ? undefined : DOCUMENTED_EXIT_CODES[facts.agent]?.[facts.exitCode];
  if (documented && documented !== 'general') return documented;
  const text = [...facts.errors, facts.stderr].join('\n');
  if (AUTH.test(text)) return 'auth';
  if (RATE_LIMIT.test(text)) return 'rate_limit';
  if (NETWORK.test(text)) return 'network';
  return 'general';
}
