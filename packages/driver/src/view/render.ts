/**
 * Rendering of parameters and `evt.args` the way sysdig prints them: `name=value` pairs separated by
 * spaces, flags as `value(NAME|NAME)`, errno as `-2(ENOENT)`, hex without `0x` in upper case, octal
 * with a leading 0, buffers with non-printable bytes as `.`, empty parameters as `<NA>` (or `NULL`
 * for buffer-like types, as libsinsp does).
 */
import { ERRNO_NAMES } from '../schema/errno';
import { EVENT_TABLE } from '../schema/generated/event-table';
import { FLAG_TABLES } from '../schema/generated/flag-tables';
import { PF, PT } from '../schema/generated/param-types';
import { PPM_SC_NAMES } from '../schema/generated/syscalls';
import { flagNames } from '../schema';
import { decodeValue, type DynValue, type FdListEntry, type SockAddr, type SockTuple } from './decode';
import type { EventView } from './event-view';

export interface RenderOptions {
  /** Truncate buffer-like values to this many bytes, appending `...` (sysdig's default is 80). */
  maxBufferBytes?: number;
  /** Resolves a file descriptor of the event's thread to a name such as `<f>/etc/passwd`. */
  fdName?: (tid: number, fd: number) => string | undefined;
  /** Resolves a file descriptor of the event's thread to its type character (`f`, `4`, `u`, …). */
  fdTypeChar?: (tid: number, fd: number) => string | undefined;
  /** Resolves a thread id to its process name. */
  procName?: (tid: number) => string | undefined;
  /**
   * Resolves a relative path parameter against its directory descriptor (`AT_FDCWD`: the thread's
   * working directory); undefined leaves the path as given.
   */
  relPath?: (tid: number, dirfd: number, path: string) => string | undefined;
}

const SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU',
  'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

const NULL_WHEN_EMPTY = new Set<number>([PT.BYTEBUF, PT.SOCKTUPLE, PT.FDLIST, PT.CHARBUFARRAY, PT.CHARBUF_PAIR_ARRAY, PT.DYN]);

function numberText(v: number | bigint, format: number): string {
  switch (format) {
    case PF.HEX:
      return (typeof v === 'bigint' ? BigInt.asUintN(64, v) : v < 0 ? BigInt.asUintN(64, BigInt(v)) : v).toString(16).toUpperCase();
    case PF.OCT:
      return v === 0 || v === 0n ? '0' : `0${v.toString(8)}`;
    case PF['10_PADDED_DEC']:
      return v.toString().padStart(10, '0');
    default:
      return v.toString();
  }
}

/** Buffer text as sysdig prints it: printable ASCII kept, everything else as `.`. */
export function bufferText(b: Uint8Array, max = Infinity): string {
  // Over the limit, sysdig keeps max - 3 bytes and appends `...`, so the text is max long.
  const n = b.length > max ? Math.max(0, max - 3) : b.length;
  let s = '';
  for (let k = 0; k < n; k++) {
    const c = b[k]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return b.length > n ? `${s}...` : s;
}

function sockaddrText(a: SockAddr): string {
  if (a.family === 'other') return bufferText(a.raw);
  if (a.family === 'unix') return a.path;
  return `${a.addr}:${a.port}`;
}

function socktupleText(t: SockTuple): string {
  if (t.family === 'other') return bufferText(t.raw);
  if (t.family === 'unix') return `${t.source.toString(16)}->${t.dest.toString(16)} ${t.path}`;
  return `${t.sip}:${t.sport}->${t.dip}:${t.dport}`;
}

/** Render one value of type `pt` with print format `format`. */
export function renderValue(pt: number, format: number, bytes: Uint8Array, info: string | null, opts: RenderOptions = {}, tid = 0): string {
  if (bytes.length === 0) return NULL_WHEN_EMPTY.has(pt) ? 'NULL' : '<NA>';
  const v = decodeValue(pt, bytes, info);
  if (v === null) return '<NA>';
  switch (pt) {
    case PT.ERRNO: {
      // Hex-formatted results (mmap's address) print as hex even when negative, as sysdig does.
      const n = v as number;
      if (format === PF.HEX) return numberText(n, format);
      const name = n < 0 ? ERRNO_NAMES[-n] : undefined;
      return name ? `${n}(${name})` : String(n);
    }
    case PT.RELTIME: {
      const ns = v as bigint;
      return `${ns}(${ns / 1000000000n}.${(ns % 1000000000n).toString().padStart(9, '0')}s)`;
    }
    case PT.FD:
    case PT.FD32: {
      // libsinsp resolves a negative descriptor too: the current directory of the *at calls or the
      // error a creating call returned.
      const fd = v as number;
      const name = fd === -100 ? 'AT_FDCWD' : fd < 0 ? ERRNO_NAMES[-fd] : opts.fdName?.(tid, fd);
      return name ? `${fd}(${name})` : String(v);
    }
    case PT.PID:
    case PT.PID32: {
      const name = opts.procName?.(v as number);
      return name ? `${v as number}(${name})` : String(v);
    }
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.ENUMFLAGS8:
    case PT.ENUMFLAGS16:
    case PT.ENUMFLAGS32:
    case PT.MODE: {
      const n = v as number;
      const table = info === null ? undefined : FLAG_TABLES[info];
      const names = table ? flagNames(table, n) : '';
      const num = pt === PT.MODE ? numberText(n, PF.OCT) : String(n);
      return names ? `${num}(${names})` : num;
    }
    case PT.SYSCALLID:
      return PPM_SC_NAMES[v as number] || String(v);
    case PT.SIGTYPE: {
      const name = SIGNALS[v as number];
      return name ? `${v as number}(${name})` : String(v);
    }
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
    case PT.IPV4ADDR:
    case PT.IPV6ADDR:
    case PT.IPADDR:
      return v as string;
    case PT.BYTEBUF:
      return bufferText(v as Uint8Array, opts.maxBufferBytes);
    case PT.SOCKADDR:
      return sockaddrText(v as SockAddr);
    case PT.SOCKTUPLE:
      return socktupleText(v as SockTuple);
    case PT.FDLIST:
      // `fd:` + the fd's type character (from thread state; `?` without) + the poll flags in hex.
      return (v as readonly FdListEntry[]).map((e) => `${e.fd}:${opts.fdTypeChar?.(tid, e.fd) ?? '?'}${(e.flags & 0xffff).toString(16)}`).join(' ');
    case PT.CHARBUFARRAY:
      return (v as readonly string[]).join(',');
    case PT.CHARBUF_PAIR_ARRAY:
      return (v as readonly (readonly [string, string])[]).map(([a, b]) => `${a}=${b}`).join(',');
    case PT.DYN: {
      const d = v as DynValue;
      return renderValue(d.type, d.format, bytes.subarray(1), null, opts, tid);
    }
    case PT.IPV4NET:
    case PT.IPV6NET:
    case PT.IPNET: {
      const net = v as { addr: string; prefix: number };
      return `${net.addr}/${net.prefix}`;
    }
    default:
      if (typeof v === 'number' || typeof v === 'bigint') return numberText(v, format);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return typeof v === 'string' ? v : bufferText(v as Uint8Array, opts.maxBufferBytes);
  }
}

/** Parameter i of the current event rendered as sysdig prints its value. */
export function renderParam(view: EventView, i: number, opts: RenderOptions = {}): string {
  const p = EVENT_TABLE[view.type]?.params[i];
  const bytes = view.paramBytes(i);
  if (p === undefined) return bufferText(bytes, opts.maxBufferBytes);
  const text = renderValue(p[1], p[2], bytes, p[3], opts, view.tid);
  // A relative path prints with the path it resolves to, as libsinsp shows `name=etc(/etc)`.
  if (p[1] === PT.FSRELPATH && opts.relPath !== undefined && text !== '' && !text.startsWith('/')) {
    const resolved = opts.relPath(view.tid, relPathDirfd(view, i), text);
    if (resolved !== undefined) return `${text}(${resolved})`;
  }
  return text;
}

/** The directory descriptor a relative path parameter is resolved against (its schema names it). */
export function relPathDirfd(view: EventView, i: number): number {
  const at = EVENT_TABLE[view.type]?.params[i]?.[4] ?? -1;
  return at >= 0 && at < view.nparams && view.paramLength(at) > 0 ? view.int(at, true) : -100;
}

/** Name of parameter i from the schema (`argN` past the schema's count). */
export function paramName(view: EventView, i: number): string {
  return EVENT_TABLE[view.type]?.params[i]?.[0] ?? `arg${i}`;
}

/** `evt.args`: every parameter as `name=value`, separated by spaces. */
export function renderArgs(view: EventView, opts: RenderOptions = {}): string {
  const n = view.nparams;
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ' ';
    s += `${paramName(view, i)}=${renderParam(view, i, opts)}`;
  }
  return s;
}

/**
 * The event's type name as sysdig shows it: the schema name, except for the generic syscall event,
 * which is named after the syscall it carries (`<unknown>` when the code is unknown).
 */
export function eventTypeName(view: EventView): string {
  const t = view.type;
  if (t > 1) return EVENT_TABLE[t]?.name ?? '<unknown>';
  if (view.nparams < 1 || view.paramLength(0) !== 2) return '<unknown>';
  const id = view.int(0, false);
  return id > 0 && PPM_SC_NAMES[id] ? PPM_SC_NAMES[id]! : '<unknown>';
}
