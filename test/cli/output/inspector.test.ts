import net from 'node:net';
import { createWebSocketReceiver } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { isCliError } from '../../../src/cli/cli-error.js';
import { startInspector } from '../../../src/cli/output/inspector.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('--inspect relay', () => {
  it('relays the actor system to a WebSocket client on loopback, and stops cleanly', async () => {
    const port = await freePort();
    const printed: string[] = [];
    const inspector = await startInspector({ port, print: (line) => printed.push(line) });
    try {
      expect(inspector.url).toBe(`http://localhost:${port}`);
      expect(printed.join('\n')).toContain(`http://localhost:${port}`);
      expect(printed.join('\n')).toContain('stately.ai');
      const received: { type: string; name?: string; snapshot?: { context?: Record<string, unknown> } }[] =
        [];
      createWebSocketReceiver({ server: `ws://127.0.0.1:${port}` }).subscribe((event) => {
        received.push(event as (typeof received)[number]);
      });
      const machine = createMachine({
        id: 'toggle',
        context: { promptText: 'a very long prompt' },
        initial: 'off',
        states: { off: { on: { FLIP: 'on' } }, on: {} },
      });
      const actor = createActor(machine, { inspect: (event) => inspector.inspect(event) });
      actor.start();
      actor.send({ type: 'FLIP' });
      await until(() => received.some((e) => e.type === '@xstate.snapshot'));
      expect(received.find((e) => e.type === '@xstate.actor')?.name).toBe('toggle');
      const snapshot = received.find((e) => e.type === '@xstate.snapshot')?.snapshot;
      // Prompts are not streamed: only their size.
      expect(snapshot?.context?.promptText).toBe('[18 characters not sent]');
      actor.stop();
    } finally {
      await inspector.stop();
    }
    // The relay is gone, connected clients included: the port is free again.
    expect(await canListen(port)).toBe(true);
  });

  it('refuses a port in use with a usage error instead of crashing', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    try {
      await startInspector({ port, print: () => {} });
      expect.unreachable();
    } catch (error) {
      expect(isCliError(error)).toBe(true);
      expect((error as Error).message).toBe(`--inspect ${port}: port ${port} is already in use`);
      expect((error as { exitCode: number }).exitCode).toBe(2);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
