import { PRIORITIES, createAlert, defaultHostname, internalAlert, parsePriority, priorityLevel, priorityName } from '@falco-ts/alert';
import { hostname } from 'node:os';

describe('alert model', () => {
  it("knows Falco's priorities in order, case-insensitively, with the `info` spelling", () => {
    expect(PRIORITIES.map((p) => priorityLevel(p))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(PRIORITIES.map((p) => priorityName(priorityLevel(p)))).toEqual([...PRIORITIES]);
    expect(parsePriority('WARNING')).toBe(4);
    expect(parsePriority('informational')).toBe(6);
    expect(parsePriority('info')).toBe(6);
    expect(parsePriority('loud')).toBeUndefined();
    expect(parsePriority(' debug')).toBeUndefined();
  });

  it('takes the host name from FALCO_HOSTNAME when set', () => {
    const saved = process.env.FALCO_HOSTNAME;
    try {
      process.env.FALCO_HOSTNAME = 'node-7';
      expect(defaultHostname()).toBe('node-7');
      expect(createAlert({ rule: 'r', priority: 'Debug', source: 'syscall', output: 'o' }).hostname).toBe('node-7');
      delete process.env.FALCO_HOSTNAME;
      expect(defaultHostname()).toBe(hostname());
    } finally {
      if (saved === undefined) delete process.env.FALCO_HOSTNAME;
      else process.env.FALCO_HOSTNAME = saved;
    }
  });

  it('gives every alert its own id and the current time unless given', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const a = createAlert({ rule: 'r', priority: 'Debug', source: 'syscall', output: 'o' });
    const b = createAlert({ rule: 'r', priority: 'Debug', source: 'syscall', output: 'o' });
    expect(a.id).not.toBe(b.id);
    expect(a.timeNs >= before).toBe(true);
    expect(a.tags).toEqual([]);
    expect(a.outputFields).toEqual({});
  });

  it('marks alerts about the detector itself with the internal source', () => {
    const a = internalAlert('Falco internal: syscall event drop', 'Debug', 'Falco internal: syscall event drop. 12 system calls dropped in last second.', { 'n_drops': 12 });
    expect(a).toMatchObject({ source: 'internal', priority: 'Debug', tags: [], outputFields: { n_drops: 12 } });
  });
});
