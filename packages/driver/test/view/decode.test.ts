import { PT, decodeValue, ipv6ToString, renderValue, PF } from '../../src';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/ /g, ''), 'hex'));

describe('parameter decoding by type', () => {
  it('formats IPv6 like inet_ntop', () => {
    expect(ipv6ToString(hex('00000000000000000000000000000001'), 0)).toBe('::1');
    expect(ipv6ToString(hex('20010db8000000000000000000000001'), 0)).toBe('2001:db8::1');
    expect(ipv6ToString(hex('00000000000000000000ffff7f000001'), 0)).toBe('::ffff:127.0.0.1');
  });

  it('decodes an inet socktuple', () => {
    const b = hex('02 7f000001 3412 0a000002 5000');
    expect(decodeValue(PT.SOCKTUPLE, b)).toEqual({ family: 'inet', sip: '127.0.0.1', sport: 0x1234, dip: '10.0.0.2', dport: 80 });
    expect(renderValue(PT.SOCKTUPLE, PF.NA, b, null)).toBe('127.0.0.1:4660->10.0.0.2:80');
  });

  it('decodes a unix socktuple and sockaddr', () => {
    const b = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('/run/x\0')]);
    expect(decodeValue(PT.SOCKTUPLE, b)).toEqual({ family: 'unix', source: 1n, dest: 2n, path: '/run/x' });
    expect(decodeValue(PT.SOCKADDR, new Uint8Array([1, 0, ...Buffer.from('abstract\0')]))).toEqual({ family: 'unix', path: 'abstract' });
    // Kernel socket addresses use all 64 bits.
    const high = hex('01 1032547698badcfe 0100000000000080 2f7a00');
    expect(decodeValue(PT.SOCKTUPLE, high)).toEqual({ family: 'unix', source: 0xfedcba9876543210n, dest: 0x8000000000000001n, path: '/z' });
  });

  it('decodes fdlists, dyn params and charbuf arrays', () => {
    const fdl = hex('0200 0300000000000000 0100 0400000000000000 0400');
    expect(decodeValue(PT.FDLIST, fdl)).toEqual([
      { fd: 3, flags: 1 },
      { fd: 4, flags: 4 },
    ]);
    expect(decodeValue(PT.DYN, hex('02 2a000000'), 'sockopt_dynamic_param')).toEqual({ index: 2, type: PT.UINT32, format: PF.DEC, value: 42 });
    expect(decodeValue(PT.CHARBUFARRAY, new Uint8Array(Buffer.from('a\0bc\0')))).toEqual(['a', 'bc']);
    expect(decodeValue(PT.CHARBUF_PAIR_ARRAY, new Uint8Array(Buffer.from('k\0v\0')))).toEqual([['k', 'v']]);
  });

  it('decodes integer widths, ids and networks', () => {
    expect(decodeValue(PT.INT8, hex('ff'))).toBe(-1);
    expect(decodeValue(PT.UINT16, hex('ffff'))).toBe(65535);
    expect(decodeValue(PT.UID, hex('e8030000'))).toBe(1000);
    expect(decodeValue(PT.ABSTIME, hex('0100000000000000'))).toBe(1n);
    expect(decodeValue(PT.IPV4NET, hex('0a000000 ffffff00'))).toEqual({ addr: '10.0.0.0', prefix: 24 });
    expect(decodeValue(PT.IPV6ADDR, hex('fe800000000000000000000000000001'))).toBe('fe80::1');
    expect(decodeValue(PT.CHARBUF, new Uint8Array(0))).toBeNull();
    // Old captures wrote a missing string as "(NULL)"; it reads as no value and renders as <NA>.
    expect(decodeValue(PT.FSPATH, new Uint8Array(Buffer.from('(NULL)\0')))).toBeNull();
    expect(renderValue(PT.FSPATH, PF.NA, new Uint8Array(Buffer.from('(NULL)\0')), null)).toBe('<NA>');
    expect(decodeValue(PT.CHARBUF, new Uint8Array(Buffer.from('(NULL)x\0')))).toBe('(NULL)x');
  });

  it('renders values the way sysdig prints them', () => {
    expect(renderValue(PT.ERRNO, PF.DEC, hex('feffffffffffffff'), null)).toBe('-2(ENOENT)');
    expect(renderValue(PT.UINT64, PF.HEX, hex('0020784dad7f0000'), null)).toBe('7FAD4D782000');
    expect(renderValue(PT.BYTEBUF, PF.NA, new Uint8Array(Buffer.from('hi\nthere')), null)).toBe('hi.there');
    expect(renderValue(PT.BYTEBUF, PF.NA, new Uint8Array(0), null)).toBe('NULL');
    expect(renderValue(PT.FSPATH, PF.NA, new Uint8Array(0), null)).toBe('<NA>');
    expect(renderValue(PT.SYSCALLID, PF.DEC, hex('0500'), null)).toBe('open');
  });
});
