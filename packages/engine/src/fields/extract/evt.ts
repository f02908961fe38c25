/** evt.* and syscall.* extractors. */
import {
  EF,
  EVENT_TABLE,
  ERRNO_NAMES,
  FLAG_TABLES,
  PT,
  decodeValue,
  eventTypeName,
  flagNames,
  renderArgs,
  relPathDirfd,
  renderParam,
  type EventView,
  type RenderOptions,
} from '@falco-ts/driver';
import type { FieldValue } from '@falco-ts/filter-lang';
import { AT_FDCWD, FdKind, PPM_O } from '../../syscall/fd-types';
import { paramIndex } from '../../syscall/params';
import { resolvePath } from '../../syscall/paths';
import type { SyscallEvent } from '../event';
import { missing, perEvent, type Extract, type ExtractorFactory } from './common';

/** Buffers are shown up to this many bytes in evt.args (Falco's default snaplen). */
const SNAPLEN = 80;

// ---- time formatting ----------------------------------------------------------------------

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function nsPart(ts: bigint): string {
  return (ts % 1_000_000_000n).toString().padStart(9, '0');
}

function localDate(ts: bigint): Date {
  return new Date(Number(ts / 1_000_000n));
}

function timeOfDay(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function dateText(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** ISO 8601 in UTC with nanoseconds: `2016-08-04T16:17:57.881781397Z`. */
export function iso8601(ts: bigint): string {
  const d = localDate(ts);
  return `${d.toISOString().slice(0, 19)}.${nsPart(ts)}Z`;
}

// ---- parameters ---------------------------------------------------------------------------

function paramBytes(v: EventView, i: number): Uint8Array | undefined {
  return i >= 0 && i < v.nparams ? v.paramBytes(i) : undefined;
}

/** Index of the call's result: `res`, or a leading `fd` of creating calls. */
function resultIndex(v: EventView): number {
  const r = paramIndex(v.type, 'res');
  if (r >= 0) return r;
  const info = EVENT_TABLE[v.type];
  if (info !== undefined && (v.type & 1) === 1 && (info.flags & EF.CREATES_FD) !== 0 && info.params[0]?.[0] === 'fd') return 0;
  return -1;
}

function rawResult(v: EventView): number | undefined {
  const i = resultIndex(v);
  if (i < 0 || i >= v.nparams || v.paramLength(i) === 0) return undefined;
  return v.int(i, true);
}

/** The letter libsinsp adds after an IP socket's type character: its transport protocol. */
const L4_LETTERS: Record<number, string> = { 6: 't', 17: 'u', 1: 'i', 255: 'r' };

function fdText(e: SyscallEvent, fd: number): string | undefined {
  const t = e.state.thread;
  const f = t?.fds.get(fd);
  if (f === undefined) return undefined;
  const l4 = f.kind === FdKind.Ipv4 || f.kind === FdKind.Ipv6 ? (L4_LETTERS[f.l4proto] ?? '') : '';
  return `<${f.typeChar}${l4}>${f.name}`;
}

function renderOptions(e: SyscallEvent): RenderOptions {
  return {
    maxBufferBytes: SNAPLEN,
    fdName: (_tid, fd) => fdText(e, fd),
    procName: (tid) => e.state.threads.get(tid)?.comm,
    relPath: (_tid, dirfd, path) => relativeTo(e, dirfd, path),
  };
}

/** A relative path resolved against `dirfd` (the working directory for AT_FDCWD), when that is known. */
function relativeTo(e: SyscallEvent, dirfd: number, path: string): string | undefined {
  const t = e.state.thread;
  if (t === undefined) return undefined;
  const dir = dirfd === AT_FDCWD ? t.cwd : t.fds.get(dirfd)?.name;
  return dir === undefined || dir === '' ? undefined : resolvePath(dir, path);
}

/**
 * A parameter as `evt.arg.<name>` shows it: the resolved form when the type has one (errno name,
 * flag names, `<f>/path` for descriptors, process name for pids), else the plain value.
 */
function argText(e: SyscallEvent, i: number): string | undefined {
  const v = e.view;
  const p = EVENT_TABLE[v.type]?.params[i];
  const bytes = paramBytes(v, i);
  if (p === undefined || bytes === undefined || bytes.length === 0) return undefined;
  const [, pt, , info] = p;
  const value = decodeValue(pt, bytes, info);
  if (value === null) return undefined;
  switch (pt) {
    case PT.ERRNO: {
      const n = value as number;
      return n < 0 ? (ERRNO_NAMES[-n] ?? String(n)) : String(n);
    }
    case PT.FD:
    case PT.FD32: {
      // A negative descriptor resolves as evt.args shows it in parentheses: AT_FDCWD or the error.
      const fd = value as number;
      if (fd === AT_FDCWD) return 'AT_FDCWD';
      if (fd < 0) return ERRNO_NAMES[-fd] ?? String(fd);
      return fdText(e, fd) ?? String(fd);
    }
    case PT.PID:
    case PT.PID32:
      return e.state.threads.get(value as number)?.comm ?? String(value);
    case PT.FSRELPATH: {
      const path = value as string;
      return path.startsWith('/') ? path : (relativeTo(e, relPathDirfd(v, i), path) ?? path);
    }
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.ENUMFLAGS8:
    case PT.ENUMFLAGS16:
    case PT.ENUMFLAGS32:
    case PT.MODE: {
      const table = info === null ? undefined : FLAG_TABLES[info];
      const names = table !== undefined ? flagNames(table, value as number) : '';
      return names !== '' ? names : String(value);
    }
    default:
      // Everything else prints as evt.args prints it.
      return renderParam(v, i, renderOptions(e));
  }
}

function rawArg(e: SyscallEvent, name: string): FieldValue {
  const v = e.view;
  const i = paramIndex(v.type, name);
  const p = EVENT_TABLE[v.type]?.params[i];
  const bytes = paramBytes(v, i);
  if (p === undefined || bytes === undefined || bytes.length === 0) return undefined;
  const value = decodeValue(p[1], bytes, p[3]);
  if (value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return value;
  return undefined;
}

// ---- categories ---------------------------------------------------------------------------

const CATEGORY_NAMES = ['unknown', 'other', 'file', 'net', 'IPC', 'memory', 'process', 'sleep', 'system', 'signal', 'user', 'time'];

function category(e: SyscallEvent): string {
  const raw = EVENT_TABLE[e.view.type]?.category ?? 0;
  if ((raw & 64) !== 0) return 'wait';
  if ((raw & 128) !== 0) return 'scheduler';
  if ((raw & 256) !== 0) return 'internal';
  const c = raw & 0x3f;
  if (c < 32) return CATEGORY_NAMES[c] ?? 'unknown';
  // I/O calls are classified by what their descriptor is.
  const f = e.state.fdInfo;
  if (f === undefined) return 'unknown';
  switch (f.kind) {
    case FdKind.Unknown:
      return 'unknown';
    case FdKind.File:
    case FdKind.Directory:
      return 'file';
    case FdKind.Ipv4:
    case FdKind.Ipv6:
    case FdKind.Unix:
    case FdKind.Netlink:
      return 'net';
    case FdKind.Pipe:
    case FdKind.Event:
    case FdKind.Signal:
      return 'IPC';
    default:
      return 'other';
  }
}

function flagsOf(e: SyscallEvent): number {
  return EVENT_TABLE[e.view.type]?.flags ?? 0;
}

const isExit = (e: SyscallEvent): boolean => (e.view.type & 1) === 1;

// ---- open family --------------------------------------------------------------------------

const OPEN_CALLS = new Set(['open', 'openat', 'openat2', 'open_by_handle_at', 'creat']);
/** 1 for open-family event types, 2 for creat, 0 otherwise. */
const OPEN_KIND = Uint8Array.from(EVENT_TABLE, (e) => (e.name === 'creat' ? 2 : OPEN_CALLS.has(e.name) ? 1 : 0));

let openFlagsEvent: SyscallEvent | undefined;
let openFlagsAt = -1;
let openFlagsValue: number | undefined;

/** The open flags of an open-family event (read by four fields, so kept for the event). */
function openFlags(e: SyscallEvent): number | undefined {
  if (openFlagsAt === e.num && openFlagsEvent === e) return openFlagsValue;
  openFlagsAt = e.num;
  openFlagsEvent = e;
  const v = e.view;
  const kind = OPEN_KIND[v.type];
  if (kind === 0) return (openFlagsValue = undefined);
  if (kind === 2) return (openFlagsValue = PPM_O.CREAT | PPM_O.WRONLY);
  const i = paramIndex(v.type, 'flags');
  return (openFlagsValue = i >= 0 && i < v.nparams && v.paramLength(i) > 0 ? v.int(i, false) : 0);
}

function openMode(e: SyscallEvent): number {
  const v = e.view;
  const i = paramIndex(v.type, 'mode');
  return i >= 0 && i < v.nparams && v.paramLength(i) > 0 ? v.int(i, false) : 0;
}

// ---- evt.abspath --------------------------------------------------------------------------

const ABSPATH_PARAMS: Record<string, ReadonlyArray<readonly [string, string]>> = {
  src: [['olddirfd', 'oldpath'], ['olddir', 'oldpath']],
  dst: [['newdirfd', 'newpath'], ['newdir', 'newpath'], ['linkdirfd', 'linkpath']],
  '': [['dirfd', 'name'], ['dirfd', 'path']],
};

function abspath(e: SyscallEvent, which: string): string | undefined {
  const v = e.view;
  const t = e.state.thread;
  for (const [dirParam, pathParam] of ABSPATH_PARAMS[which] ?? []) {
    const di = paramIndex(v.type, dirParam);
    const pi = paramIndex(v.type, pathParam);
    if (di < 0 || pi < 0 || pi >= v.nparams) continue;
    const path = v.str(pi);
    if (path.startsWith('/')) return resolvePath('/', path);
    const dirfd = di < v.nparams && v.paramLength(di) > 0 ? v.int(di, true) : -100;
    const dir = dirfd === -100 ? (t?.cwd ?? '/') : (t?.fds.get(dirfd)?.name ?? '');
    if (dir === '') return undefined;
    return resolvePath(dir, path);
  }
  return undefined;
}

function ioExit(e: SyscallEvent, mask: number): boolean {
  return (flagsOf(e) & mask) !== 0;
}

export const EVT_EXTRACTORS: Record<string, ExtractorFactory> = {
  'evt.num': () => (e) => e.num,
  'evt.time': () => perEvent((e) => `${timeOfDay(localDate(e.ts))}.${nsPart(e.ts)}`),
  'evt.time.s': () => perEvent((e) => timeOfDay(localDate(e.ts))),
  'evt.time.iso8601': () => perEvent((e) => iso8601(e.ts)),
  'evt.datetime': () => perEvent((e) => {
    const d = localDate(e.ts);
    return `${dateText(d)} ${timeOfDay(d)}.${nsPart(e.ts)}`;
  }),
  'evt.datetime.s': () => perEvent((e) => {
    const d = localDate(e.ts);
    return `${dateText(d)} ${timeOfDay(d)}`;
  }),
  'evt.rawtime': () => (e) => e.ts,
  'evt.rawtime.s': () => (e) => e.ts / 1_000_000_000n,
  'evt.rawtime.ns': () => (e) => e.ts % 1_000_000_000n,
  'evt.reltime': () => (e) => e.ts - e.firstTs,
  'evt.reltime.s': () => (e) => (e.ts - e.firstTs) / 1_000_000_000n,
  'evt.reltime.ns': () => (e) => (e.ts - e.firstTs) % 1_000_000_000n,
  'evt.pluginname': () => missing,
  'evt.plugininfo': () => missing,
  'evt.source': () => () => 'syscall',
  'evt.is_async': () => () => false,
  'evt.asynctype': () => missing,
  'evt.hostname': () => (e) => e.hostname,
  // Enter events are folded into exit events, so no latency is measured.
  'evt.latency': () => (e) => (isExit(e) ? 0n : undefined),
  'evt.latency.s': () => (e) => (isExit(e) ? 0n : undefined),
  'evt.latency.ns': () => (e) => (isExit(e) ? 0n : undefined),
  'evt.latency.quantized': () => (e) => (isExit(e) ? 0 : undefined),
  'evt.latency.human': () => (e) => (isExit(e) ? '0ns' : undefined),
  'evt.deltatime': () => (e) => e.ts - e.prevTs,
  'evt.deltatime.s': () => (e) => (e.ts - e.prevTs) / 1_000_000_000n,
  'evt.deltatime.ns': () => (e) => (e.ts - e.prevTs) % 1_000_000_000n,
  'evt.outputtime': () => perEvent((e) => `${timeOfDay(localDate(e.ts))}.${nsPart(e.ts)}`),
  'evt.dir': () => (e) => e.view.dir,
  'evt.type': () => (e) => (e.view.type > 1 ? e.view.name : eventTypeName(e.view)),
  'evt.type.is': (ref) => (e) => ((e.view.type > 1 ? e.view.name : eventTypeName(e.view)) === ref.key ? 1 : 0),
  'syscall.type': () => (e) => {
    const info = EVENT_TABLE[e.view.type];
    if (info === undefined || (info.category & 512) === 0) return undefined;
    return e.view.type > 1 ? e.view.name : eventTypeName(e.view);
  },
  'evt.category': () => category,
  'evt.cpu': () => (e) => e.view.cpu,
  'evt.args': () => perEvent((e) => renderArgs(e.view, renderOptions(e))),
  'evt.info': () => perEvent((e) => renderArgs(e.view, renderOptions(e))),
  'evt.arg': (ref) => {
    if (ref.index !== undefined) {
      const i = ref.index;
      return perEvent((e) => argText(e, i));
    }
    const name = ref.key!;
    return perEvent((e) => argText(e, paramIndex(e.view.type, name)));
  },
  'evt.rawarg': (ref) => {
    const name = ref.key!;
    return (e) => rawArg(e, name);
  },
  'evt.buffer': () => (e) => {
    const i = paramIndex(e.view.type, 'data');
    const b = paramBytes(e.view, i);
    return b === undefined || b.length === 0 ? undefined : b;
  },
  'evt.buflen': () => (e) => {
    if (paramIndex(e.view.type, 'data') < 0) return undefined;
    const r = rawResult(e.view);
    return r === undefined || r < 0 ? undefined : r;
  },
  'evt.res': () => (e) => {
    const r = rawResult(e.view);
    if (r === undefined) return undefined;
    return r >= 0 ? 'SUCCESS' : (ERRNO_NAMES[-r] ?? String(r));
  },
  'evt.rawres': () => (e) => rawResult(e.view),
  'evt.failed': () => (e) => (rawResult(e.view) ?? 0) < 0,
  'evt.is_io': () => (e) => ioExit(e, EF.READS_FROM_FD | EF.WRITES_TO_FD),
  'evt.is_io_read': () => (e) => ioExit(e, EF.READS_FROM_FD),
  'evt.is_io_write': () => (e) => ioExit(e, EF.WRITES_TO_FD),
  'evt.io_dir': () => (e) => (ioExit(e, EF.READS_FROM_FD) ? 'r' : ioExit(e, EF.WRITES_TO_FD) ? 'w' : undefined),
  'evt.is_wait': () => (e) => ioExit(e, EF.WAITS),
  'evt.wait_latency': () => (e) => (ioExit(e, EF.WAITS) && isExit(e) ? 0n : undefined),
  'evt.is_syslog': () => (e) => ioExit(e, EF.WRITES_TO_FD) && e.state.fdInfo?.name === '/dev/log',
  'evt.count': () => () => 1,
  'evt.count.error': () => (e) => ((rawResult(e.view) ?? 0) < 0 ? 1 : 0),
  'evt.count.error.file': () => (e) => ((rawResult(e.view) ?? 0) < 0 && category(e) === 'file' ? 1 : 0),
  'evt.count.error.net': () => (e) => ((rawResult(e.view) ?? 0) < 0 && category(e) === 'net' ? 1 : 0),
  'evt.count.error.memory': () => (e) => ((rawResult(e.view) ?? 0) < 0 && category(e) === 'memory' ? 1 : 0),
  'evt.count.error.other': () => (e) => {
    const c = category(e);
    return (rawResult(e.view) ?? 0) < 0 && c !== 'file' && c !== 'net' && c !== 'memory' ? 1 : 0;
  },
  'evt.count.exit': () => (e) => (isExit(e) ? 1 : 0),
  'evt.count.procinfo': () => () => 0,
  'evt.count.threadinfo': () => () => 0,
  'evt.around': () => (e) => e.ts,
  'evt.abspath': (ref) => (e) => abspath(e, ref.key === 'src' || ref.key === 'dst' ? ref.key : ''),
  'evt.buflen.in': () => (e) => (ioExit(e, EF.READS_FROM_FD) ? bufLen(e) : undefined),
  'evt.buflen.out': () => (e) => (ioExit(e, EF.WRITES_TO_FD) ? bufLen(e) : undefined),
  'evt.buflen.file': () => (e) => (category(e) === 'file' ? bufLen(e) : undefined),
  'evt.buflen.file.in': () => (e) => (category(e) === 'file' && ioExit(e, EF.READS_FROM_FD) ? bufLen(e) : undefined),
  'evt.buflen.file.out': () => (e) => (category(e) === 'file' && ioExit(e, EF.WRITES_TO_FD) ? bufLen(e) : undefined),
  'evt.buflen.net': () => (e) => (category(e) === 'net' ? bufLen(e) : undefined),
  'evt.buflen.net.in': () => (e) => (category(e) === 'net' && ioExit(e, EF.READS_FROM_FD) ? bufLen(e) : undefined),
  'evt.buflen.net.out': () => (e) => (category(e) === 'net' && ioExit(e, EF.WRITES_TO_FD) ? bufLen(e) : undefined),
  'evt.is_open_read': () => (e) => {
    const f = openFlags(e);
    return f === undefined ? false : (f & PPM_O.RDONLY) !== 0;
  },
  'evt.is_open_write': () => (e) => {
    const f = openFlags(e);
    return f === undefined ? false : (f & PPM_O.WRONLY) !== 0;
  },
  'evt.is_open_exec': () => (e) => {
    const f = openFlags(e);
    return f !== undefined && (f & (PPM_O.CREAT | PPM_O.TMPFILE)) !== 0 && (openMode(e) & 0o111) !== 0;
  },
  'evt.is_open_create': () => (e) => {
    const f = openFlags(e);
    return f !== undefined && (f & PPM_O.F_CREATED) !== 0;
  },
  'evt.infra.docker.name': () => missing,
  'evt.infra.docker.container.id': () => missing,
  'evt.infra.docker.container.name': () => missing,
  'evt.infra.docker.container.image': () => missing,
};

function bufLen(e: SyscallEvent): FieldValue {
  if (paramIndex(e.view.type, 'data') < 0) return undefined;
  const r = rawResult(e.view);
  return r === undefined || r < 0 ? undefined : r;
}

/** `evt.around[T] = D`: the event lies within D milliseconds of time T. */
export function aroundCheck(arg: string | undefined, values: readonly string[]): (e: SyscallEvent) => boolean {
  const center = BigInt(arg ?? '0');
  const delta = BigInt(values[0] ?? '0') * 1_000_000n;
  return (e) => e.ts >= center - delta && e.ts <= center + delta;
}

export type { Extract };
