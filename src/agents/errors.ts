/** Typed errors of the agent layer. */

/** The invocation cannot be built as asked (the request, not the agent, is wrong). */
export class AgentInvocationError extends Error {
  override readonly name = 'AgentInvocationError';
  constructor(
    readonly agent: string,
    message: string,
  ) {
    super(message);
  }
}

/** An agent id that no adapter knows. */
export class UnknownAgentError extends Error {
  override readonly name = 'UnknownAgentError';
  constructor(
    readonly requested: string,
    message: string,
  ) {
    super(message);
  }
}
