/**
 * Runs the live wpMachine in-process along a model path (every invoked actor answered as the path
 * says; no host, git or agent behind them) and reads its trace off the calls it started: lane
 * changes from the host calls' inputs, agent runs from runAgent's inputs, retry waits from
 * waitUntil's deadlines, and how the flow ended.
 */

import { createActor } from 'xstate';
import type { AgentId, AgentRole } from '../../../src/agents/types.js';
import type { Lane } from '../../../src/host/lanes.js';
import { wpActors } from '../../../src/machines/wp/actors.js';
import type { WpEmitted } from '../../../src/machines/wp/emitted.js';
import { wpMachine } from '../../../src/machines/wp/machine.js';
import type { RunAgentInput, WpContext, WpInput } from '../../../src/machines/wp/types.js';
import type { ModelPath } from '../support/model/paths.js';
import { type ModelEvent, TOOK_EFFECT } from '../support/model/wp-model.js';
import { RecordingActors, type StartedCall } from './recording-actors.js';
import type { AgentRun, HostAnswer, LaneRequest, RetryWait, WpEnd, WpTrace } from './wp-trace.js';
import { type WorldAnswer, worldAnswer } from './wp-world.js';

/** Every actor the machine invokes by name: all of them are replaced here. */
const ACTOR_NAMES = Object.keys(wpActors) as (keyof typeof wpActors)[];

function hostAnswer(call: StartedCall): HostAnswer {
  if (!call.settle) return 'unanswered';
  if (call.settle.ok) return 'ok';
  return (call.settle.error as { code?: string }).code === TOOK_EFFECT ? 'lost' : 'refused';
}

function laneRequestOf(call: StartedCall): LaneRequest | null {
  const answer = hostAnswer(call);
  if (call.src === 'hostStartImplementation')
    return { verb: 'start-implementation', to: 'in_progress', force: false, answer };
  if (call.src === 'hostStartReview') return { verb: 'start-review', to: 'in_review', force: false, answer };
  if (call.src === 'hostTransition') {
    const input = call.input as { to: Lane; force?: boolean };
    return { verb: 'transition', to: input.to, force: input.force ?? false, answer };
  }
  return null;
}

function hostLanesOf(entryLane: Lane, requests: LaneRequest[]): Lane[] {
  const lanes: Lane[] = [];
  let lane = entryLane;
  for (const request of requests) {
    if (request.answer === 'ok' || request.answer === 'lost') {
      if (request.to !== lane) lanes.push(request.to);
      lane = request.to;
    }
  }
  return lanes;
}

/**
 * A retry wait, measured from the failed answer just before it (or, when that answer carried no
 * instant, such as an agent crash, from the latest instant the world had reported).
 */
function waitOf(call: StartedCall, answers: WorldAnswer[], runs: StartedCall[]): RetryWait {
  const role: AgentRole = call.id === 'backoff' ? 'implementation' : 'review';
  const given = answers.slice(0, call.afterAnswers).filter((answer) => answer.call !== 'note');
  const failure = given.at(-1);
  const instants = given.flatMap((answer) => (answer.at === null ? [] : [answer.at]));
  const from = failure?.at ?? (instants.length > 0 ? Math.max(...instants) : 0);
  const lastRun = runs
    .filter((run) => run.afterAnswers < call.afterAnswers && (run.input as RunAgentInput).role === role)
    .at(-1);
  const input = lastRun?.input as RunAgentInput | undefined;
  return {
    role,
    agent: input?.agent ?? ('none' as AgentId),
    afterAttempt: input?.attempt ?? 0,
    backoffMs: (call.input as { deadline: number }).deadline - from,
  };
}

function runOf(call: StartedCall): AgentRun {
  const input = call.input as RunAgentInput;
  return {
    role: input.role,
    agent: input.agent,
    attempt: input.attempt,
    cycle: input.prompt.reviewCycle,
    feedback: input.prompt.feedback,
  };
}

/** The machine's reason text, as the oracle's categories (unknown texts stay visible as they are). */
export function reasonCategory(outcome: WpEnd, reason: string | null): string | null {
  if (outcome === 'done' || outcome === 'running') return null;
  const text = reason ?? '';
  const patterns: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^All (implementation|review) agents exhausted/, (m) => `${m[1]} agents exhausted`],
    [/^Review cycle \d+ rejected and max_review_cycles/, () => 'review cycles exhausted'],
    [/^host refused: ([A-Z_]+):/, (m) => `host refused: ${m[1]}`],
    [/not driven by this orchestrator|not claimed by this orchestrator/, () => 'lane not driven'],
    [/^(.+?) failed: /, (m) => `local step failed: ${m[1]}`],
  ];
  for (const [pattern, category] of patterns) {
    const match = text.match(pattern);
    if (match) return category(match);
  }
  return `unrecognized: ${text}`;
}

/** `told` collects the domain events the machine emits along the way (see wp-told.ts). */
export async function observeWpTrace(path: ModelPath, input: WpInput, told?: WpEmitted[]): Promise<WpTrace> {
  const recorder = new RecordingActors();
  const actor = createActor(wpMachine.provide({ actors: recorder.provide(ACTOR_NAMES) }), { input });
  if (told) actor.on('*', (event) => told.push(event));
  actor.start();
  const answers: WorldAnswer[] = [];
  try {
    for (const step of path.steps) {
      const event = step.event as ModelEvent;
      const id = event.type.replace(/^xstate\.(done|error)\.actor\./, '');
      // A hand-written world may answer a call the machine never made: what it did so far is its trace.
      if (!(await recorder.waitForPending(id))) break;
      answers.push(worldAnswer(event));
      await recorder.answer(
        id,
        event.type.startsWith('xstate.error.')
          ? { ok: false, error: event.error }
          : { ok: true, output: event.output },
      );
    }
    const snapshot = actor.getSnapshot();
    const flow = (snapshot.value as { flow: string | object }).flow;
    const context = snapshot.context as WpContext;
    const ended = flow === 'done' || flow === 'blocked' || flow === 'failed';
    // The flow's result; the output is built from it once the last notes are written.
    const outcome: WpEnd = ended ? (context.outcome ?? 'failed') : 'running';
    const laneRequests = recorder.started.flatMap((call) => laneRequestOf(call) ?? []);
    const runs = recorder.started.filter((call) => call.src === 'runAgent');
    return {
      laneRequests,
      hostLanes: hostLanesOf(input.lane, laneRequests),
      runs: runs.map(runOf),
      waits: recorder.started
        .filter((call) => call.src === 'waitUntil')
        .map((call) => waitOf(call, answers, runs)),
      commitBases: recorder.started
        .filter((call) => call.src === 'commitLaneWork')
        .map((call) => (call.input as { baseHead: string | null }).baseHead),
      outcome,
      reason: reasonCategory(outcome, context.outcomeReason),
    };
  } finally {
    actor.stop();
  }
}
