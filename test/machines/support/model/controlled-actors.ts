/**
 * Actor logic whose every invocation waits to be settled by the test: the replay of a model path
 * decides, step by step, which invoked actor finishes and with what.
 */
import { fromPromise } from 'xstate';

export interface PendingCall {
  id: string;
  src: string;
  input: unknown;
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

export class CallController {
  readonly pending: PendingCall[] = [];

  logic(src: string) {
    return fromPromise<unknown, unknown>(
      ({ input, self, signal }) =>
        new Promise((resolve, reject) => {
          const call: PendingCall = { id: self.id, src, input, resolve, reject };
          this.pending.push(call);
          signal.addEventListener('abort', () => this.remove(call));
        }),
    );
  }

  private remove(call: PendingCall): void {
    const index = this.pending.indexOf(call);
    if (index >= 0) this.pending.splice(index, 1);
  }

  /** The pending call of an invoke id; waits a little for the actor to start it. */
  async take(id: string): Promise<PendingCall> {
    for (let i = 0; i < 500; i += 1) {
      const call = this.pending.find((candidate) => candidate.id === id);
      if (call) {
        this.remove(call);
        return call;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(
      `no pending call for invoke id '${id}' (pending: ${this.pending.map((c) => c.id).join(', ') || 'none'})`,
    );
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
