/**
 * The initial state a capture carries before its events: machine, threads with their fds, users and
 * groups, network interfaces. Plain typed data the engine seeds its tables from.
 */

export interface SectionHeader {
  readonly major: number;
  readonly minor: number;
}

export interface MachineInfo {
  numCpus: number;
  memorySizeBytes: bigint;
  maxPid: bigint;
  hostname: string;
  /** Host boot time, ns since epoch (0 in captures older than 2023). */
  bootTsEpoch: bigint;
  flags: bigint;
}

/** scap_fd_type values. */
export const FD_TYPE = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21,
} as const;

export interface FdInfo {
  fd: number;
  ino: bigint;
  /** scap_fd_type (FD_TYPE). */
  type: number;
  /** File name, socket path or description, '' when the type has none. */
  name: string;
  /** SCAP_FD_FILE_V2 only. */
  openFlags?: number;
  dev?: number;
  /** Sockets: addresses in text form, ports in host order, l4proto (scap_l4_proto). */
  sip?: string;
  dip?: string;
  sport?: number;
  dport?: number;
  l4proto?: number;
  /** Unix sockets: kernel socket pointers. */
  source?: bigint;
  dest?: bigint;
}

export interface ThreadInfo {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  pgid: number;
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  cwd: string;
  fdlimit: number;
  /** PPM_CL_* clone flags. */
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfmajor: bigint;
  pfminor: bigint;
  env: string[];
  vtid: number;
  vpid: number;
  cgroups: string[];
  root: string;
  pidnsInitStartTs: bigint;
  tty: number;
  loginuid: number;
  exeWritable: boolean;
  capInheritable: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  exeIno: bigint;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
  fds: FdInfo[];
}

export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

export interface GroupInfo {
  gid: number;
  name: string;
}

export interface InterfaceInfo {
  family: 'ipv4' | 'ipv6';
  name: string;
  addr: string;
  netmask: string;
  bcast: string;
  /** 0 when the entry has no link speed (SCAP_II_*_NOLINKSPEED). */
  linkspeed: bigint;
}

export interface InitialState {
  header: SectionHeader;
  machine: MachineInfo | undefined;
  /** Threads by tid, in file order. */
  threads: Map<number, ThreadInfo>;
  users: UserInfo[];
  groups: GroupInfo[];
  interfaces: InterfaceInfo[];
}

export function emptyState(): InitialState {
  return { header: { major: 1, minor: 2 }, machine: undefined, threads: new Map(), users: [], groups: [], interfaces: [] };
}

export function newThread(tid: number): ThreadInfo {
  return {
    tid,
    pid: tid,
    ptid: 0,
    sid: -1,
    vpgid: -1,
    pgid: -1,
    comm: '',
    exe: '',
    exepath: '',
    args: [],
    cwd: '',
    fdlimit: 0,
    flags: 0,
    uid: 0,
    gid: 0,
    vmsizeKb: 0,
    vmrssKb: 0,
    vmswapKb: 0,
    pfmajor: 0n,
    pfminor: 0n,
    env: [],
    vtid: -1,
    vpid: -1,
    cgroups: [],
    root: '',
    pidnsInitStartTs: 0n,
    tty: 0,
    loginuid: 0xffffffff,
    exeWritable: false,
    capInheritable: 0n,
    capPermitted: 0n,
    capEffective: 0n,
    exeUpperLayer: false,
    exeLowerLayer: false,
    exeFromMemfd: false,
    exeIno: 0n,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
    fds: [],
  };
}
