/**
 * Placeholder actor logic: the machines name every world-touching actor, and the composition
 * root supplies the real one with `.provide({ actors })`. Forgetting one fails loudly, naming it.
 */
import { fromPromise, type PromiseActorLogic } from 'xstate';

export function notProvided<TOutput, TInput>(name: string): PromiseActorLogic<TOutput, TInput> {
  return fromPromise<TOutput, TInput>(async () => {
    throw Object.assign(
      new Error(
        `not provided: ${name} (give its implementation with machine.provide({ actors: { ${name} } }))`,
      ),
      { code: 'ACTOR_NOT_PROVIDED' },
    );
  });
}
