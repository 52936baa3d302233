/**
 * `--inspect [port]`: relays the live actor system to the Stately inspector in a browser.
 * `@statelyai/inspect/server` runs a local HTTP + WebSocket relay; `createWebSocketInspector`
 * feeds it from the root actor's `inspect` option; the page at http://localhost:<port> embeds
 * the viewer from stately.ai (so the browser needs internet, though run events go only from this
 * machine to that browser tab).
 *
 * Why the relay runs in a worker thread: measured with @statelyai/inspect 0.7.2, the relay
 * (a) crashes the whole process with an unhandled 'error' event when the port is taken, and
 * (b) never closes connected browser tabs on stop(), so the CLI would hang at exit while a tab
 * is open. In a worker the first is an 'error' event we turn into a clear message, and
 * `terminate()` closes every socket of the relay.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { InspectionEvent, MachineContext } from 'xstate';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';

export interface InspectorOptions {
  port: number;
  /** Where the URL and the notes go (default: stderr). */
  print?: (line: string) => void;
  /** How long the relay may take to start listening. Default 10 s. */
  readyTimeoutMs?: number;
}

export interface InspectorHandle {
  /** Pass to the root actor's `inspect` option (alongside the event mapper). */
  inspect(event: InspectionEvent): void;
  /** The page to open in a browser. */
  readonly url: string;
  readonly port: number;
  /** Sends what is queued, disconnects, and shuts the relay (closing browser connections). */
  stop(): Promise<void>;
}

/** Context fields too large or too private to stream to a browser on every snapshot. */
const REDACTED_CONTEXT_FIELDS = ['promptText', 'policy', 'diffSummary'] as const;

function sanitizeContext(context: MachineContext): MachineContext {
  if (typeof context !== 'object' || context === null) return context;
  const record = context as Record<string, unknown>;
  if (!REDACTED_CONTEXT_FIELDS.some((field) => typeof record[field] === 'string')) return context;
  const copy: Record<string, unknown> = { ...record };
  for (const field of REDACTED_CONTEXT_FIELDS) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = `[${value.length} characters not sent]`;
  }
  return copy;
}

function relayWorkerSource(serverModuleUrl: string, port: number): string {
  // Listening (or failing with EADDRINUSE) is settled on the next ticks after listen();
  // setImmediate runs after them, so 'ready' is only sent once the port is really ours.
  return [
    'const { parentPort } = await import("node:worker_threads");',
    `const { createInspectorServer } = await import(${JSON.stringify(serverModuleUrl)});`,
    `createInspectorServer({ port: ${port}, autoOpen: false });`,
    'setImmediate(() => parentPort.postMessage("ready"));',
  ].join('\n');
}

function startRelay(port: number, timeoutMs: number): Promise<Worker> {
  const require = createRequire(import.meta.url);
  const serverModuleUrl = pathToFileURL(require.resolve('@statelyai/inspect/server')).href;
  const worker = new Worker(relayWorkerSource(serverModuleUrl, port), { eval: true });
  return new Promise<Worker>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle();
      void worker.terminate();
      reject(new CliError(`--inspect: the inspector relay did not start on port ${port}`, EXIT.environment));
    }, timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      if (message !== 'ready') return;
      settle();
      resolve(worker);
    };
    const onError = (error: Error) => {
      settle();
      void worker.terminate();
      const code = (error as NodeJS.ErrnoException).code;
      reject(
        code === 'EADDRINUSE'
          ? new CliError(
              `--inspect ${port}: port ${port} is already in use`,
              EXIT.usage,
              'choose another port, e.g. --inspect 8181',
              { cause: error },
            )
          : new CliError(
              `--inspect ${port}: the inspector relay failed (${error.message})`,
              EXIT.environment,
              undefined,
              {
                cause: error,
              },
            ),
      );
    };
    const onExit = (exitCode: number) => {
      settle();
      reject(
        new CliError(`--inspect ${port}: the inspector relay stopped (exit ${exitCode})`, EXIT.environment),
      );
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

export async function startInspector(options: InspectorOptions): Promise<InspectorHandle> {
  const { port } = options;
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const worker = await startRelay(port, options.readyTimeoutMs ?? 10_000);
  // A worker never keeps the CLI alive on its own; stop() ends it for good.
  worker.unref();
  const inspector = createWebSocketInspector({ url: `ws://localhost:${port}`, sanitizeContext });
  const url = `http://localhost:${port}`;
  print(`Inspector: open ${url} in a browser to watch the actors live.`);
  print(
    '  The viewer page is loaded from https://stately.ai, so that browser needs internet access; ' +
      'run events go only from this machine to the browser tab.',
  );
  print(
    `  The relay listens on every network interface (port ${port}): anyone who can reach this ` +
      'machine on that port can watch the run.',
  );
  let stopped = false;
  return {
    url,
    port,
    inspect(event) {
      if (!stopped) inspector.inspect.next?.(event);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // The inspector converts and sends each event on a later macrotask: let queued ones go first.
      await new Promise((resolve) => setTimeout(resolve, 20));
      inspector.stop();
      await worker.terminate();
    },
  };
}
