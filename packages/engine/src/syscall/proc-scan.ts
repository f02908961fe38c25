/**
 * A scan of /proc at live start: every process and thread with its command line, environment,
 * credentials, cgroups and descriptors, so that events of processes that started before the
 * capture resolve like any other. Processes that vanish during the scan are skipped.
 */
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { FdKind } from './fd-types';
import type { FdSeed, InitialState, ThreadSeed } from './seed';

export interface ProcScanOptions {
  /** The proc filesystem (default `/proc`). */
  readonly procRoot?: string;
  /** The host root for /etc/passwd and /etc/group (default `/`). */
  readonly hostRoot?: string;
  /** Stop after this many processes (the thread table bound applies anyway). */
  readonly maxProcesses?: number;
  /** Skip descriptors (faster start when fd.* fields of old descriptors do not matter). */
  readonly skipFds?: boolean;
}

const CLOCK_TICKS = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function nulSplit(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function statusFields(text: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) m.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return m;
}

function lastNumber(field: string | undefined, dflt: number): number {
  if (field === undefined || field === '') return dflt;
  const parts = field.split(/\s+/);
  const n = Number(parts[parts.length - 1]);
  return Number.isFinite(n) ? n : dflt;
}

function nthNumber(field: string | undefined, n: number, dflt: number): number {
  const v = Number(field?.split(/\s+/)[n]);
  return Number.isFinite(v) ? v : dflt;
}

function hexCaps(field: string | undefined): bigint {
  return field === undefined || field === '' ? 0n : BigInt(`0x${field}`);
}

// ---- sockets ------------------------------------------------------------------------------

interface SocketEntry {
  readonly kind: FdKind;
  readonly sip: string;
  readonly sport: number;
  readonly dip: string;
  readonly dport: number;
  readonly l4proto: number;
  readonly listening: boolean;
  readonly path?: string;
  readonly addr?: string;
}

function ipv4FromHex(h: string): string {
  const n = parseInt(h, 16);
  return `${n & 0xff}.${(n >>> 8) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 24) & 0xff}`;
}

function ipv6FromHex(h: string): string {
  // Four little-endian 32-bit words.
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = h.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups: string[] = [];
  for (let k = 0; k < 16; k += 2) groups.push(((bytes[k]! << 8) | bytes[k + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

function parseInet(text: string | undefined, v6: boolean, l4proto: number, into: Map<number, SocketEntry>): void {
  const lines = (text ?? '').split('\n').slice(1);
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [la, lp] = f[1]!.split(':');
    const [ra, rp] = f[2]!.split(':');
    const inode = Number(f[9]);
    if (!inode || la === undefined || ra === undefined) continue;
    const conv = v6 ? ipv6FromHex : ipv4FromHex;
    into.set(inode, {
      kind: v6 ? FdKind.Ipv6 : FdKind.Ipv4,
      sip: conv(la),
      sport: parseInt(lp ?? '0', 16),
      dip: conv(ra),
      dport: parseInt(rp ?? '0', 16),
      l4proto,
      listening: f[3] === '0A' || (l4proto === 17 && parseInt(rp ?? '0', 16) === 0),
    });
  }
}

function parseUnix(text: string | undefined, into: Map<number, SocketEntry>): void {
  for (const line of (text ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const inode = Number(f[6]);
    if (!inode) continue;
    into.set(inode, { kind: FdKind.Unix, sip: '', sport: 0, dip: '', dport: 0, l4proto: 0, listening: false, path: f[7] ?? '', addr: f[0]!.replace(/:$/, '') });
  }
}

function socketTable(procRoot: string, pid: number, cache: Map<string, Map<number, SocketEntry>>): Map<number, SocketEntry> {
  const ns = link(`${procRoot}/${pid}/ns/net`) ?? 'host';
  let m = cache.get(ns);
  if (m !== undefined) return m;
  m = new Map();
  const base = `${procRoot}/${pid}/net`;
  parseInet(read(`${base}/tcp`), false, 6, m);
  parseInet(read(`${base}/tcp6`), true, 6, m);
  parseInet(read(`${base}/udp`), false, 17, m);
  parseInet(read(`${base}/udp6`), true, 17, m);
  parseUnix(read(`${base}/unix`), m);
  cache.set(ns, m);
  return m;
}

// ---- descriptors --------------------------------------------------------------------------

const ANON_KINDS: ReadonlyArray<readonly [string, FdKind]> = [
  ['eventfd', FdKind.Event],
  ['eventpoll', FdKind.Eventpoll],
  ['inotify', FdKind.Inotify],
  ['signalfd', FdKind.Signal],
  ['timerfd', FdKind.Timer],
  ['bpf', FdKind.Bpf],
  ['userfaultfd', FdKind.Userfault],
  ['io_uring', FdKind.IoUring],
  ['pidfd', FdKind.Pidfd],
];

function fdSeed(procRoot: string, pid: number, fd: number, target: string, sockets: () => Map<number, SocketEntry>): FdSeed {
  const m = /^(socket|pipe):\[(\d+)\]$/.exec(target);
  if (m !== null) {
    const ino = Number(m[2]);
    if (m[1] === 'pipe') return { fd, kind: FdKind.Pipe, name: target, ino };
    const s = sockets().get(ino);
    if (s === undefined) return { fd, kind: FdKind.Unknown, name: target, ino };
    if (s.kind === FdKind.Unix) return { fd, kind: FdKind.Unix, name: s.path ?? '', unixSource: s.addr ?? '0', unixDest: '0' };
    if (s.listening) return { fd, kind: s.kind, name: `${s.sip}:${s.sport}`, l4proto: s.l4proto };
    return { fd, kind: s.kind, sip: s.sip, sport: s.sport, dip: s.dip, dport: s.dport, l4proto: s.l4proto };
  }
  if (target.startsWith('anon_inode:')) {
    for (const [word, kind] of ANON_KINDS) if (target.includes(word)) return { fd, kind, name: target };
    return { fd, kind: FdKind.Unknown, name: target };
  }
  if (target.startsWith('/memfd:')) return { fd, kind: FdKind.Memfd, name: target.slice(1).replace(/ \(deleted\)$/, '') };
  if (target.startsWith('/')) {
    let kind = FdKind.File;
    let dev = 0;
    let ino = 0;
    try {
      const st = statSync(`${procRoot}/${pid}/fd/${fd}`);
      if (st.isDirectory()) kind = FdKind.Directory;
      dev = st.dev;
      ino = st.ino;
    } catch {
      // the descriptor closed meanwhile: keep what readlink said
    }
    return { fd, kind, name: target, dev, ino };
  }
  return { fd, kind: FdKind.Unknown, name: target };
}

function scanFds(procRoot: string, pid: number, cache: Map<string, Map<number, SocketEntry>>): FdSeed[] {
  let names: string[];
  try {
    names = readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return [];
  }
  let table: Map<number, SocketEntry> | undefined;
  const sockets = (): Map<number, SocketEntry> => (table ??= socketTable(procRoot, pid, cache));
  const out: FdSeed[] = [];
  for (const n of names) {
    const fd = Number(n);
    const target = link(`${procRoot}/${pid}/fd/${n}`);
    if (!Number.isInteger(fd) || target === undefined) continue;
    out.push(fdSeed(procRoot, pid, fd, target, sockets));
  }
  return out;
}

// ---- processes ----------------------------------------------------------------------------

function bootTimeNs(procRoot: string): bigint {
  const m = /^btime (\d+)$/m.exec(read(`${procRoot}/stat`) ?? '');
  return m === null ? 0n : BigInt(m[1]!) * 1_000_000_000n;
}

function threadSeed(procRoot: string, dir: string, tid: number, pid: number, boot: bigint): ThreadSeed | undefined {
  const stat = read(`${dir}/stat`);
  if (stat === undefined) return undefined;
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command: state(0) ppid(1) pgrp(2) session(3) tty_nr(4) ... starttime(19)
  const ppid = Number(afterComm[1]);
  const pgrp = Number(afterComm[2]);
  const session = Number(afterComm[3]);
  const tty = Number(afterComm[4]);
  const start = BigInt(afterComm[19] ?? '0');
  const status = statusFields(read(`${dir}/status`));
  const cmdline = nulSplit(read(`${procRoot}/${pid}/cmdline`));
  const exeLink = link(`${procRoot}/${pid}/exe`) ?? '';
  const comm = (read(`${dir}/comm`) ?? '').replace(/\n$/, '');
  return {
    tid,
    pid,
    ptid: tid === pid ? ppid : ppid,
    sid: session,
    vpgid: lastNumber(status.get('NSpgid'), pgrp),
    pgid: pgrp,
    vtid: lastNumber(status.get('NSpid'), tid),
    vpid: lastNumber(status.get('NStgid'), pid),
    comm,
    exe: cmdline[0] ?? comm,
    exepath: exeLink.replace(/ \(deleted\)$/, ''),
    args: cmdline.slice(1),
    env: nulSplit(read(`${procRoot}/${pid}/environ`)),
    cwd: link(`${dir}/cwd`) ?? '/',
    uid: nthNumber(status.get('Uid'), 1, 0xffffffff),
    gid: nthNumber(status.get('Gid'), 1, 0xffffffff),
    loginuid: Number(read(`${procRoot}/${pid}/loginuid`) ?? 0xffffffff),
    tty: tty > 0 ? tty : 0,
    capInheritable: hexCaps(status.get('CapInh')),
    capPermitted: hexCaps(status.get('CapPrm')),
    capEffective: hexCaps(status.get('CapEff')),
    cgroups: (read(`${procRoot}/${pid}/cgroup`) ?? '').split('\n').filter((l) => l !== ''),
    startTs: boot + (start * 1_000_000_000n) / BigInt(CLOCK_TICKS),
  };
}

/** Reads the processes and threads under /proc into an initial state. */
export function scanProc(options: ProcScanOptions = {}): InitialState {
  const procRoot = options.procRoot ?? '/proc';
  const boot = bootTimeNs(procRoot);
  const threads: ThreadSeed[] = [];
  const sockets = new Map<string, Map<number, SocketEntry>>();
  let pids: number[];
  try {
    pids = readdirSync(procRoot).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return { threads };
  }
  let processes = 0;
  for (const pid of pids) {
    if (options.maxProcesses !== undefined && processes >= options.maxProcesses) break;
    const main = threadSeed(procRoot, `${procRoot}/${pid}`, pid, pid, boot);
    if (main === undefined) continue;
    processes++;
    const fds = options.skipFds === true ? [] : scanFds(procRoot, pid, sockets);
    threads.push({ ...main, fds });
    let tids: string[] = [];
    try {
      tids = readdirSync(`${procRoot}/${pid}/task`);
    } catch {
      // exited
    }
    for (const t of tids) {
      const tid = Number(t);
      if (tid === pid || !Number.isInteger(tid)) continue;
      const th = threadSeed(procRoot, `${procRoot}/${pid}/task/${t}`, tid, pid, boot);
      if (th !== undefined) threads.push({ ...th, ptid: main.ptid });
    }
  }
  return { threads };
}
