/**
 * Typed decoding of whole parameter values, by parameter type (param_types.json encodings). These
 * allocate a result; the engine calls them lazily, only for fields a rule asks for.
 */
import { DYNAMIC_PARAM_TABLES } from '../schema/generated/dynamic-params';
import { PT } from '../schema/generated/param-types';
import type { EventView } from './event-view';

/** Socket families as carried in events (PPM_AF_*). */
export const PPM_AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10 } as const;

export type SockAddr =
  | { readonly family: 'inet' | 'inet6'; readonly addr: string; readonly port: number }
  | { readonly family: 'unix'; readonly path: string }
  | { readonly family: 'other'; readonly code: number; readonly raw: Uint8Array };

export type SockTuple =
  | { readonly family: 'inet' | 'inet6'; readonly sip: string; readonly sport: number; readonly dip: string; readonly dport: number }
  | { readonly family: 'unix'; readonly source: bigint; readonly dest: bigint; readonly path: string }
  | { readonly family: 'other'; readonly code: number; readonly raw: Uint8Array };

export interface FdListEntry {
  readonly fd: number;
  readonly flags: number;
}

export interface DynValue {
  /** Index into the parameter's dynamic table. */
  readonly index: number;
  /** PT id of the value. */
  readonly type: number;
  readonly format: number;
  readonly value: ParamValue;
}

export interface IpNet {
  readonly addr: string;
  readonly prefix: number;
}

export type ParamValue =
  | null
  | number
  | bigint
  | string
  | boolean
  | Uint8Array
  | SockAddr
  | SockTuple
  | readonly FdListEntry[]
  | DynValue
  | readonly string[]
  | readonly (readonly [string, string])[]
  | IpNet;

export function ipv4ToString(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** IPv6 text form as inet_ntop writes it (longest zero run compressed, IPv4-mapped tail dotted). */
export function ipv6ToString(b: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let k = 0; k < 8; k++) words.push((b[at + 2 * k]! << 8) | b[at + 2 * k + 1]!);
  const mapped = words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff;
  if (mapped) return `::ffff:${ipv4ToString(b, at + 12)}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < 8; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && words[e] === 0) e++;
    if (e - k > bestLen && e - k > 1) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  const hex = (w: number): string => w.toString(16);
  if (bestStart < 0) return words.map(hex).join(':');
  const head = words.slice(0, bestStart).map(hex).join(':');
  const tail = words.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** Old drivers wrote a missing string as the 7 bytes `(NULL)\0`; libsinsp reads it as no value. */
const LEGACY_NULL = Uint8Array.from(Buffer.from('(NULL)\0', 'latin1'));
function isLegacyNull(b: Uint8Array, at: number): boolean {
  for (let k = 0; k < LEGACY_NULL.length; k++) if (b[at + k] !== LEGACY_NULL[k]) return false;
  return true;
}

function cstr(b: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop < end && b[stop] !== 0) stop++;
  return Buffer.from(b.buffer, b.byteOffset + start, stop - start).toString('utf8');
}

function splitNul(b: Uint8Array): string[] {
  const out: string[] = [];
  let s = 0;
  for (let k = 0; k < b.length; k++) {
    if (b[k] === 0) {
      out.push(Buffer.from(b.buffer, b.byteOffset + s, k - s).toString('utf8'));
      s = k + 1;
    }
  }
  if (s < b.length) out.push(Buffer.from(b.buffer, b.byteOffset + s, b.length - s).toString('utf8'));
  return out;
}

const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);

export function decodeSockaddr(b: Uint8Array): SockAddr | null {
  if (b.length === 0) return null;
  const fam = b[0]!;
  if (fam === PPM_AF.INET && b.length >= 7) return { family: 'inet', addr: ipv4ToString(b, 1), port: u16le(b, 5) };
  if (fam === PPM_AF.INET6 && b.length >= 19) return { family: 'inet6', addr: ipv6ToString(b, 1), port: u16le(b, 17) };
  if (fam === PPM_AF.UNIX) {
    // Abstract addresses start with a NUL that the path skips.
    const start = b.length > 1 && b[1] === 0 ? 2 : 1;
    return { family: 'unix', path: cstr(b, start, b.length) };
  }
  return { family: 'other', code: fam, raw: b.subarray(1) };
}

export function decodeSocktuple(b: Uint8Array): SockTuple | null {
  if (b.length === 0) return null;
  const fam = b[0]!;
  if (fam === PPM_AF.INET && b.length >= 13) {
    return { family: 'inet', sip: ipv4ToString(b, 1), sport: u16le(b, 5), dip: ipv4ToString(b, 7), dport: u16le(b, 11) };
  }
  if (fam === PPM_AF.INET6 && b.length >= 37) {
    return { family: 'inet6', sip: ipv6ToString(b, 1), sport: u16le(b, 17), dip: ipv6ToString(b, 19), dport: u16le(b, 35) };
  }
  if (fam === PPM_AF.UNIX && b.length >= 17) {
    const start = b.length > 17 && b[17] === 0 ? 18 : 17;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { family: 'unix', source: dv.getBigUint64(1, true), dest: dv.getBigUint64(9, true), path: cstr(b, start, b.length) };
  }
  return { family: 'other', code: fam, raw: b.subarray(1) };
}

export function decodeFdlist(b: Uint8Array): FdListEntry[] {
  if (b.length < 2) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(0, true);
  const out: FdListEntry[] = [];
  for (let k = 0; k < n && 2 + 10 * k + 10 <= b.length; k++) {
    const at = 2 + 10 * k;
    out.push({ fd: Number(dv.getBigInt64(at, true)), flags: dv.getInt16(at + 8, true) });
  }
  return out;
}

/**
 * A DataView over `b`, made only by the numeric cases (strings and buffers should not pay for one).
 * A function rather than a closure inside decodeValue, which would be allocated on every call.
 */
function dvOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Decode a value of type `pt` from bytes (shared by plain and PT_DYN parameters). */
export function decodeValue(pt: number, b: Uint8Array, info: string | null = null): ParamValue {
  const n = b.length;
  switch (pt) {
    case PT.INT8:
      return n >= 1 ? dvOf(b).getInt8(0) : null;
    case PT.INT16:
      return n >= 2 ? dvOf(b).getInt16(0, true) : null;
    case PT.INT32:
    case PT.FD32:
    case PT.PID32:
      return n >= 4 ? dvOf(b).getInt32(0, true) : null;
    case PT.INT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      return n >= 8 ? Number(dvOf(b).getBigInt64(0, true)) : null;
    case PT.UINT8:
    case PT.SIGTYPE:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
    case PT.L4PROTO:
    case PT.SOCKFAMILY:
      return n >= 1 ? dvOf(b).getUint8(0) : null;
    case PT.UINT16:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
    case PT.PORT:
    case PT.SYSCALLID:
      return n >= 2 ? dvOf(b).getUint16(0, true) : null;
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.MODE:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
      return n >= 4 ? dvOf(b).getUint32(0, true) : null;
    case PT.BOOL:
      return n >= 4 ? dvOf(b).getUint32(0, true) !== 0 : null;
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return n >= 8 ? dvOf(b).getBigUint64(0, true) : null;
    case PT.DOUBLE:
      return n >= 8 ? dvOf(b).getFloat64(0, true) : null;
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return n === 0 || (n === LEGACY_NULL.length && isLegacyNull(b, 0)) ? null : cstr(b, 0, n);
    case PT.BYTEBUF:
      return n === 0 ? null : b;
    case PT.SOCKADDR:
      return decodeSockaddr(b);
    case PT.SOCKTUPLE:
      return decodeSocktuple(b);
    case PT.FDLIST:
      return n === 0 ? null : decodeFdlist(b);
    case PT.CHARBUFARRAY:
      return n === 0 ? null : splitNul(b);
    case PT.CHARBUF_PAIR_ARRAY: {
      if (n === 0) return null;
      const items = splitNul(b);
      const pairs: (readonly [string, string])[] = [];
      for (let k = 0; k + 1 < items.length; k += 2) pairs.push([items[k]!, items[k + 1]!]);
      return pairs;
    }
    case PT.IPV4ADDR:
      return n >= 4 ? ipv4ToString(b, 0) : null;
    case PT.IPV6ADDR:
      return n >= 16 ? ipv6ToString(b, 0) : null;
    case PT.IPADDR:
      return n === 4 ? ipv4ToString(b, 0) : n === 16 ? ipv6ToString(b, 0) : null;
    case PT.IPV4NET:
      return n >= 8 ? { addr: ipv4ToString(b, 0), prefix: popcount32(dvOf(b).getUint32(4, false)) } : null;
    case PT.IPV6NET:
    case PT.IPNET:
      if (n === 8) return { addr: ipv4ToString(b, 0), prefix: popcount32(dvOf(b).getUint32(4, false)) };
      if (n === 32) return { addr: ipv6ToString(b, 0), prefix: popcountBytes(b.subarray(16)) };
      if (n === 17) return { addr: ipv6ToString(b, 0), prefix: b[16]! };
      return null;
    case PT.DYN: {
      const table = info === null ? undefined : DYNAMIC_PARAM_TABLES[info];
      if (n === 0 || table === undefined) return null;
      const entry = table[b[0]!];
      if (entry === undefined) return null;
      return { index: b[0]!, type: entry[0], format: entry[1], value: decodeValue(entry[0], b.subarray(1)) };
    }
    default:
      return n === 0 ? null : b;
  }
}

function popcount32(v: number): number {
  let c = 0;
  for (let x = v >>> 0; x !== 0; x = (x & (x - 1)) >>> 0) c++;
  return c;
}
function popcountBytes(b: Uint8Array): number {
  let c = 0;
  for (const x of b) c += popcount32(x);
  return c;
}

// Fast-path readers for fixed-size numeric types, by PT id: how many bytes and how to read them,
// straight from the batch (no subarray or DataView per value).
const NUM_NONE = 0;
const NUM_I = 1; // signed, as number
const NUM_U = 2; // unsigned, as number
const NUM_U64 = 3; // unsigned 64-bit, as bigint
const NUM_KIND = new Uint8Array(64);
const NUM_SIZE = new Uint8Array(64);
function num(kind: number, size: number, ...pts: number[]): void {
  for (const pt of pts) {
    NUM_KIND[pt] = kind;
    NUM_SIZE[pt] = size;
  }
}
num(NUM_I, 1, PT.INT8);
num(NUM_I, 2, PT.INT16);
num(NUM_I, 4, PT.INT32, PT.FD32, PT.PID32);
num(NUM_I, 8, PT.INT64, PT.ERRNO, PT.FD, PT.PID);
num(NUM_U, 1, PT.UINT8, PT.SIGTYPE, PT.FLAGS8, PT.ENUMFLAGS8, PT.L4PROTO, PT.SOCKFAMILY);
num(NUM_U, 2, PT.UINT16, PT.FLAGS16, PT.ENUMFLAGS16, PT.PORT, PT.SYSCALLID);
num(NUM_U, 4, PT.UINT32, PT.FLAGS32, PT.ENUMFLAGS32, PT.MODE, PT.UID, PT.GID, PT.SIGSET);
num(NUM_U64, 8, PT.UINT64, PT.RELTIME, PT.ABSTIME);

/**
 * Parameter i of the current event decoded by its schema type; `null` when empty. Parameters past
 * the schema's count (from newer producers) come back as raw bytes.
 */
export function decodeParam(view: EventView, i: number): ParamValue {
  const p = view.schemaParam(i);
  const len = view.paramLength(i);
  if (p === undefined) return len === 0 ? null : view.paramBytes(i);
  const pt = p[1];
  const kind = NUM_KIND[pt]!;
  if (kind !== NUM_NONE) {
    const size = NUM_SIZE[pt]!;
    if (len < size) return null;
    const dv = view.dataView;
    const at = view.paramOffset(i);
    if (kind === NUM_U64) return dv.getBigUint64(at, true);
    const signed = kind === NUM_I;
    switch (size) {
      case 1:
        return signed ? dv.getInt8(at) : dv.getUint8(at);
      case 2:
        return signed ? dv.getInt16(at, true) : dv.getUint16(at, true);
      case 4:
        return signed ? dv.getInt32(at, true) : dv.getUint32(at, true);
      default:
        return dv.getInt32(at + 4, true) * 4294967296 + dv.getUint32(at, true);
    }
  }
  if (len === 0) return null;
  if (pt === PT.CHARBUF || pt === PT.FSPATH || pt === PT.FSRELPATH) {
    if (len === LEGACY_NULL.length && isLegacyNull(view.data, view.paramOffset(i))) return null;
    return view.str(i);
  }
  return decodeValue(pt, view.paramBytes(i), p[3]);
}
