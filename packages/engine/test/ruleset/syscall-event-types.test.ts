import { syscallEventTypes } from '../../src/ruleset/syscall-event-types';

describe('syscall event types', () => {
  const t = syscallEventTypes();
  it('names select their enter and exit events, in every layout', () => {
    const open = t.codesForName('open');
    expect(open.length).toBeGreaterThanOrEqual(2);
    expect(open.map((c) => t.nameOfCode(c))).toEqual(open.map(() => 'open'));
  });
  it('syscalls without an event of their own select the generic event', () => {
    expect(t.codesForName('madvise')).toEqual(t.codesForName('syscall'));
    expect(t.codesForName('madvise').length).toBe(2);
  });
  it('unknown names select nothing', () => {
    expect(t.codesForName('some_invalid_event')).toEqual([]);
  });
  it('every code is known to the index', () => {
    expect(t.allCodes.length).toBeGreaterThan(300);
  });
});
