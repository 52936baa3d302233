/**
 * The machine modules load and build their statecharts. Imported inside the test on purpose: a
 * config that xstate refuses (an unknown target, initial state or machine id) then fails this
 * test, where a static import would fail the whole file at load, which Stryker's vitest runner
 * counts as no test run rather than as a failure (measured: such mutants were reported as
 * survivors).
 */
import { describe, expect, it } from 'vitest';

describe('machine modules', () => {
  it('build both statecharts with the ids their #targets name', async () => {
    const { wpMachine } = await import('../../src/machines/wp/machine.js');
    const { missionMachine } = await import('../../src/machines/mission/machine.js');
    expect(wpMachine.id).toBe('wp');
    expect(missionMachine.id).toBe('mission');
    expect(wpMachine.getStateNodeById('wp.flow.reconciling').key).toBe('reconciling');
    expect(missionMachine.getStateNodeById('mission.running').type).toBe('parallel');
  });
});
