/**
 * Per-process file descriptor tables. Threads of one process share the table of its main thread
 * (as the kernel shares `files_struct` between CLONE_FILES threads). Tables are bounded: a process
 * cannot hold more entries than `maxFdsPerProcess`, beyond which new descriptors are not tracked.
 */
import { FdKind, fdTypeChar, fdTypeName, isSocketKind } from './fd-types';

/** Which end of a connection the owning process is. */
export const enum SocketRole {
  None = 0,
  Client = 1,
  Server = 2,
}

export class FdInfo {
  kind: FdKind = FdKind.Unknown;
  /** `fd.name`: absolute path for files, tuple text for sockets, '' when unknown. */
  name = '';
  /** `fd.nameraw`: the path as given to the syscall. */
  nameRaw = '';
  /** PPM_O_* flags the descriptor was opened with. */
  openFlags = 0;
  dev = 0;
  ino = 0;
  /** Socket tuple: client (source) and server (destination) end. Addresses as text. */
  sip = '';
  sport = 0;
  dip = '';
  dport = 0;
  /** IPPROTO of the socket: 6 tcp, 17 udp, 1 icmp, 255 raw, 0 unknown. */
  l4proto = 0;
  role: SocketRole = SocketRole.None;
  /** Set when the name was rewritten by this event (e.g. a UDP sendto to a new peer). */
  nameChangedAt = -1;
  /** Unix socket endpoints (kernel object addresses, as hex text). */
  unixSource = '';
  unixDest = '';
  cloexec = false;

  get typeName(): string {
    return fdTypeName(this.kind);
  }
  get typeChar(): string {
    return fdTypeChar(this.kind);
  }
  get isSocket(): boolean {
    return isSocketKind(this.kind);
  }
  get hasTuple(): boolean {
    return (this.kind === FdKind.Ipv4 || this.kind === FdKind.Ipv6) && this.sip !== '';
  }

  copyFrom(o: FdInfo): this {
    this.kind = o.kind;
    this.name = o.name;
    this.nameRaw = o.nameRaw;
    this.openFlags = o.openFlags;
    this.dev = o.dev;
    this.ino = o.ino;
    this.sip = o.sip;
    this.sport = o.sport;
    this.dip = o.dip;
    this.dport = o.dport;
    this.l4proto = o.l4proto;
    this.role = o.role;
    this.unixSource = o.unixSource;
    this.unixDest = o.unixDest;
    this.cloexec = o.cloexec;
    this.nameChangedAt = -1;
    return this;
  }
}

export class FdTable {
  private readonly fds = new Map<number, FdInfo>();

  constructor(private readonly maxFds: number) {}

  get size(): number {
    return this.fds.size;
  }

  get(fd: number): FdInfo | undefined {
    return this.fds.get(fd);
  }

  /** Adds (or replaces) an entry; returns undefined when the table is full. */
  add(fd: number, info: FdInfo): FdInfo | undefined {
    if (!this.fds.has(fd) && this.fds.size >= this.maxFds) return undefined;
    this.fds.set(fd, info);
    return info;
  }

  remove(fd: number): boolean {
    return this.fds.delete(fd);
  }

  clear(): void {
    this.fds.clear();
  }

  entries(): IterableIterator<[number, FdInfo]> {
    return this.fds.entries();
  }

  /** A copy for a child process (fork without CLONE_FILES). */
  clone(): FdTable {
    const t = new FdTable(this.maxFds);
    for (const [fd, info] of this.fds) t.fds.set(fd, new FdInfo().copyFrom(info));
    return t;
  }

  /** Drops descriptors opened with O_CLOEXEC, as a successful execve does. */
  closeOnExec(): void {
    for (const [fd, info] of this.fds) if (info.cloexec) this.fds.delete(fd);
  }
}
