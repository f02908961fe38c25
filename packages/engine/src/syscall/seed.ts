/**
 * Seeding the tables with what existed before the first event: a capture's process, fd, user and
 * group blocks on replay, or a scan of /proc when a live capture starts. Both sources are turned
 * into these plain records first, so the tables are filled the same way in both cases.
 */
import { FdInfo, SocketRole } from './fd-table';
import { FdKind } from './fd-types';
import { normalizePath } from './paths';
import type { SyscallState } from './state';
import type { GroupInfo, UserInfo } from './users';

export interface FdSeed {
  readonly fd: number;
  readonly kind: FdKind;
  /** Path for files; for sockets the tuple fields below are used and the name is derived. */
  readonly name?: string;
  readonly openFlags?: number;
  readonly dev?: number;
  readonly ino?: number;
  readonly sip?: string;
  readonly sport?: number;
  readonly dip?: string;
  readonly dport?: number;
  readonly l4proto?: number;
  /** For unix sockets: kernel endpoint addresses (hex) and path. */
  readonly unixSource?: string;
  readonly unixDest?: string;
}

export interface ThreadSeed {
  readonly tid: number;
  readonly pid: number;
  readonly ptid: number;
  readonly sid?: number;
  readonly vpgid?: number;
  readonly pgid?: number;
  readonly vtid?: number;
  readonly vpid?: number;
  readonly comm: string;
  readonly exe: string;
  readonly exepath?: string;
  readonly args: readonly string[];
  readonly env?: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly loginuid?: number;
  readonly tty?: number;
  readonly capInheritable?: bigint;
  readonly capPermitted?: bigint;
  readonly capEffective?: bigint;
  readonly cgroups?: readonly string[];
  readonly startTs?: bigint;
  readonly pidnsInitStartTs?: bigint;
  readonly fdlimit?: number;
  readonly exeWritable?: boolean;
  readonly exeUpperLayer?: boolean;
  readonly exeLowerLayer?: boolean;
  readonly exeFromMemfd?: boolean;
  readonly exeIno?: number;
  readonly exeInoCtime?: bigint;
  readonly exeInoMtime?: bigint;
  readonly vmsize?: number;
  readonly vmrss?: number;
  readonly vmswap?: number;
  readonly pfmajor?: number;
  readonly pfminor?: number;
  /** Descriptors of the process (give them on the main thread). */
  readonly fds?: readonly FdSeed[];
}

export interface InitialState {
  readonly threads: readonly ThreadSeed[];
  /** Users and groups per container id ('' = host). */
  readonly users?: ReadonlyArray<{ containerId: string; user: UserInfo }>;
  readonly groups?: ReadonlyArray<{ containerId: string; group: GroupInfo }>;
}

export function fdInfoFromSeed(s: FdSeed): FdInfo {
  const f = new FdInfo();
  f.kind = s.kind;
  f.openFlags = s.openFlags ?? 0;
  f.dev = s.dev ?? 0;
  f.ino = s.ino ?? 0;
  f.l4proto = s.l4proto ?? 0;
  if ((s.kind === FdKind.Ipv4 || s.kind === FdKind.Ipv6) && s.sip !== undefined && s.sip !== '') {
    f.sip = s.sip;
    f.sport = s.sport ?? 0;
    f.dip = s.dip ?? '';
    f.dport = s.dport ?? 0;
    f.name = `${f.sip}:${f.sport}->${f.dip}:${f.dport}`;
    f.role = SocketRole.None;
  } else if (s.kind === FdKind.Unix && s.unixSource !== undefined) {
    f.unixSource = s.unixSource;
    f.unixDest = s.unixDest ?? '0';
    f.name = `${f.unixSource}->${f.unixDest} ${s.name ?? ''}`;
  } else {
    f.name = s.kind === FdKind.File || s.kind === FdKind.Directory ? normalizeIfAbsolute(s.name ?? '') : (s.name ?? '');
  }
  f.nameRaw = s.name ?? '';
  return f;
}

function normalizeIfAbsolute(p: string): string {
  return p.startsWith('/') ? normalizePath(p) : p;
}

/** Fills the tables from an initial state. Threads beyond the table bound are counted as dropped. */
export function seedState(state: SyscallState, init: InitialState): void {
  for (const u of init.users ?? []) state.users.addUser(u.containerId, u.user);
  for (const g of init.groups ?? []) state.users.addGroup(g.containerId, g.group);
  // Main threads first, so that other threads share their process's fd table.
  const ordered = [...init.threads].sort((a, b) => Number(b.tid === b.pid) - Number(a.tid === a.pid));
  for (const s of ordered) {
    const t = state.threads.create(s.tid, s.pid);
    if (t === undefined) continue;
    t.sid = s.sid ?? -1;
    t.vpgid = s.vpgid ?? -1;
    t.pgid = s.pgid ?? t.vpgid;
    t.vtid = s.vtid ?? s.tid;
    t.vpid = s.vpid ?? s.pid;
    t.comm = s.comm;
    t.exe = s.exe;
    t.exepath = s.exepath ?? '';
    t.args = [...s.args];
    t.env = [...(s.env ?? [])];
    t.cwd = s.cwd === '' || s.cwd.endsWith('/') ? s.cwd : `${s.cwd}/`;
    t.uid = s.uid;
    t.gid = s.gid;
    t.loginuid = s.loginuid ?? 0xffffffff;
    t.tty = s.tty ?? 0;
    t.capInheritable = s.capInheritable ?? 0n;
    t.capPermitted = s.capPermitted ?? 0n;
    t.capEffective = s.capEffective ?? 0n;
    t.startTs = s.startTs ?? 0n;
    t.pidnsInitStartTs = s.pidnsInitStartTs ?? 0n;
    t.fdlimit = s.fdlimit ?? 0;
    t.exeWritable = s.exeWritable ?? false;
    t.exeUpperLayer = s.exeUpperLayer ?? false;
    t.exeLowerLayer = s.exeLowerLayer ?? false;
    t.exeFromMemfd = s.exeFromMemfd ?? false;
    t.exeIno = s.exeIno ?? 0;
    t.exeInoCtime = s.exeInoCtime ?? 0n;
    t.exeInoMtime = s.exeInoMtime ?? 0n;
    t.vmsize = s.vmsize ?? 0;
    t.vmrss = s.vmrss ?? 0;
    t.vmswap = s.vmswap ?? 0;
    t.pfmajor = s.pfmajor ?? 0;
    t.pfminor = s.pfminor ?? 0;
    state.setCgroups(t, [...(s.cgroups ?? [])]);
    for (const fd of s.fds ?? []) t.fds.add(fd.fd, fdInfoFromSeed(fd));
  }
  // Parent links once every thread exists.
  for (const s of init.threads) {
    const t = state.threads.get(s.tid);
    if (t !== undefined) state.threads.setParent(t, s.ptid);
  }
}
