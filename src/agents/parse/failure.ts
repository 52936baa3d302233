/**
 * Why a run failed, which drives retry and fallback (auth: never retry the same agent; rate limit:
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
 * Exit codes an agent documents. Gemini CLI: 41 = FatalAuthenticationError. Its headless docs
 * (geminicli.com/docs/cli/headless) list 42 as "input error" and 53 as "turn limit exceeded",
 * so unlike the reference we do not read 42 as a rate limit; 52 (config error) is general.
 */
const DOCUMENTED_EXIT_CODES: Partial<Record<AgentId, Readonly<Record<number, FailureKind>>>> = {
  gemini: { 41: 'auth', 42: 'general', 52: 'general', 53: 'general' },
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
