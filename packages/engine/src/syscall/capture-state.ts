/**
 * Turns a capture's initial state (the scap reader's process, fd, user and group blocks) into the
 * seed records of `seed.ts`.
 */
import { FD_TYPE, type InitialState as CaptureState, type FdInfo as CaptureFd, type ThreadInfo as CaptureThread } from '@falco-ts/driver';
import { FdKind } from './fd-types';
import type { FdSeed, InitialState, ThreadSeed } from './seed';

const KIND_BY_SCAP_TYPE: Record<number, FdKind> = {
  [FD_TYPE.FILE]: FdKind.File,
  [FD_TYPE.FILE_V2]: FdKind.File,
  [FD_TYPE.DIRECTORY]: FdKind.Directory,
  [FD_TYPE.IPV4_SOCK]: FdKind.Ipv4,
  [FD_TYPE.IPV4_SERVSOCK]: FdKind.Ipv4,
  [FD_TYPE.IPV6_SOCK]: FdKind.Ipv6,
  [FD_TYPE.IPV6_SERVSOCK]: FdKind.Ipv6,
  [FD_TYPE.FIFO]: FdKind.Pipe,
  [FD_TYPE.UNIX_SOCK]: FdKind.Unix,
  [FD_TYPE.EVENT]: FdKind.Event,
  [FD_TYPE.SIGNALFD]: FdKind.Signal,
  [FD_TYPE.EVENTPOLL]: FdKind.Eventpoll,
  [FD_TYPE.INOTIFY]: FdKind.Inotify,
  [FD_TYPE.TIMERFD]: FdKind.Timer,
  [FD_TYPE.NETLINK]: FdKind.Netlink,
  [FD_TYPE.BPF]: FdKind.Bpf,
  [FD_TYPE.USERFAULTFD]: FdKind.Userfault,
  [FD_TYPE.IOURING]: FdKind.IoUring,
  [FD_TYPE.MEMFD]: FdKind.Memfd,
  [FD_TYPE.PIDFD]: FdKind.Pidfd,
};

/** scap_l4_proto (0 unknown, 1 not a socket, 2 TCP, 3 UDP, 4 ICMP, 5 raw) → IPPROTO number. */
const L4: Record<number, number> = { 2: 6, 3: 17, 4: 1, 5: 255 };

function fdSeed(f: CaptureFd): FdSeed {
  const kind = KIND_BY_SCAP_TYPE[f.type] ?? FdKind.Unknown;
  const base = { fd: f.fd, kind, ino: Number(f.ino), dev: f.dev ?? 0, openFlags: f.openFlags ?? 0 };
  if (f.type === FD_TYPE.IPV4_SERVSOCK || f.type === FD_TYPE.IPV6_SERVSOCK) {
    // A listening socket: only the local (server) end exists.
    const addr = f.sip ?? f.dip ?? '';
    const port = f.sport ?? f.dport ?? 0;
    return { ...base, name: f.name !== '' ? f.name : `${addr}:${port}`, l4proto: L4[f.l4proto ?? 0] ?? 0 };
  }
  if (kind === FdKind.Ipv4 || kind === FdKind.Ipv6) {
    return { ...base, sip: f.sip ?? '', sport: f.sport ?? 0, dip: f.dip ?? '', dport: f.dport ?? 0, l4proto: L4[f.l4proto ?? 0] ?? 0 };
  }
  if (kind === FdKind.Unix && f.source !== undefined) {
    return { ...base, name: f.name, unixSource: f.source.toString(16), unixDest: (f.dest ?? 0n).toString(16) };
  }
  return { ...base, name: f.name };
}

function threadSeed(t: CaptureThread): ThreadSeed {
  return {
    tid: t.tid,
    pid: t.pid,
    ptid: t.ptid,
    sid: t.sid,
    vpgid: t.vpgid,
    pgid: t.pgid,
    vtid: t.vtid >= 0 ? t.vtid : t.tid,
    vpid: t.vpid >= 0 ? t.vpid : t.pid,
    comm: t.comm,
    exe: t.exe,
    exepath: t.exepath,
    args: t.args,
    env: t.env,
    cwd: t.cwd,
    uid: t.uid,
    gid: t.gid,
    loginuid: t.loginuid,
    tty: t.tty,
    capInheritable: t.capInheritable,
    capPermitted: t.capPermitted,
    capEffective: t.capEffective,
    cgroups: t.cgroups,
    pidnsInitStartTs: t.pidnsInitStartTs,
    fdlimit: t.fdlimit,
    exeWritable: t.exeWritable,
    exeUpperLayer: t.exeUpperLayer,
    exeLowerLayer: t.exeLowerLayer,
    exeFromMemfd: t.exeFromMemfd,
    exeIno: Number(t.exeIno),
    exeInoCtime: t.exeInoCtime,
    exeInoMtime: t.exeInoMtime,
    vmsize: t.vmsizeKb,
    vmrss: t.vmrssKb,
    vmswap: t.vmswapKb,
    pfmajor: Number(t.pfmajor),
    pfminor: Number(t.pfminor),
    fds: t.fds.map(fdSeed),
  };
}

export function initialStateFromCapture(c: CaptureState): InitialState {
  return {
    threads: [...c.threads.values()].map(threadSeed),
    users: c.users.map((user) => ({ containerId: '', user })),
    groups: c.groups.map((group) => ({ containerId: '', group })),
  };
}
