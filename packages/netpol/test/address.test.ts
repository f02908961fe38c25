import { cidrContains, formatIp, isLoopback, parseCidr, parseIp } from '@falco-ts/netpol';

describe('addresses', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:a00:1', '10.0.0.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('parses %s as %s', (text, canonical) => {
    const ip = parseIp(text);
    expect(ip).toBeDefined();
    expect(formatIp(ip!)).toBe(canonical);
  });

  it.each(['', '10.0.0', '10.0.0.256', '010.0.0.1', '1::2::3', 'abc', '10.0.0.1/32', '1:2:3:4:5:6:7:8:9'])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('clears host bits of a CIDR as Go does and tests membership per family', () => {
    const c = parseCidr('10.1.2.3/16')!;
    expect(c.prefix).toBe(16);
    expect(cidrContains(c, parseIp('10.1.255.255')!)).toBe(true);
    expect(cidrContains(c, parseIp('10.2.0.0')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('203.0.113.9')!)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('2001:db8::1')!)).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db9::1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('::1')!)).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.2/32')!, parseIp('::ffff:10.0.0.2')!)).toBe(true);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', '2001:db8::/129', 'x/8'])('refuses the CIDR %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('knows loopback addresses', () => {
    expect(isLoopback(parseIp('127.0.0.53')!)).toBe(true);
    expect(isLoopback(parseIp('::1')!)).toBe(true);
    expect(isLoopback(parseIp('::ffff:127.0.0.1')!)).toBe(true);
    expect(isLoopback(parseIp('10.0.0.1')!)).toBe(false);
  });
});
