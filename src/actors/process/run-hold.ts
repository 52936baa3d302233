/**
 * What an interrupted session holds still while the lane changes it already sent finish: Ctrl-C
 * (or `abort`) stops every agent at once, and nothing new reaches the host (no lane change, no
 * note, no relayed subtask mark), yet the machines stay alive to record the answers of the calls
 * in flight, so the state saved after names where each WP really is. A held actor simply never
 * settles; the session stops every actor right after.
 */
export interface RunHold {
  readonly held: boolean;
  /** Aborted when the hold begins: every agent run (and its relayed marks) stops. */
  readonly agentSignal: AbortSignal;
  begin(): void;
  /** Resolves at once while not held; never, once held (nothing more is sent). */
  gate(): Promise<void>;
}

const NEVER = new Promise<never>(() => {});

export function createRunHold(): RunHold {
  const agents = new AbortController();
  return {
    get held() {
      return agents.signal.aborted;
    },
    agentSignal: agents.signal,
    begin: () => agents.abort(new Error('the run was interrupted')),
    gate: () => (agents.signal.aborted ? NEVER : Promise.resolve()),
  };
}
