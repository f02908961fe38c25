/**
 * The syscall state machine: applies each event to the thread and fd tables before rules look at
 * it, the way libsinsp's parsers do for Falco 0.42. Deferred removals (a closed descriptor, an
 * exited thread) take effect at the next event, so the closing or exiting event itself still sees
 * what it closed.
 */
import { EF, EVENT_TABLE, decodeSocktuple, decodeSockaddr, type EventView } from '@falco-ts/driver';
import { containerFromCgroups, type CgroupContainer } from './cgroups';
import { SCHED_INTERNAL, SCHED_KIND, SCHED_SWITCH, SchedAccounting } from './sched';
import { FdInfo, SocketRole } from './fd-table';
import { AT_FDCWD, FdKind, PPM_CL, PPM_EXE, PPM_O } from './fd-types';
import { NO_CONTAINER_METADATA, type ContainerMetadataProvider } from './metadata';
import type { NetworkPolicyProvider } from './netpol';
import { bigParam, bytesParam, hasParam, intParam, nulList, paramIndex, strParam } from './params';
import { basenameOf, resolvePath } from './paths';
import type { ThreadInfo} from './thread-table';
import { DEFAULT_LIMITS, ThreadTable, type ThreadTableLimits } from './thread-table';
import { UserTable } from './users';

const EINPROGRESS = -115;
const PPM_AF_UNIX = 1;
const PPM_AF_INET = 2;
const PPM_AF_INET6 = 10;
const PPM_AF_NETLINK = 16;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_RAW = 255;
const PPM_FCNTL_F_DUPFD = 1;
const PPM_FCNTL_F_DUPFD_CLOEXEC = 26;
const PR_SET_NAME = 15;
const PT_FD = 14;
const PROCINFO = EVENT_TABLE.findIndex((e) => e.name === 'procinfo');

type Handler = (s: SyscallState, v: EventView, t: ThreadInfo) => void;

export interface SyscallStateOptions {
  readonly limits?: ThreadTableLimits;
  readonly metadata?: ContainerMetadataProvider;
  /** NetworkPolicy verdicts of new flows, for the netpol.* fields; without one they read as missing. */
  readonly networkPolicy?: NetworkPolicyProvider;
  /** Live mode: users of a newly seen container are read from /proc/PID/root/etc. */
  readonly readContainerUsers?: boolean;
  /** Live mode: keeps idle threads that still exist from being purged. */
  readonly threadStillAlive?: (tid: number) => boolean;
}

export class SyscallState {
  readonly threads: ThreadTable;
  readonly users = new UserTable();
  metadata: ContainerMetadataProvider;
  networkPolicy: NetworkPolicyProvider | undefined;
  /** Containers seen so far (short id → what the cgroups said). */
  readonly containers = new Map<string, CgroupContainer>();
  /** The thread of the current event, or undefined when it could not be tracked. */
  thread: ThreadInfo | undefined;
  /** The fd entry the current event refers to, when known. */
  fdInfo: FdInfo | undefined;
  /** Sequence number of the current event (`evt.num`), starting at 1. */
  eventNum = 0;
  /** CPU accounting of the scheduler events (per-CPU switch times, per-thread procinfo samples). */
  readonly sched = new SchedAccounting();
  private pendingFdRemoval: { t: ThreadInfo; fd: number; info: FdInfo } | undefined;
  private pendingExit: { tid: number; reaper: number } | undefined;
  /** Read a new container's users from its /etc through /proc/PID/root (live capture). */
  readContainerUsers: boolean;
  /** The proc filesystem those users are read through: the host's `/proc`, or `$HOST_ROOT/proc`. */
  procRoot = '/proc';
  /** Keeps idle threads that still exist from being purged (live capture). */
  threadStillAlive: ((tid: number) => boolean) | undefined;

  constructor(options: SyscallStateOptions = {}) {
    this.readContainerUsers = options.readContainerUsers ?? false;
    this.threadStillAlive = options.threadStillAlive;
    this.threads = new ThreadTable(options.limits ?? DEFAULT_LIMITS);
    this.metadata = options.metadata ?? NO_CONTAINER_METADATA;
    this.networkPolicy = options.networkPolicy;
  }

  /** Applies one event. Afterwards `thread` and `fdInfo` describe it for field extraction. */
  process(v: EventView): void {
    this.eventNum++;
    this.flushDeferred();
    const now = v.tsHigh * 4294967296 + v.tsLow;
    this.threads.maybePurge(now, this.threadStillAlive);
    const type = v.type;
    const info = EVENT_TABLE[type];
    // Scheduler and internal events take a detour (one typed-array read for all others).
    const sched = SCHED_KIND[type] ?? 0;
    const execTime = (sched & SCHED_SWITCH) !== 0 ? this.sched.onSwitch(v, this.eventNum) : 0n;
    if ((sched & SCHED_INTERNAL) !== 0) {
      this.internalEvent(v, type === PROCINFO);
      return;
    }
    let t = this.threads.get(v.tid);
    if (t === undefined) t = this.unknownThread(v.tid);
    this.thread = t;
    this.fdInfo = undefined;
    if (t === undefined) return;
    t.lastSeen = now;
    t.lastEventFd = -1;
    if (sched !== 0) t.totExecTime += execTime;
    if (info === undefined) return;

    // Which descriptor the event is about (fd.* fields).
    if ((info.flags & (EF.USES_FD | EF.CREATES_FD)) !== 0) this.selectFd(v, t, info.flags);

    const h = HANDLERS[type];
    if (h !== undefined) h(this, v, t);
  }

  /**
   * Scheduler and internal events (procinfo, the old switch layout, drops, …) are not parsed as
   * syscalls: libsinsp gives procinfo the thread it already knows (never creating one) and the
   * others no thread at all, and none of them changes the tables.
   */
  private internalEvent(v: EventView, procinfo: boolean): void {
    this.fdInfo = undefined;
    this.thread = procinfo ? this.threads.get(v.tid) : undefined;
    if (this.thread !== undefined) this.sched.sampleCpu(v, this.thread, this.eventNum);
  }

  /** A thread the tables have never seen: tracked from now on with what little is known. */
  private unknownThread(tid: number): ThreadInfo | undefined {
    if (tid <= 0) return undefined;
    const t = this.threads.create(tid, tid);
    if (t === undefined) return undefined;
    // What libsinsp knows of a thread it never saw start: its id, and placeholders.
    t.incomplete = true;
    t.comm = '<NA>';
    t.exe = '<NA>';
    t.cwd = '';
    return t;
  }

  private selectFd(v: EventView, t: ThreadInfo, flags: number): void {
    let fd: number;
    if ((v.type & 1) === 1 && (flags & EF.CREATES_FD) !== 0) {
      // Creating calls report the new descriptor as their first parameter when it has the fd type
      // (open, socket, dup, eventfd, ...); others (pipe, socketpair) set it in their handler.
      const p0 = EVENT_TABLE[v.type]?.params[0];
      fd = p0 !== undefined && p0[1] === PT_FD && v.nparams > 0 && v.paramLength(0) > 0 ? v.int(0) : -1;
      // A failed creation names no descriptor: libsinsp's parsers set it only on success.
      if (fd < 0) fd = -1;
    } else {
      fd = intParam(v, 'fd', -1);
    }
    t.lastEventFd = fd;
    if (fd >= 0) this.fdInfo = t.fds.get(fd);
  }

  private flushDeferred(): void {
    const f = this.pendingFdRemoval;
    if (f !== undefined) {
      this.pendingFdRemoval = undefined;
      if (f.t.fds.get(f.fd) === f.info) f.t.fds.remove(f.fd);
    }
    const x = this.pendingExit;
    if (x !== undefined) {
      this.pendingExit = undefined;
      this.threads.remove(x.tid, x.reaper);
    }
  }

  deferFdRemoval(t: ThreadInfo, fd: number): void {
    const info = t.fds.get(fd);
    if (info !== undefined) this.pendingFdRemoval = { t, fd, info };
  }

  deferExit(tid: number, reaper: number): void {
    this.pendingExit = { tid, reaper };
  }

  /** Sets the cgroups of a thread and the container they name. */
  setCgroups(t: ThreadInfo, cgroups: string[]): void {
    t.cgroups = cgroups;
    const c = containerFromCgroups(cgroups);
    t.containerId = c?.id ?? '';
    if (c !== undefined && !this.containers.has(c.id)) {
      this.containers.set(c.id, c);
      this.metadata.onContainerSeen?.({ id: c.id, fullId: c.fullId, runtime: c.runtime, pid: t.pid });
      if (this.readContainerUsers && !this.users.hasContainer(c.id)) {
        this.users.loadFromRoot(c.id, `${this.procRoot}/${t.pid}/root`);
      }
    }
  }

  /** The fd table entry for a new descriptor of `t`, replacing any stale one. */
  addFd(t: ThreadInfo, fd: number, kind: FdKind, name: string): FdInfo | undefined {
    const info = new FdInfo();
    info.kind = kind;
    info.name = name;
    // A new entry's previous name is empty: naming it is a change (libsinsp compares the name after
    // parsing with the one before).
    if (name !== '') info.nameChangedAt = this.eventNum;
    return t.fds.add(fd, info);
  }
}

// ---------------------------------------------------------------------------------------------
// Process lifecycle

function handleClone(s: SyscallState, v: EventView, caller: ThreadInfo): void {
  const res = intParam(v, 'res', -1);
  if (res < 0) return;
  const flags = intParam(v, 'flags', 0);
  const ts = v.ts;
  if (res === 0) {
    // The child's own event: its parameters describe the child authoritatively.
    const tid = v.tid;
    const pid = intParam(v, 'pid', tid);
    const ptid = intParam(v, 'ptid', -1);
    let child = s.threads.get(tid);
    if (child === undefined || child.incomplete) {
      if (child !== undefined) s.threads.remove(tid);
      child = s.threads.create(tid, pid);
      if (child === undefined) return;
      const parent = s.threads.get(ptid);
      if (parent !== undefined) {
        child.inheritFrom(parent);
        if ((flags & PPM_CL.CLONE_THREAD) === 0) child.fds = parent.fds.clone();
      }
      child.startTs = ts;
    }
    child.pid = pid;
    s.threads.setParent(child, ptid);
    fillFromCloneParams(s, v, child, flags);
    s.thread = child;
    return;
  }
  // The caller's event: create the child from the caller unless the child's own event came first.
  // Inside a pid namespace `res` is a namespace-local id, so only the child's event can be trusted.
  if (caller.incomplete || s.threads.get(res) !== undefined) return;
  if (caller.vpid > 0 && caller.vpid !== caller.pid) return;
  if ((flags & PPM_CL.CHILD_IN_PIDNS) !== 0) return;
  const isThread = (flags & PPM_CL.CLONE_THREAD) !== 0;
  const child = s.threads.create(res, isThread ? caller.pid : res);
  if (child === undefined) return;
  child.inheritFrom(caller);
  if (!isThread) child.fds = caller.fds.clone();
  child.startTs = ts;
  const ptid = isThread || (flags & PPM_CL.CLONE_PARENT) !== 0 ? caller.ptid : caller.pid;
  s.threads.setParent(child, ptid);
  child.cloneFlags = flags;
  child.vtid = res;
  child.vpid = isThread ? caller.vpid : res;
}

function fillFromCloneParams(s: SyscallState, v: EventView, t: ThreadInfo, flags: number): void {
  const exe = strParam(v, 'exe');
  if (exe !== '') t.exe = exe;
  if (hasParam(v, 'args')) t.args = nulList(bytesParam(v, 'args'));
  const comm = strParam(v, 'comm');
  if (comm !== '') t.comm = comm;
  const cwd = strParam(v, 'cwd');
  if (cwd !== '') t.cwd = cwd.endsWith('/') ? cwd : `${cwd}/`;
  if (hasParam(v, 'cgroups')) s.setCgroups(t, nulList(bytesParam(v, 'cgroups')));
  t.fdlimit = intParam(v, 'fdlimit', t.fdlimit);
  t.pfmajor = intParam(v, 'pgft_maj', t.pfmajor);
  t.pfminor = intParam(v, 'pgft_min', t.pfminor);
  t.vmsize = intParam(v, 'vm_size', t.vmsize);
  t.vmrss = intParam(v, 'vm_rss', t.vmrss);
  t.vmswap = intParam(v, 'vm_swap', t.vmswap);
  t.uid = intParam(v, 'uid', t.uid);
  t.gid = intParam(v, 'gid', t.gid);
  t.vtid = intParam(v, 'vtid', t.vtid);
  t.vpid = intParam(v, 'vpid', t.vpid);
  t.pidnsInitStartTs = bigParam(v, 'pidns_init_start_ts', t.pidnsInitStartTs);
  t.cloneFlags = flags;
  t.incomplete = false;
}

function handleExecve(s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const pid = intParam(v, 'pid', t.pid);
  if (pid !== t.pid && pid > 0) t.pid = pid;
  const ptid = intParam(v, 'ptid', -1);
  if (ptid > 0) s.threads.setParent(t, ptid);
  const exe = strParam(v, 'exe');
  t.exe = exe;
  t.args = nulList(bytesParam(v, 'args'));
  const comm = strParam(v, 'comm');
  if (comm !== '') t.comm = comm;
  else if (exe !== '') t.comm = basenameOf(exe).slice(0, 15);
  // execve does not change the working directory, so its cwd parameter is not used.
  if (hasParam(v, 'cgroups')) s.setCgroups(t, nulList(bytesParam(v, 'cgroups')));
  if (hasParam(v, 'env')) t.env = nulList(bytesParam(v, 'env'));
  t.fdlimit = intParam(v, 'fdlimit', t.fdlimit);
  t.pfmajor = intParam(v, 'pgft_maj', t.pfmajor);
  t.pfminor = intParam(v, 'pgft_min', t.pfminor);
  t.vmsize = intParam(v, 'vm_size', t.vmsize);
  t.vmrss = intParam(v, 'vm_rss', t.vmrss);
  t.vmswap = intParam(v, 'vm_swap', t.vmswap);
  t.tty = intParam(v, 'tty', t.tty);
  t.vpgid = intParam(v, 'vpgid', t.vpgid);
  t.pgid = intParam(v, 'pgid', t.pgid);
  t.loginuid = intParam(v, 'loginuid', t.loginuid);
  if (hasParam(v, 'flags')) {
    const f = intParam(v, 'flags', 0);
    t.exeWritable = (f & PPM_EXE.WRITABLE) !== 0;
    t.exeUpperLayer = (f & PPM_EXE.UPPER_LAYER) !== 0;
    t.exeLowerLayer = (f & PPM_EXE.LOWER_LAYER) !== 0;
    t.exeFromMemfd = (f & PPM_EXE.FROM_MEMFD) !== 0;
  }
  t.capInheritable = bigParam(v, 'cap_inheritable', t.capInheritable);
  t.capPermitted = bigParam(v, 'cap_permitted', t.capPermitted);
  t.capEffective = bigParam(v, 'cap_effective', t.capEffective);
  t.exeIno = intParam(v, 'exe_ino', t.exeIno);
  t.exeInoCtime = bigParam(v, 'exe_ino_ctime', t.exeInoCtime);
  t.exeInoMtime = bigParam(v, 'exe_ino_mtime', t.exeInoMtime);
  t.uid = intParam(v, 'uid', t.uid);
  t.gid = intParam(v, 'gid', t.gid);
  // The executable's path: the kernel's resolved path when the driver sent it, else the filename
  // passed to execve made absolute against the cwd, else argv[0].
  const trusted = strParam(v, 'trusted_exepath');
  const filename = strParam(v, 'filename');
  if (trusted !== '') t.exepath = trusted;
  else if (filename !== '') t.exepath = resolvePath(t.cwd, filename);
  else t.exepath = '';
  t.incomplete = false;
  t.fds.closeOnExec();
}

function handleExit(s: SyscallState, v: EventView, t: ThreadInfo): void {
  s.deferExit(t.tid, intParam(v, 'reaper_tid', -1));
}

// ---------------------------------------------------------------------------------------------
// Descriptors

function openKind(flags: number): FdKind {
  return (flags & PPM_O.DIRECTORY) !== 0 ? FdKind.Directory : FdKind.File;
}

/** The directory a dirfd-relative path is relative to. */
function dirOf(t: ThreadInfo, dirfd: number): string {
  if (dirfd === AT_FDCWD) return t.cwd;
  const d = t.fds.get(dirfd);
  return d !== undefined && d.name !== '' ? d.name : t.cwd;
}

function handleOpen(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const fd = paramIndex(v.type, 'fd') === 0 ? intParam(v, 'fd', -1) : intParam(v, 'res', -1);
  if (fd < 0) return;
  const raw = strParam(v, 'name') || strParam(v, 'path');
  const dirfd = intParam(v, 'dirfd', AT_FDCWD);
  const flags = intParam(v, 'flags', 0);
  const name = v.name === 'open_by_handle_at' ? raw : resolvePath(dirOf(t, dirfd), raw);
  const info = s.addFd(t, fd, openKind(flags), name);
  if (info === undefined) return;
  info.nameRaw = raw;
  info.openFlags = flags;
  info.cloexec = (flags & PPM_O.CLOEXEC) !== 0;
  info.dev = intParam(v, 'dev', 0);
  info.ino = intParam(v, 'ino', 0);
  s.fdInfo = info;
}

function handleClose(s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const fd = intParam(v, 'fd', -1);
  if (fd >= 0) s.deferFdRemoval(t, fd);
}

function handleDup(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const res = intParam(v, 'res', -1);
  if (res < 0) return;
  const oldfd = intParam(v, 'oldfd', intParam(v, 'fd', -1));
  if (v.name === 'fcntl') {
    const cmd = intParam(v, 'cmd', 0);
    if (cmd !== PPM_FCNTL_F_DUPFD && cmd !== PPM_FCNTL_F_DUPFD_CLOEXEC) return;
  }
  const src = t.fds.get(oldfd);
  if (src === undefined || oldfd === res) return;
  const copy = new FdInfo().copyFrom(src);
  copy.cloexec = v.name === 'dup3' ? (intParam(v, 'flags', 0) & PPM_O.CLOEXEC) !== 0 : false;
  if (t.fds.add(res, copy) !== undefined) {
    t.lastEventFd = res;
    s.fdInfo = copy;
  }
}

function l4protoOf(type: number, proto: number): number {
  switch (type & 0xf) {
    case SOCK_STREAM:
      return IPPROTO_TCP;
    case SOCK_DGRAM:
      return IPPROTO_UDP;
    case SOCK_RAW:
      return proto === IPPROTO_ICMP ? IPPROTO_ICMP : IPPROTO_RAW;
    default:
      return proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_ICMP ? proto : 0;
  }
}

function socketKind(domain: number): FdKind {
  switch (domain) {
    case PPM_AF_INET:
      return FdKind.Ipv4;
    case PPM_AF_INET6:
      return FdKind.Ipv6;
    case PPM_AF_UNIX:
      return FdKind.Unix;
    case PPM_AF_NETLINK:
      return FdKind.Netlink;
    default:
      return FdKind.Unknown;
  }
}

function handleSocket(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const fd = intParam(v, 'fd', -1);
  if (fd < 0) return;
  const info = s.addFd(t, fd, socketKind(intParam(v, 'domain', 0)), '');
  if (info === undefined) return;
  info.l4proto = l4protoOf(intParam(v, 'type', 0), intParam(v, 'proto', 0));
  s.fdInfo = info;
}

function handleSocketpair(s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) < 0) return;
  const kind = socketKind(intParam(v, 'domain', PPM_AF_UNIX));
  const l4 = l4protoOf(intParam(v, 'type', 0), intParam(v, 'proto', 0));
  for (const p of ['fd1', 'fd2']) {
    const fd = intParam(v, p, -1);
    if (fd < 0) continue;
    const info = s.addFd(t, fd, kind, '');
    if (info !== undefined) info.l4proto = l4;
  }
}

/** Applies a socket tuple from the kernel (always client → server as the driver reports it). */
function applyTuple(info: FdInfo, bytes: Uint8Array | undefined, role: SocketRole, eventNum: number): boolean {
  if (bytes === undefined) return false;
  const tuple = decodeSocktuple(bytes);
  if (tuple === null) return false;
  let name: string;
  if (tuple.family === 'inet' || tuple.family === 'inet6') {
    if (info.kind !== FdKind.Ipv4 && info.kind !== FdKind.Ipv6) info.kind = tuple.family === 'inet' ? FdKind.Ipv4 : FdKind.Ipv6;
    info.sip = tuple.sip;
    info.sport = tuple.sport;
    info.dip = tuple.dip;
    info.dport = tuple.dport;
    name = tupleName(tuple.sip, tuple.sport, tuple.dip, tuple.dport);
  } else if (tuple.family === 'unix') {
    info.kind = FdKind.Unix;
    info.unixSource = tuple.source.toString(16);
    info.unixDest = tuple.dest.toString(16);
    name = `${info.unixSource}->${info.unixDest} ${tuple.path}`;
  } else {
    return false;
  }
  if (role !== SocketRole.None) info.role = role;
  if (info.name !== name) {
    if (info.name !== '') info.nameChangedAt = eventNum;
    info.tupleSetAt = eventNum;
    info.name = name;
    return true;
  }
  return false;
}

/** `fd.name` of an IP socket: `cip:cport->sip:sport` (IPv6 addresses printed bare, as libsinsp does). */
export function tupleName(sip: string, sport: number, dip: string, dport: number): string {
  return `${sip}:${sport}->${dip}:${dport}`;
}

function socketFor(s: SyscallState, t: ThreadInfo, fd: number, kind: FdKind): FdInfo | undefined {
  const existing = t.fds.get(fd);
  if (existing !== undefined) return existing;
  return s.addFd(t, fd, kind, '');
}

function handleConnect(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const res = intParam(v, 'res', -1);
  if (res < 0 && res !== EINPROGRESS) return;
  const fd = intParam(v, 'fd', -1);
  if (fd < 0) return;
  const info = socketFor(s, t, fd, FdKind.Ipv4);
  if (info === undefined) return;
  applyTuple(info, bytesParam(v, 'tuple'), SocketRole.Client, s.eventNum);
  s.fdInfo = info;
}

function handleAccept(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const fd = intParam(v, 'fd', -1);
  if (fd < 0) return;
  const info = s.addFd(t, fd, FdKind.Ipv4, '');
  if (info === undefined) return;
  info.l4proto = IPPROTO_TCP;
  applyTuple(info, bytesParam(v, 'tuple'), SocketRole.Server, s.eventNum);
  s.fdInfo = info;
}

function handleBind(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const fd = intParam(v, 'fd', -1);
  const info = fd >= 0 ? t.fds.get(fd) : undefined;
  const b = bytesParam(v, 'addr');
  if (info === undefined || b === undefined) return;
  const addr = decodeSockaddr(b);
  if (addr === null) return;
  if (addr.family === 'unix') {
    info.kind = FdKind.Unix;
    info.name = addr.path;
  } else if (addr.family === 'inet' || addr.family === 'inet6') {
    // A bound, not yet connected socket: remember the server end.
    info.dip = addr.addr;
    info.dport = addr.port;
    info.role = SocketRole.Server;
  }
}

/**
 * Datagram I/O carries the peer: UDP sockets get (or change) their tuple here. Only descriptors
 * already known as UDP sockets are updated, as libsinsp does; others keep what they had.
 */
function handleSocketIo(s: SyscallState, v: EventView, t: ThreadInfo): void {
  const fd = intParam(v, 'fd', -1);
  if (fd < 0 || intParam(v, 'res', -1) < 0) return;
  const info = t.fds.get(fd);
  if (info === undefined || info.l4proto !== IPPROTO_UDP || (info.kind !== FdKind.Ipv4 && info.kind !== FdKind.Ipv6)) return;
  const b = bytesParam(v, 'tuple');
  if (b === undefined) return;
  const role = info.role !== SocketRole.None ? info.role : v.name.startsWith('send') ? SocketRole.Client : SocketRole.Server;
  applyTuple(info, b, role, s.eventNum);
}

function handlePipe(s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) < 0) return;
  const ino = intParam(v, 'ino', 0);
  const flags = intParam(v, 'flags', 0);
  for (const p of ['fd1', 'fd2']) {
    const fd = intParam(v, p, -1);
    if (fd < 0) continue;
    const info = s.addFd(t, fd, FdKind.Pipe, '');
    if (info === undefined) continue;
    info.ino = ino;
    info.cloexec = (flags & PPM_O.CLOEXEC) !== 0;
  }
}

/** Calls that return a new descriptor of one kind in `res` or `fd`. */
function simpleCreator(kind: FdKind, nameOf?: (v: EventView) => string): Handler {
  return (s, v, t) => {
    const fd = paramIndex(v.type, 'fd') === 0 ? intParam(v, 'fd', -1) : intParam(v, 'res', -1);
    if (fd < 0) return;
    const info = s.addFd(t, fd, kind, nameOf !== undefined ? nameOf(v) : '');
    if (info !== undefined) {
      t.lastEventFd = fd;
      s.fdInfo = info;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Working directory, credentials, sessions

function handleChdir(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const path = strParam(v, 'path');
  if (path === '') return;
  const dir = resolvePath(t.cwd, path);
  t.cwd = dir.endsWith('/') ? dir : `${dir}/`;
}

function handleFchdir(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const d = t.fds.get(intParam(v, 'fd', -1));
  if (d === undefined || d.name === '') return;
  t.cwd = d.name.endsWith('/') ? d.name : `${d.name}/`;
}

const UNCHANGED = 0xffffffff;

function handleSetuid(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  // Falco's user.uid is the effective uid.
  const euid = hasParam(v, 'euid') ? intParam(v, 'euid', UNCHANGED) : intParam(v, 'uid', UNCHANGED);
  if (euid !== UNCHANGED && euid !== -1) t.uid = euid;
}

function handleSetgid(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const egid = hasParam(v, 'egid') ? intParam(v, 'egid', UNCHANGED) : intParam(v, 'gid', UNCHANGED);
  if (egid !== UNCHANGED && egid !== -1) t.gid = egid;
}

function handleCapset(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  t.capInheritable = bigParam(v, 'cap_inheritable', t.capInheritable);
  t.capPermitted = bigParam(v, 'cap_permitted', t.capPermitted);
  t.capEffective = bigParam(v, 'cap_effective', t.capEffective);
}

function handleSetsid(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  const res = intParam(v, 'res', -1);
  if (res < 0) return;
  t.sid = res;
  t.vpgid = res;
}

function handleSetpgid(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0) return;
  const pid = intParam(v, 'pid', 0);
  if (pid !== 0 && pid !== t.pid && pid !== t.vpid) return;
  const pgid = intParam(v, 'pgid', 0);
  t.vpgid = pgid === 0 ? (t.vpid > 0 ? t.vpid : t.pid) : pgid;
}

function handlePrctl(_s: SyscallState, v: EventView, t: ThreadInfo): void {
  if (intParam(v, 'res', -1) !== 0 || intParam(v, 'option', 0) !== PR_SET_NAME) return;
  const name = strParam(v, 'arg2_str');
  if (name !== '') t.comm = name;
}

// ---------------------------------------------------------------------------------------------

const BY_NAME: Record<string, Handler> = {
  clone: handleClone,
  clone3: handleClone,
  fork: handleClone,
  vfork: handleClone,
  execve: handleExecve,
  execveat: handleExecve,
  procexit: handleExit,
  open: handleOpen,
  openat: handleOpen,
  openat2: handleOpen,
  creat: handleOpen,
  open_by_handle_at: handleOpen,
  close: handleClose,
  dup: handleDup,
  dup2: handleDup,
  dup3: handleDup,
  fcntl: handleDup,
  socket: handleSocket,
  socketpair: handleSocketpair,
  connect: handleConnect,
  accept: handleAccept,
  accept4: handleAccept,
  bind: handleBind,
  sendto: handleSocketIo,
  sendmsg: handleSocketIo,
  recvfrom: handleSocketIo,
  recvmsg: handleSocketIo,
  pipe: handlePipe,
  pipe2: handlePipe,
  eventfd: simpleCreator(FdKind.Event),
  eventfd2: simpleCreator(FdKind.Event),
  signalfd: simpleCreator(FdKind.Signal),
  signalfd4: simpleCreator(FdKind.Signal),
  timerfd_create: simpleCreator(FdKind.Timer),
  inotify_init: simpleCreator(FdKind.Inotify),
  inotify_init1: simpleCreator(FdKind.Inotify),
  epoll_create: simpleCreator(FdKind.Eventpoll),
  epoll_create1: simpleCreator(FdKind.Eventpoll),
  userfaultfd: simpleCreator(FdKind.Userfault),
  io_uring_setup: simpleCreator(FdKind.IoUring),
  bpf: simpleCreator(FdKind.Bpf),
  memfd_create: simpleCreator(FdKind.Memfd, (v) => `memfd:${strParam(v, 'name')}`),
  pidfd_open: simpleCreator(FdKind.Pidfd),
  chdir: handleChdir,
  fchdir: handleFchdir,
  setuid: handleSetuid,
  setresuid: handleSetuid,
  setreuid: handleSetuid,
  setgid: handleSetgid,
  setresgid: handleSetgid,
  setregid: handleSetgid,
  capset: handleCapset,
  setsid: handleSetsid,
  setpgid: handleSetpgid,
  prctl: handlePrctl,
};

/**
 * Handlers indexed by event type (all layout versions of each call). State changes are applied on
 * exit events, which carry the result; procexit exists only as an enter event.
 */
const HANDLERS: Array<Handler | undefined> = EVENT_TABLE.map((e) =>
  (e.dir === 'exit' || e.name === 'procexit') && Object.prototype.hasOwnProperty.call(BY_NAME, e.name) ? BY_NAME[e.name] : undefined,
);
