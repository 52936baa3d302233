/** The mission a command acts on: `--mission`, else the one the recorded run was for. */
import { readRunState } from '../../actors/persistence/index.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';

export async function missionFromArgOrRun(repoRoot: string, mission: string | undefined): Promise<string> {
  if (mission) return mission;
  const saved = await readRunState(repoRoot);
  if (saved.kind === 'ok') return saved.state.mission;
  throw new CliError(
    'no mission named and no orchestration run recorded here',
    EXIT.usage,
    'name it with --mission <slug> (the mission slug as `spec-kitty` lists it)',
  );
}
