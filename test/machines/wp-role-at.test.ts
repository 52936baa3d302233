import { describe, expect, it } from 'vitest';
import { wpMachine } from '../../src/machines/wp/machine.js';
import { roleAt } from '../../src/machines/wp/role-at.js';

interface NodeLike {
  key: string;
  states: Record<string, NodeLike>;
  invoke: { src: unknown }[];
}

/** Every state under `flow` as a state value, with the actor names it invokes. */
function flowStates(): { value: unknown; path: string; invokes: string[] }[] {
  const found: { value: unknown; path: string; invokes: string[] }[] = [];
  const walk = (node: NodeLike, keys: string[]) => {
    for (const child of Object.values(node.states)) {
      const path = [...keys, child.key];
      const value = path.reduceRight<unknown>(
        (inner, key) => (inner === null ? key : { [key]: inner }),
        null,
      );
      found.push({
        value: { flow: value },
        path: path.join('.'),
        invokes: child.invoke.map((i) => String(i.src)),
      });
      walk(child, path);
    }
  };
  walk((wpMachine.root as unknown as NodeLike).states.flow as NodeLike, []);
  return found;
}

describe('roleAt (the role a wpMachine state names in its meta)', () => {
  it('names the role of the states where agents work, and none in host-call steps', () => {
    expect(roleAt({ flow: { inProgress: 'implementing' }, notes: 'idle' })).toBe('implementation');
    expect(roleAt({ flow: { inProgress: 'retryWait' }, notes: 'writing' })).toBe('implementation');
    expect(roleAt({ flow: { forReview: 'preparingReview' } })).toBe('review');
    expect(roleAt({ flow: { inReview: 'reviewing' } })).toBe('review');
    expect(roleAt({ flow: { forReview: 'claimingReview' } })).toBeNull();
    expect(roleAt({ flow: 'submitting' })).toBeNull();
    expect(roleAt({ flow: 'done' })).toBeNull();
    expect(roleAt('nonsense')).toBeNull();
    expect(roleAt({ flow: { nowhere: 'x' } })).toBeNull();
  });

  it('gives every state that runs an agent the role of that agent', () => {
    const agentStates = flowStates().filter((s) => s.invokes.includes('runAgent'));
    expect(agentStates.map((s) => s.path).sort()).toEqual(['inProgress.implementing', 'inReview.reviewing']);
    expect(agentStates.map((s) => roleAt(s.value))).toEqual(
      agentStates.map((s) => (s.path.startsWith('inProgress') ? 'implementation' : 'review')),
    );
  });
});
