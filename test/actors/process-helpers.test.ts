import { describe, expect, it } from 'vitest';
import { agentLogPath, safePathComponent } from '../../src/actors/process/log-paths.js';
import { decodeUtf8Tail, OutputTail } from '../../src/actors/process/output-tail.js';

describe('agentLogPath', () => {
  it('builds <repo>/.kittify/logs/<mission>/<wp>-<role>-<attempt>.log', () => {
    expect(
      agentLogPath('/repo', { mission: '001-demo', wp: 'WP01', role: 'implementation', attempt: 2 }),
    ).toBe('/repo/.kittify/logs/001-demo/WP01-implementation-2.log');
  });

  it.each([
    ['../../etc', '___.._etc'],
    ['a/b\\c', 'a_b_c'],
    ['..', '__'],
    ['', '_'],
    ['  spaced name ', 'spaced_name'],
    ['mission\n-x', 'mission_-x'],
  ])('sanitizes %j to %j', (input, output) => {
    expect(safePathComponent(input)).toBe(output);
  });

  it('never leaves the logs folder and rejects bad attempts', () => {
    const logPath = agentLogPath('/repo', { mission: '../..', wp: '../../x', role: 'review', attempt: 1 });
    expect(logPath.startsWith('/repo/.kittify/logs/')).toBe(true);
    expect(() => agentLogPath('/repo', { mission: 'm', wp: 'WP01', role: 'review', attempt: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('OutputTail', () => {
  it('keeps exactly the last bytes across wrap-arounds', () => {
    const tail = new OutputTail(10);
    for (const piece of ['abc', 'defgh', 'ijklmnop', 'q']) tail.push(Buffer.from(piece));
    expect(tail.text()).toBe('hijklmnopq');
    expect(tail.totalBytes).toBe(17);
    tail.push(Buffer.from('0123456789ABCDEF'));
    expect(tail.text()).toBe('6789ABCDEF');
  });

  it('keeps everything while under the limit, nothing with limit 0', () => {
    const small = new OutputTail(100);
    small.push(Buffer.from('hello'));
    expect(small.text()).toBe('hello');
    const none = new OutputTail(0);
    none.push(Buffer.from('hello'));
    expect(none.text()).toBe('');
  });

  it('never returns half characters or more bytes than the limit', () => {
    const tail = new OutputTail(8);
    tail.push(Buffer.from('ééééé✓'));
    const text = tail.text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8);
    expect(text).not.toContain('\uFFFD');
    expect(text.endsWith('✓')).toBe(true);
  });

  it('decodes binary noise within the byte budget', () => {
    const noise = Buffer.from([0xff, 0xfe, 0x80, 0x81, 0xc3, 0xff, 0xfe, 0xfd]);
    expect(Buffer.byteLength(decodeUtf8Tail(noise, 8))).toBeLessThanOrEqual(8);
    expect(decodeUtf8Tail(Buffer.from([0x61, 0xe2, 0x9c]), 8)).toBe('a');
  });
});
