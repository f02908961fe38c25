/** fd.*, fs.path.* and fdlist.* extractors. */
import { EF, EVENT_TABLE, decodeFdlist, decodeSocktuple } from '@falco-ts/driver';
import type { FieldScalar, FieldValue } from '@falco-ts/filter-lang';
import { SocketRole, type FdInfo } from '../../syscall/fd-table';
import { AT_FDCWD, FdKind, PPM_O } from '../../syscall/fd-types';
import { paramIndex } from '../../syscall/params';
import { basenameOf, dirnameOf, resolvePath } from '../../syscall/paths';
import type { SyscallEvent } from '../event';
import { missing, perEvent, type Extract, type ExtractorFactory } from './common';

const L4_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 255: 'raw' };

function isIp(f: FdInfo): boolean {
  return (f.kind === FdKind.Ipv4 || f.kind === FdKind.Ipv6) && f.sip !== '';
}

function isFileLike(f: FdInfo): boolean {
  return f.kind === FdKind.File || f.kind === FdKind.Directory;
}

function withFd(fn: (f: FdInfo, e: SyscallEvent) => FieldValue): Extract {
  return (e) => {
    const f = e.state.fdInfo;
    return f === undefined ? undefined : fn(f, e);
  };
}

const HAS_FD = Uint8Array.from(EVENT_TABLE, (e) => ((e.flags & (EF.USES_FD | EF.CREATES_FD)) !== 0 ? 1 : 0));

/** True when the event names a descriptor (uses one, or creates one). */
function hasFd(e: SyscallEvent): boolean {
  return HAS_FD[e.view.type] === 1;
}

const OPEN_CALLS = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at']);

/**
 * The name an fd-creating exit event gives even when no descriptor resulted (a failed open still
 * names the path it tried; a failed connect the tuple). Undefined for other events.
 */
function creatorName(e: SyscallEvent, raw: boolean): string | undefined {
  const v = e.view;
  if ((v.type & 1) === 0) return undefined;
  if (OPEN_CALLS.has(v.name)) {
    const ni = paramIndex(v.type, v.name === 'open_by_handle_at' ? 'path' : 'name');
    if (ni < 0 || ni >= v.nparams) return undefined;
    const name = v.str(ni);
    if (raw || v.name === 'open_by_handle_at') return name;
    const di = paramIndex(v.type, 'dirfd');
    const dirfd = di >= 0 && di < v.nparams && v.paramLength(di) > 0 ? v.int(di, true) : AT_FDCWD;
    const t = e.state.thread;
    const dir = dirfd === AT_FDCWD ? (t?.cwd ?? '/') : (t?.fds.get(dirfd)?.name ?? t?.cwd ?? '/');
    return resolvePath(dir, name);
  }
  if (v.name === 'connect') {
    const ti = paramIndex(v.type, 'tuple');
    if (ti < 0 || ti >= v.nparams) return undefined;
    const tuple = decodeSocktuple(v.paramBytes(ti));
    if (tuple === null) return '';
    if (tuple.family === 'inet' || tuple.family === 'inet6') return `${tuple.sip}:${tuple.sport}->${tuple.dip}:${tuple.dport}`;
    if (tuple.family === 'unix') return `${tuple.source.toString(16)}->${tuple.dest.toString(16)} ${tuple.path}`;
    return '';
  }
  return undefined;
}

/**
 * The name of the event's descriptor. An exit event whose descriptor is not in the table (opened
 * before the capture, or a failed creation) still has one: the path or tuple a creating call
 * names, '' otherwise, as libsinsp reports it.
 */
function fdName(e: SyscallEvent): FieldValue {
  const f = e.state.fdInfo;
  if (f !== undefined) return f.name;
  if (!hasFd(e) || (e.view.type & 1) === 0) return undefined;
  return creatorName(e, false) ?? '';
}

/** fd.typechar of an event whose descriptor is not in the table: guessed from the call. */
const NULL_FD_TYPECHAR: Record<string, string> = {
  open: 'f', openat: 'f', openat2: 'f', creat: 'f',
  socket: '4', accept: '4', accept4: '4',
  pipe: 'p', pipe2: 'p',
  eventfd: 'e', eventfd2: 'e',
  signalfd: 's', signalfd4: 's',
  timerfd_create: 't',
  inotify_init: 'i', inotify_init1: 'i',
};

function local(f: FdInfo): [string, number] {
  return f.role === SocketRole.Server ? [f.dip, f.dport] : [f.sip, f.sport];
}
function remote(f: FdInfo): [string, number] {
  return f.role === SocketRole.Server ? [f.sip, f.sport] : [f.dip, f.dport];
}

// The candidate lists below are consumed at once by the any-of checks (never kept), so each is
// one array reused for every event instead of a new one per check.
const addressPair: FieldScalar[] = [];
const addressOne: FieldScalar[] = [];
const portPair: FieldScalar[] = [0, 0];

/** Client and server addresses, for the any-of checks of fd.ip and fd.net. */
export function fdAddresses(e: SyscallEvent): readonly FieldScalar[] | undefined {
  const f = e.state.fdInfo;
  if (f === undefined || !isIp(f)) return undefined;
  const s = f.sipBytes;
  const d = f.dipBytes;
  if (s !== undefined && d !== undefined) {
    addressPair[0] = s;
    addressPair[1] = d;
    return addressPair;
  }
  const one = s ?? d;
  if (one === undefined) return undefined;
  addressOne[0] = one;
  return addressOne;
}

/** Client and server ports, for fd.port. */
export function fdPorts(e: SyscallEvent): readonly FieldScalar[] | undefined {
  const f = e.state.fdInfo;
  if (f === undefined || !isIp(f)) return undefined;
  portPair[0] = f.sport;
  portPair[1] = f.dport;
  return portPair;
}

const fdlistEntries = (e: SyscallEvent): ReturnType<typeof decodeFdlist> | undefined => {
  const v = e.view;
  const i = paramIndex(v.type, 'fds');
  if (i < 0 || i >= v.nparams || v.paramLength(i) === 0) return undefined;
  return decodeFdlist(v.paramBytes(i));
};

function fdlistField(read: (f: FdInfo | undefined, fd: number) => string | undefined): Extract {
  return (e) => {
    const entries = fdlistEntries(e);
    if (entries === undefined) return undefined;
    const t = e.state.thread;
    const out: string[] = [];
    for (const { fd } of entries) {
      const r = read(t?.fds.get(fd), fd);
      if (r !== undefined && r !== '') out.push(r);
    }
    return out.join(',');
  };
}

export const FD_EXTRACTORS: Record<string, ExtractorFactory> = {
  'fd.num': () => (e) => {
    const t = e.state.thread;
    return t === undefined || !hasFd(e) ? undefined : t.lastEventFd;
  },
  'fd.type': () => withFd((f) => f.typeName),
  'fd.typechar': () => (e) => {
    const f = e.state.fdInfo;
    if (f !== undefined) return f.typeChar;
    return hasFd(e) ? (NULL_FD_TYPECHAR[e.view.name] ?? 'o') : undefined;
  },
  'fd.name': () => fdName,
  'fd.directory': () => perEvent((e) => {
    const f = e.state.fdInfo;
    if (f !== undefined) {
      if (f.kind === FdKind.Directory) return f.name;
      return isFileLike(f) ? dirnameOf(f.name) : undefined;
    }
    const n = fdName(e);
    return n === undefined ? undefined : dirnameOf(String(n));
  }),
  'fd.filename': () => withFd((f) => (f.kind === FdKind.File ? basenameOf(f.name) : undefined)),
  // Addresses are handed to comparisons as bytes, parsed once per descriptor; outputs print them as text.
  'fd.ip': () => withFd((f) => (isIp(f) ? f.sipBytes : undefined)),
  'fd.cip': () => withFd((f) => (isIp(f) ? f.sipBytes : undefined)),
  'fd.sip': () => withFd((f) => (isIp(f) ? f.dipBytes : undefined)),
  'fd.lip': () => withFd((f) => (isIp(f) ? (f.role === SocketRole.Server ? f.dipBytes : f.sipBytes) : undefined)),
  'fd.rip': () => withFd((f) => (isIp(f) ? (f.role === SocketRole.Server ? f.sipBytes : f.dipBytes) : undefined)),
  'fd.port': () => withFd((f) => (isIp(f) ? f.sport : undefined)),
  'fd.cport': () => withFd((f) => (isIp(f) ? f.sport : undefined)),
  'fd.sport': () => withFd((f) => (isIp(f) ? f.dport : undefined)),
  'fd.lport': () => withFd((f) => (isIp(f) ? local(f)[1] : undefined)),
  'fd.rport': () => withFd((f) => (isIp(f) ? remote(f)[1] : undefined)),
  'fd.l4proto': () => withFd((f) => (f.kind === FdKind.Ipv4 || f.kind === FdKind.Ipv6 ? (L4_NAMES[f.l4proto] ?? '<unknown>') : undefined)),
  'fd.sockfamily': () => withFd((f) => (f.kind === FdKind.Ipv4 || f.kind === FdKind.Ipv6 ? 'ip' : f.kind === FdKind.Unix ? 'unix' : undefined)),
  'fd.is_server': () => withFd((f) => f.role === SocketRole.Server),
  'fd.uid': () => (e) => {
    const t = e.state.thread;
    return t === undefined || e.state.fdInfo === undefined ? undefined : `${t.lastEventFd}${t.tid}`;
  },
  'fd.containername': () => (e) => {
    const n = fdName(e);
    return n === undefined ? undefined : `${e.state.thread?.containerId ?? ''}:${String(n)}`;
  },
  'fd.containerdirectory': () => withFd((f, e) =>
    isFileLike(f) ? `${e.state.thread?.containerId ?? ''}:${f.kind === FdKind.Directory ? f.name : dirnameOf(f.name)}` : undefined),
  'fd.proto': () => missing,
  'fd.cproto': () => missing,
  'fd.sproto': () => missing,
  'fd.lproto': () => missing,
  'fd.rproto': () => missing,
  'fd.net': () => withFd((f) => (isIp(f) ? f.sipBytes : undefined)),
  'fd.cnet': () => withFd((f) => (isIp(f) ? f.sipBytes : undefined)),
  'fd.snet': () => withFd((f) => (isIp(f) ? f.dipBytes : undefined)),
  'fd.lnet': () => withFd((f) => (isIp(f) ? (f.role === SocketRole.Server ? f.dipBytes : f.sipBytes) : undefined)),
  'fd.rnet': () => withFd((f) => (isIp(f) ? (f.role === SocketRole.Server ? f.sipBytes : f.dipBytes) : undefined)),
  // libsinsp answers for every descriptor: only a connected socket is true.
  'fd.connected': () => withFd((f) => f.isSocket && f.role !== SocketRole.None && f.name !== ''),
  'fd.name_changed': () => withFd((f, e) => f.nameChangedAt === e.num),
  'fd.dev': () => withFd((f) => (isFileLike(f) ? f.dev : undefined)),
  'fd.dev.major': () => withFd((f) => (isFileLike(f) ? (f.dev >>> 20) & 0xfff : undefined)),
  'fd.dev.minor': () => withFd((f) => (isFileLike(f) ? f.dev & 0xfffff : undefined)),
  'fd.ino': () => withFd((f) => (isFileLike(f) || f.kind === FdKind.Pipe ? f.ino : undefined)),
  'fd.nameraw': () => (e) => {
    const f = e.state.fdInfo;
    if (f !== undefined) return isFileLike(f) ? f.nameRaw : f.name;
    if (!hasFd(e) || (e.view.type & 1) === 0) return undefined;
    return creatorName(e, true) ?? '';
  },
  'fd.types': (ref) => (e) => {
    const t = e.state.thread;
    if (t === undefined) return undefined;
    if (ref.index !== undefined) {
      const f = t.fds.get(ref.index);
      return f === undefined ? undefined : [f.typeName];
    }
    const seen = new Set<string>();
    for (const [, f] of t.fds.entries()) seen.add(f.typeName);
    return [...seen];
  },
  'fd.is_upper_layer': () => withFd((f) => (isFileLike(f) ? (f.openFlags & PPM_O.FD_UPPER_LAYER) !== 0 : undefined)),
  'fd.is_lower_layer': () => withFd((f) => (isFileLike(f) ? (f.openFlags & PPM_O.FD_LOWER_LAYER) !== 0 : undefined)),
  'fdlist.nums': () => fdlistField((_f, fd) => String(fd)),
  'fdlist.names': () => fdlistField((f) => f?.name),
  'fdlist.cips': () => fdlistField((f) => (f !== undefined && isIp(f) ? f.sip : undefined)),
  'fdlist.sips': () => fdlistField((f) => (f !== undefined && isIp(f) ? f.dip : undefined)),
  'fdlist.cports': () => fdlistField((f) => (f !== undefined && isIp(f) ? String(f.sport) : undefined)),
  'fdlist.sports': () => fdlistField((f) => (f !== undefined && isIp(f) ? String(f.dport) : undefined)),
};

// ---- fs.path.* ----------------------------------------------------------------------------

/** Which parameters hold the paths of each path-taking call: [dirfd, path] pairs. */
interface PathParams {
  readonly name?: readonly [string | null, string];
  readonly source?: readonly [string | null, string];
  readonly target?: readonly [string | null, string];
}

const FS_PATHS: Record<string, PathParams> = {
  open: { name: [null, 'name'] },
  creat: { name: [null, 'name'] },
  openat: { name: ['dirfd', 'name'] },
  openat2: { name: ['dirfd', 'name'] },
  mkdir: { name: [null, 'path'] },
  mkdirat: { name: ['dirfd', 'path'] },
  rmdir: { name: [null, 'path'] },
  unlink: { name: [null, 'path'] },
  unlinkat: { name: ['dirfd', 'name'] },
  chmod: { name: [null, 'filename'] },
  fchmodat: { name: ['dirfd', 'filename'] },
  chown: { name: [null, 'path'] },
  lchown: { name: [null, 'path'] },
  fchownat: { name: ['dirfd', 'pathname'] },
  truncate: { name: [null, 'path'] },
  mount: { name: [null, 'dir'] },
  umount: { name: [null, 'name'] },
  umount2: { name: [null, 'name'] },
  rename: { source: [null, 'oldpath'], target: [null, 'newpath'] },
  renameat: { source: ['olddirfd', 'oldpath'], target: ['newdirfd', 'newpath'] },
  renameat2: { source: ['olddirfd', 'oldpath'], target: ['newdirfd', 'newpath'] },
  link: { source: [null, 'oldpath'], target: [null, 'newpath'] },
  linkat: { source: ['olddir', 'oldpath'], target: ['newdir', 'newpath'] },
  symlink: { source: [null, 'target'], target: [null, 'linkpath'] },
  symlinkat: { source: [null, 'target'], target: ['linkdirfd', 'linkpath'] },
};

function fsPath(e: SyscallEvent, which: keyof PathParams, raw: boolean): FieldValue {
  const v = e.view;
  if ((v.type & 1) === 0) return undefined;
  const spec = FS_PATHS[v.name]?.[which];
  if (spec === undefined) return undefined;
  const pi = paramIndex(v.type, spec[1]);
  if (pi < 0 || pi >= v.nparams || v.paramLength(pi) === 0) return undefined;
  const path = v.str(pi);
  if (raw) return path;
  const t = e.state.thread;
  let dir = t?.cwd ?? '/';
  if (spec[0] !== null) {
    const di = paramIndex(v.type, spec[0]);
    const dirfd = di >= 0 && di < v.nparams && v.paramLength(di) > 0 ? v.int(di, true) : AT_FDCWD;
    if (dirfd !== AT_FDCWD) dir = t?.fds.get(dirfd)?.name ?? dir;
  }
  return resolvePath(dir, path);
}

export const FSPATH_EXTRACTORS: Record<string, ExtractorFactory> = {
  'fs.path.name': () => (e) => fsPath(e, 'name', false),
  'fs.path.nameraw': () => (e) => fsPath(e, 'name', true),
  'fs.path.source': () => (e) => fsPath(e, 'source', false),
  'fs.path.sourceraw': () => (e) => fsPath(e, 'source', true),
  'fs.path.target': () => (e) => fsPath(e, 'target', false),
  'fs.path.targetraw': () => (e) => fsPath(e, 'target', true),
};
