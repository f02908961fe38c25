/**
 * Per-process file descriptor tables. Threads of one process share the table of its main thread
 * (as the kernel shares `files_struct` between CLONE_FILES threads). Tables are bounded: a process
 * cannot hold more entries than `maxFdsPerProcess`, beyond which new descriptors are not tracked.
 */
import { FdKind, fdTypeChar, fdTypeName, isSocketKind } from './fd-types';

/** Which end of a connection the owning process is. */
export enum SocketRole {
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
  /** The event that last gave the socket a new tuple (its first, or a new peer): a new flow. */
  tupleSetAt = -1;
  /** Unix socket endpoints (kernel object addresses, as hex text). */
  unixSource = '';
  unixDest = '';
  cloexec = false;
  /** Binary forms of sip/dip, parsed on first use and kept: comparisons take bytes. */
  private sipCache: Uint8Array | undefined;
  private dipCache: Uint8Array | undefined;
  private sipCacheOf: string | undefined;
  private dipCacheOf: string | undefined;

  get sipBytes(): Uint8Array | undefined {
    if (this.sipCacheOf !== this.sip) {
      this.sipCache = addressBytes(this.sip);
      this.sipCacheOf = this.sip;
    }
    return this.sipCache;
  }

  get dipBytes(): Uint8Array | undefined {
    if (this.dipCacheOf !== this.dip) {
      this.dipCache = addressBytes(this.dip);
      this.dipCacheOf = this.dip;
    }
    return this.dipCache;
  }

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

/** An IPv4 or IPv6 address in text form as bytes (4 or 16), or undefined when it is not one. */
export function addressBytes(text: string): Uint8Array | undefined {
  if (text.includes(':')) {
    const [head, tail] = text.split('::') as [string, string | undefined];
    const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
    let groups: number[];
    if (tail !== undefined) {
      const h = words(head);
      const t = words(tail);
      groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
    } else {
      groups = words(head);
    }
    if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return undefined;
    const b = new Uint8Array(16);
    groups.forEach((g, i) => {
      b[2 * i] = g >> 8;
      b[2 * i + 1] = g & 0xff;
    });
    return b;
  }
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
    b[i] = n;
  }
  return b;
}
