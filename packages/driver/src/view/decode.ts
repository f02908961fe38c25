/**
 * Typed decoding of whole parameter values, by parameter type (param_types.json encodings). These
 * allocate a result; the engine calls them lazily, only for fields a rule asks for.
 */
import { DYNAMIC_PARAM_TABLES } from '../schema/generated/dynamic-params';
import { PT } from '../schema/generated/param-types';
import { EVENT_TABLE, EVENT_TYPE_COUNT } from '../schema/generated/event-table';
import { textAt, type EventView } from './event-view';

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

// Dotted-quad text of recently seen IPv4 addresses, direct-mapped by a hash of the address: a
// capture's sockets mostly name a handful of addresses, and formatting one costs four number
// conversions and as many concatenations. Strings are immutable, so a cached one can be shared.
const V4_SLOTS = 256;
const v4Keys = new Float64Array(V4_SLOTS).fill(-1);
const v4Text: string[] = new Array<string>(V4_SLOTS).fill('');

export function ipv4ToString(b: Uint8Array, at: number): string {
  const key = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  const slot = (key ^ (key >>> 8) ^ (key >>> 16) ^ (key >>> 24)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === key) return v4Text[slot]!;
  const text = `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  v4Keys[slot] = key;
  v4Text[slot] = text;
  return text;
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
  return sockaddrAt(b, 0, b.length);
}

/** The sockaddr in d[at, at + n): read in place, so decoding from a batch needs no subarray. */
function sockaddrAt(d: Uint8Array, at: number, n: number): SockAddr | null {
  if (n === 0) return null;
  const fam = d[at]!;
  if (fam === PPM_AF.INET && n >= 7) return { family: 'inet', addr: ipv4ToString(d, at + 1), port: u16le(d, at + 5) };
  if (fam === PPM_AF.INET6 && n >= 19) return { family: 'inet6', addr: ipv6ToString(d, at + 1), port: u16le(d, at + 17) };
  if (fam === PPM_AF.UNIX) {
    // Abstract addresses start with a NUL that the path skips.
    const start = n > 1 && d[at + 1] === 0 ? 2 : 1;
    return { family: 'unix', path: cstr(d, at + start, at + n) };
  }
  return { family: 'other', code: fam, raw: d.subarray(at + 1, at + n) };
}

export function decodeSocktuple(b: Uint8Array): SockTuple | null {
  return socktupleAt(b, 0, b.length);
}

const u32le = (d: Uint8Array, at: number): number => (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
const u64le = (d: Uint8Array, at: number): bigint => (BigInt(u32le(d, at + 4)) << 32n) | BigInt(u32le(d, at));

/** The socktuple in d[at, at + n), read in place. */
function socktupleAt(d: Uint8Array, at: number, n: number): SockTuple | null {
  if (n === 0) return null;
  const fam = d[at]!;
  if (fam === PPM_AF.INET && n >= 13) {
    return { family: 'inet', sip: ipv4ToString(d, at + 1), sport: u16le(d, at + 5), dip: ipv4ToString(d, at + 7), dport: u16le(d, at + 11) };
  }
  if (fam === PPM_AF.INET6 && n >= 37) {
    return { family: 'inet6', sip: ipv6ToString(d, at + 1), sport: u16le(d, at + 17), dip: ipv6ToString(d, at + 19), dport: u16le(d, at + 35) };
  }
  if (fam === PPM_AF.UNIX && n >= 17) {
    const start = n > 17 && d[at + 17] === 0 ? 18 : 17;
    return { family: 'unix', source: u64le(d, at + 1), dest: u64le(d, at + 9), path: cstr(d, at + start, at + n) };
  }
  return { family: 'other', code: fam, raw: d.subarray(at + 1, at + n) };
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

// How decodeParam reads each fixed-size numeric PT straight from the batch (no subarray or
// DataView per value): width and signedness in one code, so the hot path is one switch.
const NUM_NONE = 0;
const NUM_I8 = 1;
const NUM_I16 = 2;
const NUM_I32 = 3;
const NUM_I64 = 4; // as a number, exact up to 2^53
const NUM_U8 = 5;
const NUM_U16 = 6;
const NUM_U32 = 7;
const NUM_U64 = 8; // as a bigint
const NUM_CODE = new Uint8Array(64);
function num(code: number, ...pts: number[]): void {
  for (const pt of pts) NUM_CODE[pt] = code;
}
num(NUM_I8, PT.INT8);
num(NUM_I16, PT.INT16);
num(NUM_I32, PT.INT32, PT.FD32, PT.PID32);
num(NUM_I64, PT.INT64, PT.ERRNO, PT.FD, PT.PID);
num(NUM_U8, PT.UINT8, PT.SIGTYPE, PT.FLAGS8, PT.ENUMFLAGS8, PT.L4PROTO, PT.SOCKFAMILY);
num(NUM_U16, PT.UINT16, PT.FLAGS16, PT.ENUMFLAGS16, PT.PORT, PT.SYSCALLID);
num(NUM_U32, PT.UINT32, PT.FLAGS32, PT.ENUMFLAGS32, PT.MODE, PT.UID, PT.GID, PT.SIGSET);
num(NUM_U64, PT.UINT64, PT.RELTIME, PT.ABSTIME);

/** The bigints 0n..1023n, made once: unsigned 64-bit parameters are often small. */
const SMALL_U64: readonly bigint[] = Array.from({ length: 1024 }, (_, k) => BigInt(k));

// The schema's parameter types flattened into typed arrays, so finding a parameter's type is two
// array reads instead of walking the event table's nested arrays: type t's parameter i has type
// SCHEMA_PT[SCHEMA_BASE[t] + i] for i < SCHEMA_COUNT[t].
const SCHEMA_BASE = new Uint32Array(EVENT_TYPE_COUNT);
const SCHEMA_COUNT = new Uint8Array(EVENT_TYPE_COUNT);
const SCHEMA_PT = new Uint8Array(EVENT_TABLE.reduce((n, e) => n + e.params.length, 0));
for (let t = 0, base = 0; t < EVENT_TYPE_COUNT; t++) {
  const params = EVENT_TABLE[t]!.params;
  SCHEMA_BASE[t] = base;
  SCHEMA_COUNT[t] = params.length;
  for (const p of params) SCHEMA_PT[base++] = p[1];
}

/**
 * Parameter i of the current event decoded by its schema type; `null` when empty. Parameters past
 * the schema's count (from newer producers) come back as raw bytes. Numbers, strings and socket
 * addresses are read in place from the batch.
 */
export function decodeParam(view: EventView, i: number): ParamValue {
  const at = view.locate(i);
  const len = view.locatedLength;
  const type = view.offsetsType;
  if (type >= EVENT_TYPE_COUNT || i >= SCHEMA_COUNT[type]!) return len === 0 ? null : view.data.subarray(at, at + len);
  const pt = SCHEMA_PT[SCHEMA_BASE[type]! + i]!;
  const dv = view.dataView;
  switch (NUM_CODE[pt]) {
    case NUM_NONE:
      break;
    case NUM_I8:
      return len >= 1 ? dv.getInt8(at) : null;
    case NUM_I16:
      return len >= 2 ? dv.getInt16(at, true) : null;
    case NUM_I32:
      return len >= 4 ? dv.getInt32(at, true) : null;
    case NUM_I64:
      return len >= 8 ? dv.getInt32(at + 4, true) * 4294967296 + dv.getUint32(at, true) : null;
    case NUM_U8:
      return len >= 1 ? dv.getUint8(at) : null;
    case NUM_U16:
      return len >= 2 ? dv.getUint16(at, true) : null;
    case NUM_U32:
      return len >= 4 ? dv.getUint32(at, true) : null;
    default:
      if (len < 8) return null;
      // Small values (flags, sizes, zero) come from a table instead of a new bigint each.
      if (dv.getUint32(at + 4, true) === 0) {
        const lo = dv.getUint32(at, true);
        if (lo < SMALL_U64.length) return SMALL_U64[lo]!;
      }
      return dv.getBigUint64(at, true);
  }
  if (len === 0) return null;
  const d = view.data;
  switch (pt) {
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return len === LEGACY_NULL.length && isLegacyNull(d, at) ? null : textAt(d, at, at + len);
    case PT.BYTEBUF:
      return d.subarray(at, at + len);
    case PT.SOCKADDR:
      return sockaddrAt(d, at, len);
    case PT.SOCKTUPLE:
      return socktupleAt(d, at, len);
    default:
      return decodeValue(pt, d.subarray(at, at + len), EVENT_TABLE[type]!.params[i]![3]);
  }
}
