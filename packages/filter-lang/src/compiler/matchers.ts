/**
 * Runtime matchers built once per check at compile time: glob (fnmatch without FNM_PATHNAME, so
 * `*` crosses `/`), path-prefix (pmatch), byte-sequence search, and IP networks.
 */

type GlobToken =
  | { kind: 'char'; c: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negate: boolean; ranges: [number, number][] };

/** ASCII case folding on a UTF-16 code unit (what `icontains`/`iglob` compare). */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function tokenizeGlob(pattern: string, ci: boolean): GlobToken[] {
  const tokens: GlobToken[] = [];
  const code = (i: number): number => (ci ? fold(pattern.charCodeAt(i)) : pattern.charCodeAt(i));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '\\' && i + 1 < pattern.length) {
      tokens.push({ kind: 'char', c: code(++i) });
    } else if (c === '[') {
      const cls = parseClass(pattern, i, code);
      if (cls) {
        tokens.push(cls.token);
        i = cls.end;
      } else {
        tokens.push({ kind: 'char', c: code(i) });
      }
    } else {
      tokens.push({ kind: 'char', c: code(i) });
    }
  }
  return tokens;
}

/** Parses `[...]` at `start`; undefined when unterminated (then `[` is literal, as in fnmatch). */
function parseClass(pattern: string, start: number, code: (i: number) => number): { token: GlobToken; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: [number, number][] = [];
  let first = true;
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) return { token: { kind: 'class', negate, ranges }, end: i };
    first = false;
    if (pattern[i] === '\\' && i + 1 < pattern.length) i++;
    const lo = code(i);
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      i += 2;
      if (pattern[i] === '\\' && i + 1 < pattern.length) i++;
      ranges.push([lo, code(i)]);
    } else {
      ranges.push([lo, lo]);
    }
    i++;
  }
  return undefined;
}

function tokenMatches(t: GlobToken, c: number): boolean {
  switch (t.kind) {
    case 'char':
      return t.c === c;
    case 'any':
      return true;
    case 'class': {
      let hit = false;
      for (const [lo, hi] of t.ranges) {
        if (c >= lo && c <= hi) {
          hit = true;
          break;
        }
      }
      return hit !== t.negate;
    }
    case 'star':
      return false;
  }
}

/**
 * A glob matcher over UTF-16 code units, allocation-free per call; it backtracks only to the last
 * `*`, so no pattern can make it blow up.
 */
export function globMatcher(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  const tokens = tokenizeGlob(pattern, caseInsensitive);
  return (s: string): boolean => {
    let ti = 0;
    let si = 0;
    let starTi = -1;
    let starSi = 0;
    while (si < s.length) {
      const t = tokens[ti];
      const c = caseInsensitive ? fold(s.charCodeAt(si)) : s.charCodeAt(si);
      if (t !== undefined && t.kind === 'star') {
        starTi = ti++;
        starSi = si;
      } else if (t !== undefined && tokenMatches(t, c)) {
        ti++;
        si++;
      } else if (starTi >= 0) {
        ti = starTi + 1;
        si = ++starSi;
      } else {
        return false;
      }
    }
    while (ti < tokens.length && tokens[ti].kind === 'star') ti++;
    return ti === tokens.length;
  };
}

/** ASCII case-insensitive substring test that allocates nothing per call. */
export function icontainsMatcher(needle: string): (s: string) => boolean {
  const n = Array.from({ length: needle.length }, (_, i) => fold(needle.charCodeAt(i)));
  return (s: string): boolean => {
    const last = s.length - n.length;
    outer: for (let i = 0; i <= last; i++) {
      for (let j = 0; j < n.length; j++) if (fold(s.charCodeAt(i + j)) !== n[j]) continue outer;
      return true;
    }
    return false;
  };
}

/** True when `path` is `prefix` or lies below it (whole path components only). */
export function pathPrefixMatcher(prefixes: readonly string[]): (path: string) => boolean {
  const normalized = prefixes.map((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p));
  return (path: string): boolean => {
    for (const p of normalized) {
      if (path === p) return true;
      if (path.startsWith(p) && (p.endsWith('/') || path.charCodeAt(p.length) === 47)) return true;
    }
    return false;
  };
}

const encoder = new TextEncoder();

export function toBytes(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? encoder.encode(v) : v;
}

export function bytesIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  const last = haystack.length - needle.length;
  const first = needle[0];
  outer: for (let i = 0; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function bytesStartsWith(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length > haystack.length) return false;
  for (let i = 0; i < needle.length; i++) if (haystack[i] !== needle[i]) return false;
  return true;
}

export function bytesEndsWith(haystack: Uint8Array, needle: Uint8Array): boolean {
  const off = haystack.length - needle.length;
  if (off < 0) return false;
  for (let i = 0; i < needle.length; i++) if (haystack[off + i] !== needle[i]) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && bytesStartsWith(a, b);
}

/** An address or network as bytes plus prefix length (an address is a full-length network). */
export interface IpNetwork {
  bytes: Uint8Array;
  prefix: number;
}

function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^[0-9]{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function parseIpAddress(s: string): Uint8Array | undefined {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

/** Parses `addr` or `addr/prefix`. */
export function parseIpNetwork(s: string, allowBareAddress: boolean): IpNetwork | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) {
    if (!allowBareAddress) return undefined;
    const bytes = parseIpAddress(s);
    return bytes && { bytes, prefix: bytes.length * 8 };
  }
  const bytes = parseIpAddress(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (!bytes || !/^[0-9]{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > bytes.length * 8) return undefined;
  return { bytes, prefix };
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Address bytes from an extracted value (string or bytes); IPv4-mapped IPv6 compares as IPv4. */
export function addressBytes(v: unknown): Uint8Array | undefined {
  let bytes: Uint8Array | undefined;
  if (typeof v === 'string') bytes = parseIpAddress(v);
  else if (v instanceof Uint8Array && (v.length === 4 || v.length === 16)) bytes = v;
  if (bytes && bytes.length === 16 && V4_MAPPED_PREFIX.every((b, i) => bytes![i] === b)) return bytes.subarray(12);
  return bytes;
}

export function networkContains(net: IpNetwork, addr: Uint8Array): boolean {
  if (net.bytes.length !== addr.length) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((net.bytes[i] & mask) !== (addr[i] & mask)) return false;
  }
  return true;
}
