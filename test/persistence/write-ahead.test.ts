/**
 * Write-ahead of lane mutations: at the instant any lane mutation reaches the host, the run-state
 * file on disk already names the step that sent it. A kill at that instant (the host carries the
 * mutation out, our process is gone) then leaves resume the fact it needs: whose review an
 * in_review WP is, which step the lane change left from. In-process session on the simulated
 * host with fake agent processes; the host seam reads the file as each mutation arrives.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createWpHostActors } from '../../src/actors/host-actors.js';
import { parseRunState, type RunState, runStatePath } from '../../src/actors/persistence/index.js';
import { defaultConfig } from '../../src/cli/config/index.js';
import { runSession } from '../../src/cli/runtime/run-session.js';
import { ownedInReviewFrom } from '../../src/cli/runtime/saved-run.js';
import type { HostApi } from '../../src/host/api.js';
import { buildPolicy } from '../../src/host/policy.js';
import { flowStep } from '../../src/machines/restore/persisted-run.js';
import { createFakeAgentHarness } from '../e2e/support/fake-agents.js';
import { assertSimulatedHostBuilt, createHostTarget } from '../e2e/support/hosts.js';
import { createTempRepo, git } from '../support/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The saved step of one WP's actor, or undefined when the file does not hold that WP. */
function savedStep(state: RunState, wpId: string): string | undefined {
  const children = (state.snapshot as { children?: Record<string, { snapshot?: { value?: unknown } }> })
    .children;
  return flowStep(children?.[wpId]?.snapshot?.value);
}

describe('write-ahead of lane mutations (session on the simulated host)', () => {
  it('every lane mutation finds the step that sends it already saved', async () => {
    assertSimulatedHostBuilt();
    const repo = createTempRepo('sko-write-ahead-');
    cleanups.push(repo.cleanup);
    git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
    const target = createHostTarget('simulated');
    const mission = {
      slug: '001-write-ahead',
      title: 'Write-ahead',
      workPackages: [
        { id: 'WP01', title: 'One', subtasks: ['T001'], prompt: '# WP01\n' },
        { id: 'WP02', title: 'Two', subtasks: ['T002'], prompt: '# WP02\n' },
        { id: 'WP03', title: 'Three', dependencies: ['WP01'], subtasks: ['T003'], prompt: '# WP03\n' },
      ],
    };
    await target.createMission(repo.root, mission);
    const agentDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-write-ahead-agents-')));
    cleanups.push(() => rmSync(agentDir, { recursive: true, force: true }));
    // WP02's first review asks for changes: the rework transition is checked too.
    const agents = createFakeAgentHarness({
      dir: agentDir,
      scenario: {
        WP02: { review: [{ action: 'request_changes', feedback: 'rename it' }, { action: 'approve' }] },
      },
      hostBin: target.agentHostBin,
      hostEnv: target.hostEnv,
    });

    const file = runStatePath(repo.root);
    const seen: string[] = [];
    const problems: string[] = [];
    const readSaved = (): RunState | null => {
      try {
        const parsed = parseRunState(file, readFileSync(file, 'utf8'));
        return parsed.kind === 'ok' ? parsed.state : null;
      } catch {
        return null;
      }
    };
    /** Before the mutation goes to the host: the file must name the step that sends it. */
    const check = (what: string, wpId: string, expected: string) => {
      const saved = readSaved();
      const step = saved ? savedStep(saved, wpId) : undefined;
      seen.push(`${wpId} ${what} ${step}`);
      if (step !== expected) problems.push(`${wpId} ${what}: saved step ${step}, expected ${expected}`);
      if (saved && what === 'start-review' && !ownedInReviewFrom(saved).includes(wpId))
        problems.push(`${wpId} start-review: the saved run does not own the review`);
    };
    const real = target.client(repo.root, () => {});
    const TRANSITION_STEPS: Record<string, string> = {
      for_review: 'submitting',
      done: 'completing',
      in_progress: 'requestingChanges',
      blocked: 'blocking',
    };
    const host = new Proxy(real, {
      get(client, property, receiver) {
        const value = Reflect.get(client, property, receiver);
        if (typeof value !== 'function') return value;
        return (args: { wp?: string; to?: string }, options: unknown) => {
          if (property === 'startImplementation') check('start-implementation', args.wp ?? '', 'claiming');
          if (property === 'startReview') check('start-review', args.wp ?? '', 'forReview.claimingReview');
          if (property === 'transition')
            check(`transition ${args.to}`, args.wp ?? '', TRANSITION_STEPS[args.to ?? ''] ?? '?');
          return value.call(client, args, options);
        };
      },
    }) as HostApi;

    const config = { ...defaultConfig(), pollIntervalSeconds: 600, retryBackoffSeconds: 0.05 };
    const result = await runSession({
      repoRoot: repo.root,
      mission: mission.slug,
      actor: 'spec-kitty-orchestrator',
      runId: 'write-ahead-run',
      policy: buildPolicy({ orchestrator_version: '0.1.0' }),
      config: {
        ...config,
        agents: { ...config.agents, implementation: ['claude-code'], review: ['claude-code'] },
      },
      host,
      launchers: agents.launchers,
      startedAt: new Date().toISOString(),
      graceMs: 500,
    });

    expect(result.status).toBe('completed');
    expect(problems).toEqual([]);
    // 3 claims, 4 submissions, 4 review claims, 3 completions, 1 rework request.
    expect(seen).toHaveLength(15);
  });
});

describe('write-ahead in the host actors', () => {
  const args = { mission: '001-m', wp: 'WP01', actor: 'me', policy: '{}', to: 'for_review' as const };

  it('a lane mutation is sent only after the write-ahead resolved; a read never waits for it', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const host = {
      transition: () => {
        order.push('transition sent');
        return Promise.resolve({ from_lane: 'in_progress', to_lane: 'for_review' });
      },
      resolveWorkspace: () => {
        order.push('resolve-workspace sent');
        return Promise.resolve({});
      },
    } as unknown as HostApi;
    const actors = createWpHostActors(host, () => 1, {
      writeAhead: () => {
        order.push('write-ahead started');
        return new Promise<void>((resolve) => {
          release = () => {
            order.push('write-ahead on disk');
            resolve();
          };
        });
      },
    });
    const transition = toPromise(createActor(actors.hostTransition, { input: args }).start());
    await toPromise(createActor(actors.hostResolveWorkspace, { input: args }).start());
    expect(order).toEqual(['write-ahead started', 'resolve-workspace sent']);
    release();
    await transition;
    expect(order).toEqual([
      'write-ahead started',
      'resolve-workspace sent',
      'write-ahead on disk',
      'transition sent',
    ]);
  });

  it('a run stopped during the write-ahead sends nothing', async () => {
    const sent: string[] = [];
    let release: () => void = () => {};
    const host = {
      startReview: () => {
        sent.push('start-review');
        return Promise.resolve({});
      },
    } as unknown as HostApi;
    const actors = createWpHostActors(host, () => 1, {
      writeAhead: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    const actor = createActor(actors.hostStartReview, { input: args }).start();
    actor.stop();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
  });
});
