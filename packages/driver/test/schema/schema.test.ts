import { EF, EVENT_TABLE, EVENT_TYPE_COUNT, FLAG_TABLES, PPM_SC_NAMES, SYSCALLS_X86_64, eventInfo, eventTypesByName, flagNames, paramLenSize } from '../../src/schema';

describe('event schema', () => {
  it('has every event type 0..453 with enter on even ids', () => {
    expect(EVENT_TYPE_COUNT).toBe(454);
    EVENT_TABLE.forEach((e, i) => {
      expect(e.id).toBe(i);
      expect(e.dir).toBe(i % 2 === 0 ? 'enter' : 'exit');
    });
  });

  it('knows the open exit layout', () => {
    const open = eventInfo(3)!;
    expect(open.symbol).toBe('PPME_SYSCALL_OPEN_X');
    expect(open.params.map((p) => p[0])).toEqual(['fd', 'name', 'flags', 'mode', 'dev', 'ino']);
  });

  it('uses 4-byte parameter lengths only for large-payload events', () => {
    const large = EVENT_TABLE.filter((e) => (e.flags & EF.LARGE_PAYLOAD) !== 0).map((e) => e.id);
    expect(large).toEqual([322, 324, 402]);
    expect(paramLenSize(322)).toBe(4);
    expect(paramLenSize(3)).toBe(2);
  });

  it('finds every version of an event type by name', () => {
    expect(eventTypesByName('execve').length).toBeGreaterThan(10);
    expect(eventTypesByName('no-such-event')).toEqual([]);
  });

  it('renders bitmask and enum flags by upstream order', () => {
    expect(flagNames(FLAG_TABLES['file_flags']!, 4097)).toBe('O_RDONLY|O_CLOEXEC');
    // As sysdig prints them: a multi-bit entry consumes its bits.
    expect(flagNames(FLAG_TABLES['file_flags']!, 3)).toBe('O_RDWR');
    expect(flagNames(FLAG_TABLES['file_flags']!, 7)).toBe('O_CREAT|O_RDWR');
    expect(flagNames(FLAG_TABLES['file_flags']!, 67)).toBe('O_NONBLOCK|O_RDWR');
    expect(flagNames(FLAG_TABLES['file_flags']!, 0)).toBe('O_NONE');
    expect(flagNames(FLAG_TABLES['prot_flags']!, 3)).toBe('PROT_READ|PROT_WRITE');
    expect(flagNames(FLAG_TABLES['access_flags']!, 0)).toBe('F_OK');
    expect(flagNames(FLAG_TABLES['socket_families']!, 2)).toBe('AF_INET');
  });

  it('maps x86_64 syscall numbers to ppm_sc codes and events', () => {
    const open = SYSCALLS_X86_64.find((s) => s[1] === 'open')!;
    expect(open[0]).toBe(2);
    expect(PPM_SC_NAMES[open[2]]).toBe('open');
    expect(open[5]).toBe(3);
    expect(open[6]).toBe(2);
  });
});
