/**
 * The open descriptors of the processes in a capture's process table, read from /proc/<pid>/fd
 * when the capture starts, for the FDL blocks the scap writer emits (one per process, on its main
 * thread, as libscap writes them): a replay then knows what fd 3 of a process that was already
 * running is, not only the descriptors opened after the capture began.
 *
 * Kept apart from proc-snapshot.ts on purpose: it only adds `fds` to threads that module (or any
 * other /proc reader) produced.
 */
import * as fs from 'node:fs';
import { FD_TYPE, type FdInfo, type ThreadInfo } from '../scap/state';

/** scap_l4_proto values (libscap): what the FDL socket entries carry. */
const SCAP_L4 = { TCP: 2, UDP: 3, RAW: 5 } as const;

/** scap's PPM_O_* open flags from the kernel's O_* (x86_64/aarch64 octal values in /proc/<pid>/fdinfo). */
const OPEN_FLAGS: readonly (readonly [number, number])[] = [
  [0o100, 4], // O_CREAT
  [0o2000, 8], // O_APPEND
  [0o10000, 16], // O_DSYNC
  [0o200, 32], // O_EXCL
  [0o4000, 64], // O_NONBLOCK
  [0o4000000, 128], // __O_SYNC
  [0o1000, 256], // O_TRUNC
  [0o40000, 512], // O_DIRECT
  [0o200000, 1024], // O_DIRECTORY
  [0o100000, 2048], // O_LARGEFILE
  [0o2000000, 4096], // O_CLOEXEC
  [0o20000000, 8192], // __O_TMPFILE
];

export function scapOpenFlags(kernelFlags: number): number {
  const access = kernelFlags & 3;
  let out = access === 0 ? 1 : access === 1 ? 2 : 3; // PPM_O_RDONLY / WRONLY / RDWR
  for (const [k, p] of OPEN_FLAGS) if ((kernelFlags & k) !== 0) out |= p;
  return out;
}

interface Socket {
  type: number;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  l4proto: number;
  path: string;
  addr: bigint;
}

function read(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return `${n & 255}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${n >>> 24}`;
}

/** /proc/net/tcp6 prints the 16 address bytes as four little-endian 32-bit words. */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function parseInet(text: string | undefined, v6: boolean, l4proto: number, into: Map<number, Socket>): void {
  for (const line of (text ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const inode = Number(f[9]);
    const [la, lp] = f[1]!.split(':');
    const [ra, rp] = f[2]!.split(':');
    if (!inode || la === undefined || ra === undefined) continue;
    const addr = v6 ? ipv6 : ipv4;
    const dport = parseInt(rp ?? '0', 16);
    const listening = (l4proto === SCAP_L4.TCP && f[3] === '0A') || (l4proto === SCAP_L4.UDP && dport === 0);
    into.set(inode, {
      type: listening ? (v6 ? FD_TYPE.IPV6_SERVSOCK : FD_TYPE.IPV4_SERVSOCK) : v6 ? FD_TYPE.IPV6_SOCK : FD_TYPE.IPV4_SOCK,
      sip: addr(la),
      dip: addr(ra),
      sport: parseInt(lp ?? '0', 16),
      dport,
      l4proto,
      path: '',
      addr: 0n,
    });
  }
}

function parseUnix(text: string | undefined, into: Map<number, Socket>): void {
  for (const line of (text ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const inode = Number(f[6]);
    if (f.length < 7 || !inode) continue;
    into.set(inode, { type: FD_TYPE.UNIX_SOCK, sip: '', dip: '', sport: 0, dport: 0, l4proto: 0, path: f[7] ?? '', addr: BigInt(`0x${f[0]!.replace(/:$/, '')}`) });
  }
}

function parseNetlink(text: string | undefined, into: Map<number, Socket>): void {
  for (const line of (text ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const inode = Number(f[f.length - 1]);
    if (f.length < 10 || !inode) continue;
    into.set(inode, { type: FD_TYPE.NETLINK, sip: '', dip: '', sport: 0, dport: 0, l4proto: 0, path: '', addr: 0n });
  }
}

/** Sockets by inode, per network namespace (read once per namespace). */
function socketsOf(pid: number, cache: Map<string, Map<number, Socket>>): Map<number, Socket> {
  let ns = 'host';
  try {
    ns = fs.readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    // no namespace link (kernel thread, or gone): the host's tables
  }
  let m = cache.get(ns);
  if (m !== undefined) return m;
  m = new Map();
  const base = `/proc/${pid}/net`;
  parseInet(read(`${base}/tcp`), false, SCAP_L4.TCP, m);
  parseInet(read(`${base}/tcp6`), true, SCAP_L4.TCP, m);
  parseInet(read(`${base}/udp`), false, SCAP_L4.UDP, m);
  parseInet(read(`${base}/udp6`), true, SCAP_L4.UDP, m);
  parseInet(read(`${base}/raw`), false, SCAP_L4.RAW, m);
  parseUnix(read(`${base}/unix`), m);
  parseNetlink(read(`${base}/netlink`), m);
  cache.set(ns, m);
  return m;
}

/**
 * Anonymous-inode descriptors with an FDL type of their own. The later types (bpf, userfaultfd,
 * io_uring, pidfd) are written as UNSUPPORTED: readers built before they existed (sysdig 0.29,
 * the oracle here) refuse the whole file on a type they do not know, and none of their fields
 * depends on state from before the capture.
 */
const ANON_TYPES: readonly (readonly [string, number])[] = [
  ['[eventfd]', FD_TYPE.EVENT],
  ['[eventpoll]', FD_TYPE.EVENTPOLL],
  ['inotify', FD_TYPE.INOTIFY],
  ['[signalfd]', FD_TYPE.SIGNALFD],
  ['[timerfd]', FD_TYPE.TIMERFD],
];

function fdInfo(pid: number, fd: number, target: string, sockets: () => Map<number, Socket>): FdInfo {
  const m = /^(socket|pipe):\[(\d+)\]$/.exec(target);
  if (m !== null) {
    const ino = BigInt(m[2]!);
    if (m[1] === 'pipe') return { fd, ino, type: FD_TYPE.FIFO, name: target };
    const s = sockets().get(Number(m[2]));
    if (s === undefined) return { fd, ino, type: FD_TYPE.UNSUPPORTED, name: target };
    if (s.type === FD_TYPE.UNIX_SOCK) return { fd, ino, type: s.type, name: s.path, source: s.addr, dest: 0n };
    if (s.type === FD_TYPE.NETLINK) return { fd, ino, type: s.type, name: '' };
    return { fd, ino, type: s.type, name: '', sip: s.sip, dip: s.dip, sport: s.sport, dport: s.dport, l4proto: s.l4proto };
  }
  if (target.startsWith('anon_inode:')) {
    for (const [word, type] of ANON_TYPES) if (target.includes(word)) return { fd, ino: 0n, type, name: '' };
    return { fd, ino: 0n, type: FD_TYPE.UNSUPPORTED, name: target };
  }
  // A memfd reads as a file named "/memfd:<name> (deleted)", which is what it is to a reader.
  if (!target.startsWith('/')) return { fd, ino: 0n, type: FD_TYPE.UNSUPPORTED, name: target };
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.statSync(`/proc/${pid}/fd/${fd}`, { bigint: true });
  } catch {
    // closed meanwhile: what readlink said is all there is
  }
  if (st?.isDirectory()) return { fd, ino: st.ino, type: FD_TYPE.DIRECTORY, name: target };
  const flags = /^flags:\s*([0-7]+)/m.exec(read(`/proc/${pid}/fdinfo/${fd}`) ?? '')?.[1];
  return { fd, ino: st?.ino ?? 0n, type: FD_TYPE.FILE_V2, name: target, openFlags: flags === undefined ? 0 : scapOpenFlags(parseInt(flags, 8)), dev: Number(st?.dev ?? 0n) };
}

/** The open descriptors of process `pid` (empty when it is gone or unreadable). */
export function openFds(pid: number, cache: Map<string, Map<number, Socket>> = new Map()): FdInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  let table: Map<number, Socket> | undefined;
  const sockets = (): Map<number, Socket> => (table ??= socketsOf(pid, cache));
  const out: FdInfo[] = [];
  for (const n of names) {
    const fd = Number(n);
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${n}`);
    } catch {
      continue; // closed between the listing and the readlink
    }
    out.push(fdInfo(pid, fd, target, sockets));
  }
  return out.sort((a, b) => a.fd - b.fd);
}

/**
 * Fills `fds` of every process's main thread (tid = pid) from /proc; threads share their
 * process's table, so other threads keep none, as in libscap's files. Returns `threads`.
 */
export function withOpenFds(threads: ThreadInfo[]): ThreadInfo[] {
  const cache = new Map<string, Map<number, Socket>>();
  for (const t of threads) if (t.tid === t.pid) t.fds = openFds(t.pid, cache);
  return threads;
}
