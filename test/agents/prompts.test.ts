import { describe, expect, it } from 'vitest';
import {
  buildImplementationPrompt,
  buildReviewPrompt,
  markStatusCommand,
  parseSubtaskIds,
  REVIEW_PROMPT_MARKER,
  REWORK_FEEDBACK_HEADING,
} from '../../src/agents/prompts.js';
import { findVerdict } from '../../src/agents/verdict.js';

describe('parseSubtaskIds', () => {
  it.each([
    [
      'block list',
      '---\nwork_package_id: WP01\nsubtasks:\n  - T001\n  - "T002"\n  - \'T003\'\nlane: planned\n---\nbody',
      ['T001', 'T002', 'T003'],
    ],
    ['inline array', '---\nsubtasks: [T001, "T002", \'T003\']\n---\n', ['T001', 'T002', 'T003']],
    [
      'comments and blank lines in a block list',
      '---\nsubtasks: # the list\n  - T001  # first\n\n  - T002\nother: x\n---\n',
      ['T001', 'T002'],
    ],
    [
      'unsafe ids dropped, repeats removed',
      '---\nsubtasks: [T001, "T0;rm -rf", $(x), T001, -T9, T.2_b-c]\n---\n',
      ['T001', 'T.2_b-c'],
    ],
    ['no frontmatter', 'subtasks: [T001]\n', []],
    ['frontmatter without subtasks', '---\ntitle: x\n---\nsubtasks: [T001]', []],
    ['empty inline list', '---\nsubtasks: []\n---\n', []],
    ['unterminated frontmatter', '---\nsubtasks: [T001]\n', []],
    ['CRLF line endings', '---\r\nsubtasks:\r\n  - T001\r\n---\r\n', ['T001']],
  ])('%s', (_name, text, ids) => {
    expect(parseSubtaskIds(text)).toEqual(ids);
  });
});

describe('buildImplementationPrompt', () => {
  it('prepends one mark-status command for all the subtasks, then the WP prompt', () => {
    const prompt = buildImplementationPrompt({
      wpPrompt: 'WP BODY',
      mission: '001-demo',
      subtaskIds: ['T001', 'T002'],
    });
    expect(prompt).toContain(
      '    spec-kitty agent tasks mark-status T001 T002 --status done --mission 001-demo --json',
    );
    expect(prompt).toContain(markStatusCommand(['T001', 'T002'], '001-demo'));
    expect(prompt.match(/mark-status/g)).toHaveLength(1);
    expect(prompt.indexOf('T002')).toBeLessThan(prompt.indexOf('WP BODY'));
    expect(prompt).not.toContain(REWORK_FEEDBACK_HEADING);
  });

  it('is the WP prompt alone without subtasks or feedback', () => {
    expect(buildImplementationPrompt({ wpPrompt: 'WP BODY', mission: 'm', subtaskIds: [] })).toBe('WP BODY');
  });

  it('appends the review feedback section on rework', () => {
    const prompt = buildImplementationPrompt({
      wpPrompt: 'WP BODY',
      mission: 'm',
      subtaskIds: [],
      feedback: '  Add tests  ',
    });
    expect(prompt.indexOf('WP BODY')).toBeLessThan(prompt.indexOf(REWORK_FEEDBACK_HEADING));
    expect(prompt.trimEnd().endsWith('Add tests')).toBe(true);
  });

  it('refuses an unsafe mission slug rather than pasting it into a command', () => {
    expect(() =>
      buildImplementationPrompt({ wpPrompt: 'x', mission: 'a; rm -rf /', subtaskIds: ['T001'] }),
    ).toThrow(/Unsafe mission slug/);
  });
});

describe('buildReviewPrompt', () => {
  const prompt = buildReviewPrompt({
    wpPrompt: '# WP01 body',
    mission: '001-demo',
    wpId: 'WP01',
    diffSummary: ' src/a.ts | 10 +++++\n 1 file changed',
  });

  it('marks the prompt as a review, says what to review and that nothing may be modified', () => {
    expect(prompt.startsWith(REVIEW_PROMPT_MARKER)).toBe(true);
    expect(prompt).toContain('REVIEWER of work package WP01');
    expect(prompt).toContain('src/a.ts | 10 +++++');
    expect(prompt).toContain('# WP01 body');
    expect(prompt).toMatch(/Do NOT modify, create, delete/);
    expect(prompt).toContain('"verdict": "approved" | "changes_requested"');
    expect(prompt).toContain('VERDICT: approved');
  });

  it('contains no verdict of its own (an echoed prompt must not read as approval)', () => {
    expect(findVerdict(prompt)).toBeUndefined();
  });

  it('says so when the diff is empty', () => {
    expect(buildReviewPrompt({ wpPrompt: 'x', mission: 'm', wpId: 'WP02', diffSummary: '  ' })).toContain(
      '(no changes were found against the base)',
    );
  });
});

describe('implementation prompt of a sandboxed run', () => {
  it('tells the agent to leave its changes uncommitted (its git folder is read-only)', () => {
    const prompt = buildImplementationPrompt({
      wpPrompt: '# WP01',
      mission: '001-m',
      subtaskIds: [],
      sandboxed: true,
    });
    expect(prompt).toContain('Leave your changes uncommitted');
    expect(buildImplementationPrompt({ wpPrompt: '# WP01', mission: '001-m', subtaskIds: [] })).not.toContain(
      'uncommitted',
    );
  });
});
