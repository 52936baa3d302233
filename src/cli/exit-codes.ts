/**
 * Exit codes, documented in the README. Scripts branch on them, so they never change meaning.
 */
export const EXIT = {
  /** Every WP is done (and the mission accepted unless --no-accept). */
  ok: 0,
  /** The run finished but some WPs ended blocked or failed, or an unexpected error stopped it. */
  problems: 1,
  /** Usage or configuration error: bad flag, invalid number, unknown agent, unreadable config. */
  usage: 2,
  /** No WP can move and none is running: the mission is stalled. */
  stalled: 3,
  /** The environment is not ready: spec-kitty missing or too old, not a spec-kitty project,
   * mission not found, agent not installed, no saved run to resume. */
  environment: 4,
  /** Another orchestrator holds this repository's lock. */
  locked: 5,
  /** Every WP is done, but the host refused (or failed) to accept the mission; its reasons are
   * printed and the lanes are kept, so fixing them and running again only retries acceptance. */
  notAccepted: 6,
  /** Interrupted (Ctrl-C / SIGTERM); the state is saved for `resume`. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
