/**
 * `spec-kitty agent tasks mark-status T001 [T002 ...] --status done|pending [--mission M] [--json]`,
 * the agent-facing verb that records subtask completion (the for_review guard reads it). Like the
 * real host it records an annotation event, reports `not_found` ids with exit 1, and answers an
 * unknown mission on stderr with exit 2.
 */
import { readdir } from 'node:fs/promises';
import { booleanOption, parseArgs, stringOption } from '../argv.js';
import {
  appendEvents,
  lockMission,
  readMission,
  resolveMissionHandle,
  writeMission,
} from '../mission-store.js';
import type { AnnotationEvent } from '../model.js';
import { missionPaths } from '../paths.js';
import { newEventId, nowIso } from './context.js';

export interface ProcessOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const STATUSES = new Set(['done', 'pending']);

export async function markStatus(args: readonly string[], repoRoot: string): Promise<ProcessOutput> {
  const parsed = parseArgs(
    args,
    [
      { name: 'status', kind: 'value', required: true },
      { name: 'mission', kind: 'value' },
      { name: 'owned-checkout', kind: 'value' },
      { name: 'auto-commit', kind: 'toggle' },
      { name: 'json', kind: 'flag' },
    ],
    { variadic: 'TASK_IDS...' },
  );
  const status = stringOption(parsed, 'status') ?? '';
  const asJson = booleanOption(parsed, 'json') ?? false;
  if (!STATUSES.has(status)) {
    return fail(asJson, `Invalid status '${status}': use done or pending`, 1);
  }
  const handle = stringOption(parsed, 'mission');
  const slug =
    handle !== undefined ? await resolveMissionHandle(repoRoot, handle) : await onlyMission(repoRoot);
  if (!slug || !(await readMission(repoRoot, slug))) {
    return {
      stdout: '',
      stderr: `${JSON.stringify({ error: 'mission_not_found', handle: slug ?? null })}\n`,
      exitCode: 2,
    };
  }

  const results = await lockMission(repoRoot, slug, async () => {
    const mission = await readMission(repoRoot, slug);
    if (!mission) return [];
    const events: AnnotationEvent[] = [];
    const outcomes = parsed.positionals.map((taskId) => {
      const wp = mission.work_packages.find((candidate) => taskId in candidate.subtasks);
      if (!wp) {
        return {
          id: taskId,
          outcome: 'not_found',
          format: null,
          message: `${taskId} was not found in any supported task format.`,
        };
      }
      const stored = status === 'done' ? 'done' : 'planned';
      wp.subtasks[taskId] = stored;
      events.push({
        actor: 'user',
        at: nowIso(),
        delta: { subtasks: { [taskId]: stored === 'done' ? 'done' : 'pending' } },
        event_id: newEventId(),
        kind: 'annotation',
        wp_id: wp.wp_id,
      });
      return {
        id: taskId,
        outcome: 'updated',
        format: 'checkbox',
        message: `Marked ${taskId} as ${status} (checkbox row updated).`,
      };
    });
    await writeMission(repoRoot, mission);
    await appendEvents(repoRoot, slug, events);
    return outcomes;
  });

  const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
  const summary = { updated: count('updated'), already_satisfied: 0, not_found: count('not_found') };
  const exitCode = summary.not_found > 0 ? 1 : 0;
  if (asJson) return { stdout: `${JSON.stringify({ results, summary })}\n`, stderr: '', exitCode };
  return { stdout: results.map((result) => `${result.message}\n`).join(''), stderr: '', exitCode };
}

/** Without --mission the real host auto-detects; we accept the one mission if there is exactly one. */
async function onlyMission(repoRoot: string): Promise<string | undefined> {
  try {
    const files = await readdir(missionPaths(repoRoot, 'x').dir);
    const missions = files.filter((file) => file.endsWith('.json'));
    return missions.length === 1 ? missions[0]?.slice(0, -'.json'.length) : undefined;
  } catch {
    return undefined;
  }
}

function fail(asJson: boolean, message: string, exitCode: number): ProcessOutput {
  return asJson
    ? { stdout: `${JSON.stringify({ error: message })}\n`, stderr: '', exitCode }
    : { stdout: '', stderr: `${message}\n`, exitCode };
}
