/**
 * `waitUntil`: resolves at an absolute deadline. Retry backoffs and poll intervals are modelled
 * as a deadline in context plus this invoked actor instead of `after`, because xstate does not
 * persist delayed events: a restored actor re-invokes this with the same deadline and so keeps
 * the original schedule (a deadline already past resolves at once).
 */
import { fromPromise } from 'xstate';
import type { EpochMs } from './time.js';

export interface WaitUntilInput {
  deadline: EpochMs;
}
export interface WaitUntilOutput {
  /** When the wait ended. */
  at: EpochMs;
}

/** The real timer, the default in both machines: time is the only world it touches. */
export const waitUntilLogic = fromPromise<WaitUntilOutput, WaitUntilInput>(
  ({ input, signal }) =>
    new Promise<WaitUntilOutput>((resolve, reject) => {
      const delay = Math.max(0, input.deadline - Date.now());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve({ at: Date.now() });
      }, delay);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
);
