/**
 * Invoked actors that wait for the test to answer them, and a log of every call the machine
 * started, in order, with how many world answers had been given when it started. The oracle
 * tests read what the machine did from this log (which calls, with which input), never from
 * its internal state.
 */
import { fromPromise } from 'xstate';

export interface StartedCall {
  id: string;
  src: string;
  input: unknown;
  /** World answers given before this call started. */
  afterAnswers: number;
  settle?: { ok: true; output: unknown } | { ok: false; error: unknown };
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

export class RecordingActors {
  readonly started: StartedCall[] = [];
  private readonly pending: StartedCall[] = [];
  answersGiven = 0;

  logic(src: string) {
    return fromPromise<unknown, unknown>(
      ({ input, self, signal }) =>
        new Promise((resolve, reject) => {
          const call: StartedCall = {
            id: self.id,
            src,
            input,
            afterAnswers: this.answersGiven,
            resolve,
            reject,
          };
          this.started.push(call);
          this.pending.push(call);
          signal.addEventListener('abort', () => this.drop(call));
        }),
    );
  }

  /** Actor implementations for every named actor of a machine. */
  provide(names: readonly string[]) {
    return Object.fromEntries(names.map((name) => [name, this.logic(name)]));
  }

  private drop(call: StartedCall): void {
    const index = this.pending.indexOf(call);
    if (index >= 0) this.pending.splice(index, 1);
  }

  /** Whether a call of this id is pending, or becomes so once the machine has moved on. */
  async waitForPending(id: string): Promise<boolean> {
    for (let i = 0; i < 50; i += 1) {
      if (this.pending.some((call) => call.id === id)) return true;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return false;
  }

  /** Settles the pending call of an invoke (or spawn) id as the world answers it. */
  async answer(id: string, settle: StartedCall['settle'] & object): Promise<StartedCall> {
    for (let i = 0; i < 500; i += 1) {
      const call = this.pending.find((candidate) => candidate.id === id);
      if (call) {
        this.drop(call);
        call.settle = settle;
        this.answersGiven += 1;
        if (settle.ok) call.resolve(settle.output);
        else call.reject(settle.error);
        await flush();
        return call;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`the machine has no pending call '${id}' to answer`);
  }
}

/** Lets promise settlements and the transitions they cause run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
