/** Which values count as a produced file or a commit sha. */
import { describe, expect, it } from 'vitest';
import { commitsFromRecord, filesFromRecord } from '../../src/agents/parse/artifacts.js';

describe('filesFromRecord', () => {
  it.each(['file', 'filePath', 'file_path', 'filename'])('reads the path from a %s key', (key) => {
    expect(filesFromRecord({ files: [{ [key]: 'src/a.ts' }] })).toEqual(['src/a.ts']);
  });

  it('skips entries without a string path', () => {
    expect(filesFromRecord({ files: [null, 5, { path: 5, file: 'b.ts' }, ''] })).toEqual(['b.ts']);
  });
});

describe('commitsFromRecord', () => {
  it('accepts a sha with surrounding whitespace', () => {
    expect(commitsFromRecord({ commit: ' abc1234 \n' })).toEqual(['abc1234']);
  });

  it('rejects values that only contain or start with a sha', () => {
    expect(commitsFromRecord({ commits: ['zzabc1234', 'abc1234zz', 'see abc1234'] })).toEqual([]);
  });

  it('rejects a sha given as a number', () => {
    expect(commitsFromRecord({ commits: [{ sha: 1234567 }] })).toEqual([]);
  });
});
