/**
 * The host actors' one decision of their own: when resuming our run, an in_progress WP whose
 * worktree holds a killed agent's edits (the host then refuses start-implementation with
 * LANE_ALLOCATION_FAILED) is adopted in its existing workspace; otherwise the refusal stands.
 */

import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createWpHostActors } from '../../src/actors/host-actors.js';
import type { HostApi } from '../../src/host/api.js';
import { hostErrorFromCode } from '../../src/host/errors.js';

const args = { mission: '001-m', wp: 'WP01', actor: 'me', policy: '{}' };

function hostWith(lane: string, calls: string[]): HostApi {
  const refuse = () => {
    calls.push('start-implementation');
    return Promise.reject(
      hostErrorFromCode('LANE_ALLOCATION_FAILED', {
        command: 'start-implementation',
        hostMessage: 'worktree has uncommitted changes',
        data: {},
      }),
    );
  };
  return {
    startImplementation: refuse,
    missionState: () => {
      calls.push('mission-state');
      return Promise.resolve({
        mission_slug: '001-m',
        summary: {},
        work_packages: [{ wp_id: 'WP01', lane, dependencies: [] }],
      });
    },
    resolveWorkspace: () => {
      calls.push('resolve-workspace');
      return Promise.resolve({
        mission_slug: '001-m',
        wp_id: 'WP01',
        workspace_path: '/repo/.worktrees/001-m-lane-a',
        prompt_path: '/repo/prompt.md',
        lane_branch: 'kitty/mission-001-m-lane-a',
      });
    },
  } as unknown as HostApi;
}

async function start(host: HostApi, adoptDirtyInProgress: boolean) {
  const actors = createWpHostActors(host, () => 42, { adoptDirtyInProgress });
  return toPromise(createActor(actors.hostStartImplementation, { input: args }).start());
}

describe('hostStartImplementation on resume', () => {
  it('adopts an in_progress WP whose worktree is dirty, in its existing workspace', async () => {
    const calls: string[] = [];
    const started = await start(hostWith('in_progress', calls), true);
    expect(started.data).toMatchObject({
      from_lane: 'in_progress',
      to_lane: 'in_progress',
      no_op: true,
      workspace_path: '/repo/.worktrees/001-m-lane-a',
      lane_branch: 'kitty/mission-001-m-lane-a',
    });
    expect(calls).toEqual(['start-implementation', 'mission-state', 'resolve-workspace']);
  });

  it('keeps the refusal when not resuming, or when the WP is not in_progress', async () => {
    await expect(start(hostWith('in_progress', []), false)).rejects.toMatchObject({
      code: 'LANE_ALLOCATION_FAILED',
    });
    await expect(start(hostWith('planned', []), true)).rejects.toMatchObject({
      code: 'LANE_ALLOCATION_FAILED',
    });
  });
});
