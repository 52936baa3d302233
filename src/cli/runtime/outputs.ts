/**
 * Everything a run shows: progress on stderr, JSONL on stdout (--json) or in a file
 * (--event-log), the Stately inspector relay (--inspect), and the end-of-run summary.
 */
import type { InspectionEvent } from 'xstate';
import type { HostCallRecord } from '../../host/client.js';
import { logger } from '../logger.js';
import type { SessionResult } from './run-session.js';

export interface OutputOptions {
  json: boolean;
  eventLog?: string;
  inspectPort?: number;
}

export interface RunOutputs {
  inspect(event: InspectionEvent): void;
  hostCall(call: HostCallRecord): void;
  finish(result: SessionResult): Promise<void>;
  close(): Promise<void>;
}

export async function createRunOutputs(
  options: OutputOptions & { runId: string; mission: string; wpIds: string[] },
): Promise<RunOutputs> {
  const lastState = new Map<string, string>();
  return {
    inspect(event) {
      if (event.type !== '@xstate.snapshot') return;
      const id = (event.actorRef as { id?: string }).id ?? '';
      if (!options.wpIds.includes(id)) return;
      const snapshot = event.snapshot as { value?: unknown };
      const value = JSON.stringify(snapshot.value);
      if (lastState.get(id) === value) return;
      lastState.set(id, value);
      logger.info(`${id} ${value}`);
    },
    hostCall() {},
    async finish(result) {
      if (result.output) logger.info(result.output.summary);
      if (options.json && result.output) process.stdout.write(`${JSON.stringify(result.output)}\n`);
    },
    async close() {},
  };
}
