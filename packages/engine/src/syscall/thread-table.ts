/**
 * The thread table: one entry per known thread, with the process-level facts (command line,
 * environment, credentials, container, fd table) that Falco's proc.* / user.* / fd.* fields read.
 *
 * Bounded by design: exited threads are removed right after their exit event has been evaluated,
 * threads not seen for `inactiveTimeoutNs` are purged periodically, and the table never holds more
 * than `maxThreads` entries (new threads beyond that are not tracked, and counted).
 */
import { FdTable } from './fd-table';

export class ThreadInfo {
  tid: number;
  pid: number;
  ptid = -1;
  sid = -1;
  vpgid = -1;
  pgid = -1;
  vtid = -1;
  vpid = -1;
  /** `proc.name` (the kernel comm). */
  comm = '';
  /** `proc.exe` (argv[0]). */
  exe = '';
  /** `proc.exepath` (the executable's full path). */
  exepath = '';
  args: string[] = [];
  env: string[] = [];
  /** Current working directory, always ending in '/' as libsinsp keeps it. */
  cwd = '/';
  uid = 0xffffffff;
  gid = 0xffffffff;
  loginuid = 0xffffffff;
  tty = 0;
  capInheritable = 0n;
  capPermitted = 0n;
  capEffective = 0n;
  exeIno = 0;
  exeInoCtime = 0n;
  exeInoMtime = 0n;
  exeWritable = false;
  exeUpperLayer = false;
  exeLowerLayer = false;
  exeFromMemfd = false;
  /** Clone time (ns since the epoch), `proc.pid.ts`. 0 when unknown. */
  startTs = 0n;
  pidnsInitStartTs = 0n;
  /** Container id ('' on the host). */
  containerId = '';
  /** `subsys=path` cgroup entries. */
  cgroups: string[] = [];
  fdlimit = 0;
  vmsize = 0;
  vmrss = 0;
  vmswap = 0;
  pfmajor = 0;
  pfminor = 0;
  /** PPM_CL_* flags of the clone that created the thread. */
  cloneFlags = 0;
  /** The fd table; shared by all threads of a process (the main thread's). */
  fds: FdTable;
  /** Threads whose ptid is this thread's tid (kept for reparenting on exit). */
  children: Set<number> | undefined;
  /** Live threads of the process, on the main thread only. */
  nthreads = 1;
  /** Known only from its events (no clone, exec or initial-state record seen yet). */
  incomplete = false;
  /** The thread has exited (kept only while other threads of its process still run). */
  dead = false;
  /**
   * Event time the thread was last seen, for inactivity purging: nanoseconds as a double (exact to
   * well under a microsecond, and no bigint to allocate per event).
   */
  lastSeen = 0;
  /** The fd of the current event (`fd.num`), set by the parsers; -1 when none. */
  lastEventFd = -1;
  /** `thread.totexectime`: the sum of the exectimes of this thread's context switches. */
  totExecTime = 0n;
  /** Cumulative CPU ticks of the thread's last procinfo sample (0 before the first). */
  cpuUserTicks = 0;
  cpuSystemTicks = 0;

  constructor(tid: number, pid: number, fds: FdTable) {
    this.tid = tid;
    this.pid = pid;
    this.fds = fds;
  }

  get isMain(): boolean {
    return this.tid === this.pid;
  }

  /** Copies process-level facts from `p` (the parent or the caller of clone). */
  inheritFrom(p: ThreadInfo): void {
    this.sid = p.sid;
    this.vpgid = p.vpgid;
    this.pgid = p.pgid;
    this.comm = p.comm;
    this.exe = p.exe;
    this.exepath = p.exepath;
    this.args = p.args;
    this.env = p.env;
    this.cwd = p.cwd;
    this.uid = p.uid;
    this.gid = p.gid;
    this.loginuid = p.loginuid;
    this.tty = p.tty;
    this.capInheritable = p.capInheritable;
    this.capPermitted = p.capPermitted;
    this.capEffective = p.capEffective;
    this.exeIno = p.exeIno;
    this.exeInoCtime = p.exeInoCtime;
    this.exeInoMtime = p.exeInoMtime;
    this.exeWritable = p.exeWritable;
    this.exeUpperLayer = p.exeUpperLayer;
    this.exeLowerLayer = p.exeLowerLayer;
    this.exeFromMemfd = p.exeFromMemfd;
    this.containerId = p.containerId;
    this.cgroups = p.cgroups;
    this.pidnsInitStartTs = p.pidnsInitStartTs;
    this.fdlimit = p.fdlimit;
  }
}

export interface ThreadTableLimits {
  /** Most threads tracked at once (Falco's default: 262144). */
  readonly maxThreads: number;
  /** Most descriptors tracked per process. */
  readonly maxFdsPerProcess: number;
  /** Threads not seen for this long (event time) are purged. */
  readonly inactiveTimeoutNs: bigint;
  /** How often (event time) the inactivity purge runs. */
  readonly purgeIntervalNs: bigint;
}

export const DEFAULT_LIMITS: ThreadTableLimits = {
  maxThreads: 262144,
  maxFdsPerProcess: 65536,
  inactiveTimeoutNs: 1_800_000_000_000n, // 30 minutes
  purgeIntervalNs: 1_200_000_000_000n, // 20 minutes
};

export interface ThreadTableStats {
  /** Threads that could not be added because the table was full. */
  dropped: number;
  /** Threads removed by the inactivity purge. */
  purged: number;
  /** Threads removed after exiting. */
  exited: number;
}

/** Hard bound on ancestor walks, which also guards against ptid cycles in corrupt input. */
export const MAX_ANCESTRY = 1024;

export class ThreadTable {
  private readonly threads = new Map<number, ThreadInfo>();
  private nextPurge = 0;
  private readonly timeout: number;
  private readonly interval: number;
  readonly stats: ThreadTableStats = { dropped: 0, purged: 0, exited: 0 };

  constructor(readonly limits: ThreadTableLimits = DEFAULT_LIMITS) {
    this.timeout = Number(limits.inactiveTimeoutNs);
    this.interval = Number(limits.purgeIntervalNs);
  }

  get size(): number {
    return this.threads.size;
  }

  get(tid: number): ThreadInfo | undefined {
    return this.threads.get(tid);
  }

  values(): IterableIterator<ThreadInfo> {
    return this.threads.values();
  }

  /** A new fd table sized by the limits. */
  newFdTable(): FdTable {
    return new FdTable(this.limits.maxFdsPerProcess);
  }

  /**
   * Creates (or returns the existing) entry for `tid`. A thread of an already known process shares
   * that process's fd table. Returns undefined when the table is full.
   */
  create(tid: number, pid: number): ThreadInfo | undefined {
    const existing = this.threads.get(tid);
    if (existing !== undefined) return existing;
    if (this.threads.size >= this.limits.maxThreads) {
      this.stats.dropped++;
      return undefined;
    }
    const main = tid !== pid ? this.threads.get(pid) : undefined;
    const t = new ThreadInfo(tid, pid, main !== undefined ? main.fds : this.newFdTable());
    this.threads.set(tid, t);
    if (main !== undefined) main.nthreads++;
    return t;
  }

  /** Records that `child`'s parent is `ptid`, keeping the parent's children set current. */
  setParent(child: ThreadInfo, ptid: number): void {
    if (child.ptid === ptid) {
      this.threads.get(ptid)?.children?.add(child.tid);
      return;
    }
    this.threads.get(child.ptid)?.children?.delete(child.tid);
    child.ptid = ptid;
    const parent = this.threads.get(ptid);
    if (parent !== undefined) (parent.children ??= new Set()).add(child.tid);
  }

  /** The main thread of `t`'s process (itself for main threads). */
  mainThread(t: ThreadInfo): ThreadInfo {
    return t.isMain ? t : (this.threads.get(t.pid) ?? t);
  }

  /** The parent of `t`'s process, when known. */
  parent(t: ThreadInfo): ThreadInfo | undefined {
    const p = this.threads.get(t.ptid);
    return p === t ? undefined : p;
  }

  /**
   * Removes an exited thread. Its children are reparented to `reaper` (or to init when unknown).
   * A main thread whose process still has live threads stays as a dead entry so the lineage of
   * those threads keeps resolving.
   */
  remove(tid: number, reaper = -1): void {
    const t = this.threads.get(tid);
    if (t === undefined) return;
    t.dead = true;
    if (t.children !== undefined && t.children.size > 0) {
      const newParent = reaper > 0 && reaper !== tid ? reaper : 1;
      for (const ctid of [...t.children]) {
        const c = this.threads.get(ctid);
        if (c !== undefined && c.ptid === tid) this.setParent(c, newParent);
      }
      t.children.clear();
    }
    if (t.isMain && t.nthreads > 1) return; // other threads still run
    this.drop(t);
    if (!t.isMain) {
      const main = this.threads.get(t.pid);
      if (main !== undefined) {
        main.nthreads--;
        if (main.dead && main.nthreads <= 1) this.drop(main);
      }
    }
  }

  private drop(t: ThreadInfo): void {
    if (this.threads.get(t.tid) !== t) return;
    this.threads.delete(t.tid);
    this.threads.get(t.ptid)?.children?.delete(t.tid);
    this.stats.exited++;
  }

  /** Removes every entry (used before re-seeding from /proc). */
  clear(): void {
    this.threads.clear();
  }

  /**
   * Purges threads not seen for the inactivity timeout; runs at most once per purge interval of
   * event time. `stillAlive` lets a live source keep threads that exist but were idle.
   */
  maybePurge(now: number, stillAlive?: (tid: number) => boolean): void {
    if (now < this.nextPurge) return;
    const first = this.nextPurge === 0;
    this.nextPurge = now + this.interval;
    if (first) return;
    const limit = now - this.timeout;
    for (const t of [...this.threads.values()]) {
      // Seeded threads that never ran start their inactivity clock at the first purge pass.
      if (t.lastSeen === 0) t.lastSeen = now;
      if (t.lastSeen < limit && (stillAlive === undefined || !stillAlive(t.tid))) {
        this.threads.delete(t.tid);
        this.stats.purged++;
      }
    }
  }

}
