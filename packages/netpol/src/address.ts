/**
 * IP addresses and CIDR blocks, parsed once into numbers: an IPv4 address is a 32-bit unsigned
 * number, an IPv6 address a 128-bit bigint. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a
 * dual-stack socket reports for IPv4 peers) are IPv4 addresses here, since that is the packet
 * the network plugin filters.
 */
import { isIPv6 } from 'node:net';
import { invalidAddress } from './errors';

export type Ip = { readonly family: 4; readonly v4: number } | { readonly family: 6; readonly v6: bigint };

export interface Cidr {
  readonly family: 4 | 6;
  /** The network address (host bits cleared, as Go's ParseCIDR does). */
  readonly v4: number;
  readonly v6: bigint;
  readonly prefix: number;
}

function parseV4(text: string): number | undefined {
  // Four decimal octets without leading zeros, as Go's parser accepts them; a loop rather than
  // split and regular expressions, since every new flow parses two addresses.
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return undefined;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return n * 256 + octet;
}

function parseV6(text: string): bigint | undefined {
  if (!isIPv6(text)) return undefined;
  let s = text;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) is written as its two 16-bit words.
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  let words: string[];
  const gap = s.indexOf('::');
  if (gap >= 0) {
    const left = s.slice(0, gap) === '' ? [] : s.slice(0, gap).split(':');
    const right = s.slice(gap + 2) === '' ? [] : s.slice(gap + 2).split(':');
    const fill = 8 - left.length - right.length;
    if (fill < 1) return undefined;
    words = [...left, ...new Array<string>(fill).fill('0'), ...right];
  } else {
    words = s.split(':');
  }
  if (words.length !== 8) return undefined;
  let v = 0n;
  for (const w of words) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    v = (v << 16n) | BigInt(parseInt(w, 16));
  }
  return v;
}

/** Parses an address; undefined when `text` is not one. A zone (`fe80::1%eth0`) is ignored. */
export function parseIp(text: string): Ip | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, v4 };
  const pct = text.indexOf('%');
  const v6 = parseV6(pct >= 0 ? text.slice(0, pct) : text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, v4: Number(v6 & 0xffffffffn) };
  return { family: 6, v6 };
}

/** Like `parseIp`, throwing a `NetpolError` for something that is not an address. */
export function mustParseIp(text: string, field?: string): Ip {
  const ip = parseIp(text);
  if (ip === undefined) throw invalidAddress(text, field);
  return ip;
}

/** The canonical text of an address (IPv4 dotted; IPv6 in full lower-case hex groups, compressed). */
export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    const n = ip.v4;
    return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
  }
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((ip.v6 >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero words, as RFC 5952 says.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

/** A map key for an address: the number for IPv4, the canonical text for IPv6. */
export function ipKey(ip: Ip): number | string {
  return ip.family === 4 ? ip.v4 : formatIp(ip);
}

/** Parses `a.b.c.d/n` or `x::y/n`; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const addrText = text.slice(0, slash);
  const v4 = parseV4(addrText);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { family: 4, v4: (v4 & mask) >>> 0, v6: 0n, prefix };
  }
  const v6 = parseV6(addrText);
  if (v6 === undefined || prefix > 128) return undefined;
  const shift = BigInt(128 - prefix);
  return { family: 6, v4: 0, v6: prefix === 0 ? 0n : (v6 >> shift) << shift, prefix };
}

export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  if (ip.family === 4) {
    if (cidr.family !== 4) return false;
    if (cidr.prefix === 0) return true;
    const mask = (0xffffffff << (32 - cidr.prefix)) >>> 0;
    return ((ip.v4 & mask) >>> 0) === cidr.v4;
  }
  if (cidr.family !== 6) return false;
  if (cidr.prefix === 0) return true;
  const shift = BigInt(128 - cidr.prefix);
  return (ip.v6 >> shift) << shift === cidr.v6;
}

/** True for 127.0.0.0/8 and ::1: traffic that never leaves the network namespace. */
export function isLoopback(ip: Ip): boolean {
  return ip.family === 4 ? ip.v4 >>> 24 === 127 : ip.v6 === 1n;
}
