/**
 * Parsers for the metadata blocks (machine info, process list, fd list, interface list, user list)
 * in every version. Each reads a block body through a bounds-checked `BodyReader`, so a malformed
 * body becomes a `CaptureFormatError` naming the byte offset, never an out-of-range read.
 */
import { ipv4ToString, ipv6ToString } from '../view/decode';
import { FD_TYPE, newThread, type FdInfo, type InitialState, type MachineInfo, type ThreadInfo } from './state';

const TWO_32 = 4294967296;

/** Raised by BodyReader; the parser adds the block context. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

export class BodyReader {
  private readonly dv: DataView;
  pos: number;

  constructor(
    readonly b: Uint8Array,
    start: number,
    public end: number,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.pos = start;
  }

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw new BodyError(`${what}: needs ${n} bytes, ${this.end - this.pos} left`, this.pos);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A 64-bit id (tid, fd, …) as a number: signed, exact up to 2^53. */
  i64n(what: string): number {
    this.need(8, what);
    const v = this.dv.getInt32(this.pos + 4, true) * TWO_32 + this.dv.getUint32(this.pos, true);
    this.pos += 8;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** u16 length + bytes, no NUL on disk. */
  str16(what: string, max: number): string {
    const n = this.length16(what, max);
    this.need(n, what);
    const start = this.pos;
    this.pos += n;
    return textIn(this.b, start, start + n);
  }
  /** u16 length + NUL-separated strings (the final NUL may be missing). */
  strlist16(what: string, max: number): string[] {
    const n = this.length16(what, max);
    this.need(n, what);
    const start = this.pos;
    this.pos += n;
    return splitNulIn(this.b, start, start + n);
  }
  /** A u16 string length, its error message built only when it is out of bounds. */
  private length16(what: string, max: number): number {
    if (this.pos + 2 > this.end) this.need(2, `${what} length`);
    const n = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    if (n > max) throw new BodyError(`${what}: length ${n} exceeds the limit of ${max}`, this.pos - 2);
    return n;
  }
}

// Node's native UTF-8 decoding works on any Uint8Array range: no Buffer object per string.
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice: (this: Uint8Array, start: number, end: number) => string }).utf8Slice;

function text(b: Uint8Array): string {
  return textIn(b, 0, b.length);
}

/** b[start, end) up to its first NUL, as UTF-8. */
function textIn(b: Uint8Array, start: number, end: number): string {
  const nul = b.indexOf(0, start);
  return utf8Slice.call(b, start, nul >= 0 && nul < end ? nul : end);
}

/**
 * b[start, end) split at NULs, as UTF-8 strings. The NULs are found with the native indexOf: this
 * runs once per capture, mostly before the JIT has compiled it, where a loop over every byte of the
 * environments and command lines would be interpreted.
 */
function splitNulIn(b: Uint8Array, start: number, end: number): string[] {
  const out: string[] = [];
  let s = start;
  while (s < end) {
    let nul = b.indexOf(0, s);
    if (nul < 0 || nul > end) nul = end;
    out.push(utf8Slice.call(b, s, nul));
    s = nul + 1;
  }
  return out;
}

const MAX_PATH = 1024;
const MAX_ARGS = 4096;
const MAX_CRED = 255;

export function parseMachineInfo(r: BodyReader): MachineInfo {
  const numCpus = r.u32('num_cpus');
  const memorySizeBytes = r.u64('memory_size_bytes');
  const maxPid = r.u64('max_pid');
  const hostname = text(r.bytes(128, 'hostname'));
  const bootTsEpoch = r.u64('boot_ts_epoch');
  const flags = r.u64('flags');
  r.u64('reserved3');
  r.u64('reserved4');
  return { numCpus, memorySizeBytes, maxPid, hostname, bootTsEpoch, flags };
}

/** One PL block (any version) into `state.threads`. */
export function parseProcessList(r: BodyReader, version: number, state: InitialState): number {
  let count = 0;
  while (r.left >= 4) {
    const entryStart = r.pos;
    let entryEnd = r.end;
    if (version >= 9) {
      const len = r.u32('entry_len');
      if (len < 4 || entryStart + len > r.end) throw new BodyError(`process entry length ${len} does not fit the block`, entryStart);
      entryEnd = entryStart + len;
    }
    const savedEnd = r.end;
    r.end = entryEnd;
    const t = readThread(r, version, entryStart, entryEnd);
    r.end = savedEnd;
    if (version >= 9) r.pos = entryEnd;
    const prev = state.threads.get(t.tid);
    if (prev) t.fds = prev.fds;
    state.threads.set(t.tid, t);
    count++;
  }
  return count;
}

function readThread(r: BodyReader, v: number, entryStart: number, entryEnd: number): ThreadInfo {
  const t = newThread(r.i64n('tid'));
  t.pid = r.i64n('pid');
  t.ptid = r.i64n('ptid');
  if (v >= 6) t.sid = r.i64n('sid');
  if (v >= 8) t.vpgid = r.i64n('vpgid');
  t.comm = r.str16('comm', MAX_PATH);
  t.exe = r.str16('exe', MAX_PATH);
  if (v >= 7) t.exepath = r.str16('exepath', MAX_PATH);
  t.args = r.strlist16('args', MAX_ARGS);
  t.cwd = r.str16('cwd', MAX_PATH);
  t.fdlimit = r.i64n('fdlimit');
  t.flags = r.u32('flags');
  t.uid = r.u32('uid');
  t.gid = r.u32('gid');
  if (v >= 2) {
    t.vmsizeKb = r.u32('vmsize_kb');
    t.vmrssKb = r.u32('vmrss_kb');
    t.vmswapKb = r.u32('vmswap_kb');
    t.pfmajor = r.u64('pfmajor');
    t.pfminor = r.u64('pfminor');
  }
  if (v >= 3) t.env = r.strlist16('env', MAX_ARGS);
  if (v >= 4) {
    t.vtid = r.i64n('vtid');
    t.vpid = r.i64n('vpid');
    t.cgroups = r.strlist16('cgroups', MAX_ARGS);
  }
  if (v >= 5) t.root = r.str16('root', MAX_PATH);
  if (v >= 9) readThreadTail(r, t, entryStart, entryEnd);
  return t;
}

/** PL_V9 optional tail: each field only if it still fits in the entry. */
function readThreadTail(r: BodyReader, t: ThreadInfo, _entryStart: number, entryEnd: number): void {
  const fits = (n: number): boolean => r.pos + n <= entryEnd;
  // Entries from before libs 0.10 lack pidns_init_start_ts and tty, which were inserted before
  // loginuid; such entries have at most loginuid + exe_writable + three caps (29 bytes) left.
  if (entryEnd - r.pos > 29) {
    if (fits(8)) t.pidnsInitStartTs = r.u64('pidns_init_start_ts');
    if (fits(4)) t.tty = r.u32('tty');
  }
  if (fits(4)) t.loginuid = r.u32('loginuid');
  if (fits(1)) t.exeWritable = r.u8('exe_writable') !== 0;
  if (fits(8)) t.capInheritable = r.u64('cap_inheritable');
  if (fits(8)) t.capPermitted = r.u64('cap_permitted');
  if (fits(8)) t.capEffective = r.u64('cap_effective');
  if (fits(1)) t.exeUpperLayer = r.u8('exe_upper_layer') !== 0;
  if (fits(8)) t.exeIno = r.u64('exe_ino');
  if (fits(8)) t.exeInoCtime = r.u64('exe_ino_ctime');
  if (fits(8)) t.exeInoMtime = r.u64('exe_ino_mtime');
  if (fits(1)) t.exeFromMemfd = r.u8('exe_from_memfd') !== 0;
  if (fits(1)) t.exeLowerLayer = r.u8('exe_lower_layer') !== 0;
  if (fits(8)) t.pgid = r.i64n('pgid');
}

/** One FDL block (one thread's fds). Returns the number of fds. */
export function parseFdList(r: BodyReader, version: number, state: InitialState): number {
  const tid = r.i64n('tid');
  let thread = state.threads.get(tid);
  if (!thread) {
    thread = newThread(tid);
    state.threads.set(tid, thread);
  }
  let count = 0;
  while (r.left >= 4) {
    const entryStart = r.pos;
    let entryEnd = r.end;
    if (version >= 2) {
      const len = r.u32('entry_len');
      if (len < 4 || entryStart + len > r.end) throw new BodyError(`fd entry length ${len} does not fit the block`, entryStart);
      entryEnd = entryStart + len;
    }
    const savedEnd = r.end;
    r.end = entryEnd;
    thread.fds.push(readFd(r, version, entryEnd));
    r.end = savedEnd;
    if (version >= 2) r.pos = entryEnd;
    count++;
  }
  return count;
}

function readFd(r: BodyReader, version: number, entryEnd: number): FdInfo {
  const fd: FdInfo = { fd: r.i64n('fd'), ino: r.u64('ino'), type: r.u8('fd type'), name: '' };
  switch (fd.type) {
    case FD_TYPE.IPV4_SOCK:
      fd.sip = ipv4ToString(r.bytes(4, 'sip'), 0);
      fd.dip = ipv4ToString(r.bytes(4, 'dip'), 0);
      fd.sport = r.u16('sport');
      fd.dport = r.u16('dport');
      fd.l4proto = r.u8('l4proto');
      break;
    case FD_TYPE.IPV6_SOCK:
      fd.sip = ipv6ToString(r.bytes(16, 'sip'), 0);
      fd.dip = ipv6ToString(r.bytes(16, 'dip'), 0);
      fd.sport = r.u16('sport');
      fd.dport = r.u16('dport');
      fd.l4proto = r.u8('l4proto');
      break;
    case FD_TYPE.IPV4_SERVSOCK:
      fd.sip = ipv4ToString(r.bytes(4, 'ip'), 0);
      fd.sport = r.u16('port');
      fd.l4proto = r.u8('l4proto');
      break;
    case FD_TYPE.IPV6_SERVSOCK:
      fd.sip = ipv6ToString(r.bytes(16, 'ip'), 0);
      fd.sport = r.u16('port');
      fd.l4proto = r.u8('l4proto');
      break;
    case FD_TYPE.UNIX_SOCK:
      fd.source = r.u64('source');
      fd.dest = r.u64('destination');
      fd.name = r.str16('fname', MAX_PATH);
      break;
    case FD_TYPE.FILE_V2:
      fd.openFlags = r.u32('open_flags');
      fd.name = r.str16('fname', MAX_PATH);
      if (version >= 2 && r.pos + 4 <= entryEnd) fd.dev = r.u32('dev');
      break;
    case FD_TYPE.UNKNOWN:
      break;
    default:
      if (fd.type > FD_TYPE.PIDFD) throw new BodyError(`unknown fd type ${fd.type}`, r.pos - 1);
      fd.name = r.str16('fname', MAX_PATH);
  }
  return fd;
}

/** One IL block. IL_V2 entry lengths exclude their own u32 (0 = use the computed size). */
export function parseInterfaceList(r: BodyReader, version: number, state: InitialState): number {
  let count = 0;
  while (r.left >= 4) {
    let declared = -1;
    if (version >= 2) declared = r.u32('entry_len');
    const entryStart = r.pos;
    const type = r.u16('interface type');
    const nameLen = r.u16('ifnamelen');
    if (nameLen >= 1024) throw new BodyError(`interface name length ${nameLen} exceeds the limit of 1023`, r.pos - 2);
    const v6 = type === 2 || type === 4;
    if (type < 1 || type > 4) throw new BodyError(`unknown interface type ${type}`, entryStart);
    const addrLen = v6 ? 16 : 4;
    const fmt = (b: Uint8Array): string => (v6 ? ipv6ToString(b, 0) : ipv4ToString(b, 0));
    const addr = fmt(r.bytes(addrLen, 'addr'));
    const netmask = fmt(r.bytes(addrLen, 'netmask'));
    const bcast = fmt(r.bytes(addrLen, 'bcast'));
    const linkspeed = type <= 2 ? r.u64('linkspeed') : 0n;
    const name = text(r.bytes(nameLen, 'ifname'));
    state.interfaces.push({ family: v6 ? 'ipv6' : 'ipv4', name, addr, netmask, bcast, linkspeed });
    if (declared > 0) {
      if (entryStart + declared > r.end || entryStart + declared < r.pos) throw new BodyError(`interface entry length ${declared} is inconsistent`, entryStart - 4);
      r.pos = entryStart + declared;
    }
    count++;
  }
  return count;
}

/** One UL block. */
export function parseUserList(r: BodyReader, version: number, state: InitialState): number {
  let count = 0;
  while (r.left >= 4) {
    const entryStart = r.pos;
    let entryEnd = r.end;
    if (version >= 2) {
      const len = r.u32('entry_len');
      if (len < 4 || entryStart + len > r.end) throw new BodyError(`user entry length ${len} does not fit the block`, entryStart);
      entryEnd = entryStart + len;
    }
    const savedEnd = r.end;
    r.end = entryEnd;
    const type = r.u8('user/group type');
    if (type === 0) {
      const uid = r.u32('uid');
      const gid = r.u32('gid');
      state.users.push({ uid, gid, name: r.str16('name', MAX_CRED), homedir: r.str16('homedir', MAX_CRED), shell: r.str16('shell', MAX_CRED) });
    } else {
      const gid = r.u32('gid');
      state.groups.push({ gid, name: r.str16('name', MAX_CRED) });
    }
    r.end = savedEnd;
    if (version >= 2) r.pos = entryEnd;
    count++;
  }
  return count;
}
