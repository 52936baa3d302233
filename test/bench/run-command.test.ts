/** The harness's command runner: template filling, exit status, and the process tree's CPU. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote, runCommand } from '../../bench/run-command.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sko-bench-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench runCommand', () => {
  it('fills the template with quoted values and counts the CPU of grandchildren it waited for', async () => {
    // The child prints its argument, then has a grandchild burn 400 ms of CPU: only the
    // kernel's count of reaped children sees that.
    const script = path.join(dir, 'child.mjs');
    writeFileSync(
      script,
      [
        "import { spawnSync } from 'node:child_process';",
        "process.stdout.write(process.argv[2] + '\\n');",
        "spawnSync(process.execPath, ['-e', 'while (process.cpuUsage().user < 400000);']);",
      ].join('\n'),
    );
    const run = await runCommand({
      template: `${quote(process.execPath)} ${quote(script)} {mission}`,
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      values: { mission: "it's mine", repo: dir, eventLog: path.join(dir, 'events.jsonl') },
      outputFile: path.join(dir, 'output.txt'),
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, 'output.txt'), 'utf8')).toBe("it's mine\n");
    if (process.platform === 'linux') {
      // The loop counts CPU, not wall time, so this holds however loaded the machine is.
      expect(run.treeCpuMs).toBeGreaterThanOrEqual(400);
    } else {
      expect(run.treeCpuMs).toBeUndefined();
    }
  });
});
