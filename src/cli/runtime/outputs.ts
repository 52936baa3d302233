/**
 * Everything a run shows: the live view on stderr, JSONL on stdout (--json) or in a file
 * (--event-log), the Stately inspector relay (--inspect), and the end-of-run summary.
 * One mapper turns XState inspection events (and host calls) into records; sinks fan out.
 */

import type { ConsolaReporter } from 'consola';
import type { InspectionEvent } from 'xstate';
import type { HostCallRecord } from '../../host/client.js';
import type { OpenDecision } from '../../host/schemas.js';
import { logger } from '../logger.js';
import { createEventMapper } from '../output/events.js';
import { colorEnabled } from '../output/format.js';
import { type InspectorHandle, startInspector } from '../output/inspector.js';
import { createStreamJsonlSink, type JsonlSink, openFileJsonlSink } from '../output/jsonl-sink.js';
import { createLiveView } from '../output/live-view.js';
import { fanOut } from '../output/records.js';
import { renderSummary } from '../output/summary.js';
import { type DecisionsWatch, watchOpenDecisions } from './decisions-watch.js';
import type { SessionResult } from './run-session.js';

export interface OutputOptions {
  json: boolean;
  eventLog?: string;
  inspectPort?: number;
}

export interface RunOutputs {
  inspect(event: InspectionEvent): void;
  hostCall(call: HostCallRecord): void;
  /** `openDecisions`: what the host says waits for a person (read when the run stalled). */
  finish(result: SessionResult, extra?: { openDecisions?: readonly OpenDecision[] }): Promise<void>;
  close(): Promise<void>;
}

export async function createRunOutputs(
  options: OutputOptions & {
    runId: string;
    mission: string;
    wpIds: string[];
    /** How this host's user merges the finished mission (hostCapabilities(contract).mergeCommand). */
    mergeCommand?: readonly string[];
    /**
     * One design-status read (readOpenDecisions), when the host has decisions: the live view
     * shows what waits for a person, read at start and every few minutes (decisions-watch.ts).
     */
    readOpenDecisions?: (signal: AbortSignal) => Promise<readonly OpenDecision[] | null>;
  },
): Promise<RunOutputs> {
  const view = createLiveView();
  const stdoutSink: JsonlSink | undefined = options.json
    ? createStreamJsonlSink(process.stdout, { onError: (message) => logger.warn(message) })
    : undefined;
  const fileSink = options.eventLog
    ? openFileJsonlSink(options.eventLog, { onError: (message) => logger.warn(message) })
    : undefined;
  const inspector: InspectorHandle | undefined = options.inspectPort
    ? await startInspector({ port: options.inspectPort, print: (line) => logger.info(line) })
    : undefined;
  const mapper = createEventMapper({
    runId: options.runId,
    sink: fanOut(view.update, stdoutSink?.write, fileSink?.write),
  });

  // While the view redraws in place, log lines must go above its frame, not through it.
  const previousReporters = logger.options.reporters;
  const viewReporter: ConsolaReporter = {
    log: (entry) =>
      view.print(`${entry.type === 'log' ? '' : `${entry.type}: `}${entry.args.map(String).join(' ')}`),
  };
  logger.setReporters([viewReporter]);
  // Started last: nothing above can fail and leave it reading.
  const decisionsWatch: DecisionsWatch | undefined = options.readOpenDecisions
    ? watchOpenDecisions({
        read: options.readOpenDecisions,
        show: (open) => view.showOpenDecisions(options.mission, open),
      })
    : undefined;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    decisionsWatch?.stop();
    view.stop();
    logger.setReporters(previousReporters);
    await Promise.all([stdoutSink?.close(), fileSink?.close(), inspector?.stop()]);
  };

  return {
    inspect(event) {
      mapper.inspect(event);
      inspector?.inspect(event);
    },
    hostCall: (call) => mapper.hostCall(call),
    async finish(result, extra) {
      await close();
      if (result.output) {
        process.stderr.write(
          `${renderSummary(result.output, {
            mission: options.mission,
            color: colorEnabled(process.stderr),
            ...(options.mergeCommand ? { mergeCommand: options.mergeCommand } : {}),
            ...(extra?.openDecisions ? { openDecisions: extra.openDecisions } : {}),
          })}\n`,
        );
      } else {
        logger.info('the run state is saved: continue with `spec-kitty-orchestrator resume`');
      }
    },
    close,
  };
}
