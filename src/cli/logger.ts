import { type ConsolaInstance, createConsola } from 'consola';

/**
 * The one human-facing logger. It writes to stderr so stdout stays clean for machine output
 * (`--json` event streams, `status --json`).
 */
export const logger: ConsolaInstance = createConsola({
  stdout: process.stderr,
  stderr: process.stderr,
  level: process.env.SKO_LOG_LEVEL ? Number(process.env.SKO_LOG_LEVEL) : 3,
});
