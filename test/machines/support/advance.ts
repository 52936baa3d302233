/** Moves a simulated WP to a lane directly through the host, as an earlier run would have left it. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GIT_TEST_ENV } from '../../support/temp-repo.js';
import { TEST_POLICY } from './run-wp.js';
import type { SimWorld } from './sim-world.js';

const ACTOR = 'spec-kitty-orchestrator';

export async function advanceTo(
  world: SimWorld,
  wp: string,
  lane: 'in_progress' | 'for_review' | 'in_review',
): Promise<void> {
  const ref = { mission: world.slug, wp, actor: ACTOR };
  const started = await world.host.startImplementation({ ...ref, policy: TEST_POLICY });
  if (lane === 'in_progress') return;
  const cwd = started.workspace_path;
  writeFileSync(path.join(cwd, `earlier-${wp}.txt`), 'work of an earlier run\n');
  const env = { ...process.env, ...GIT_TEST_ENV };
  execFileSync('git', ['add', '-A'], { cwd, env });
  execFileSync('git', ['commit', '-q', '-m', `feat(${wp}): earlier run`], { cwd, env });
  await world.host.transition({ ...ref, to: 'for_review', policy: TEST_POLICY });
  if (lane === 'for_review') return;
  await world.host.startReview({ ...ref, policy: TEST_POLICY, reviewRef: `review-${wp}-cycle1-deadbeef` });
}
