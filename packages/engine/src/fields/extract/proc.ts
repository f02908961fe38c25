/** proc.* and thread.* extractors. */
import type { FieldScalar, FieldValue } from '@falco-ts/filter-lang';
import { cgroupPathOf, cgroupSubsysOf } from '../../syscall/cgroups';
import { MAX_ANCESTRY, type ThreadInfo } from '../../syscall/thread-table';
import type { SyscallEvent } from '../event';
import { capabilityNames, perEvent, type Extract, type ExtractorFactory } from './common';

type ThreadFn = (t: ThreadInfo, e: SyscallEvent) => FieldValue;

/**
 * Reads the event's thread. Threads known only from their own events read as libsinsp shows them:
 * their ids, and '<NA>' placeholders for the name and argv[0].
 */
function thread(fn: ThreadFn): Extract {
  return (e) => {
    const t = e.state.thread;
    return t === undefined ? undefined : fn(t, e);
  };
}

function parentOf(e: SyscallEvent, t: ThreadInfo): ThreadInfo | undefined {
  return e.state.threads.parent(t);
}

/** The n-th ancestor (0 = the thread itself). */
function ancestor(e: SyscallEvent, t: ThreadInfo, n: number): ThreadInfo | undefined {
  let cur: ThreadInfo | undefined = t;
  for (let k = 0; k < n && cur !== undefined; k++) cur = parentOf(e, cur);
  return cur;
}

/** Every ancestor from the parent up, bounded against cycles. */
export function ancestors(e: SyscallEvent, t: ThreadInfo): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  let cur = parentOf(e, t);
  while (cur !== undefined && out.length < MAX_ANCESTRY && !out.includes(cur) && cur !== t) {
    out.push(cur);
    cur = parentOf(e, cur);
  }
  return out;
}

export function cmdline(t: ThreadInfo): string {
  return t.args.length === 0 ? t.comm : `${t.comm} ${t.args.join(' ')}`;
}

function argsText(t: ThreadInfo): string {
  return t.args.join(' ');
}

function envValue(env: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  for (const kv of env) if (kv.startsWith(prefix)) return kv.slice(prefix.length);
  return undefined;
}

/** An ancestor field: `[N]` picks one level; without an argument the custom check scans all. */
function ancestorField(read: (t: ThreadInfo) => FieldValue): ExtractorFactory {
  return (ref) => {
    if (ref.index !== undefined) {
      const n = ref.index;
      return perEvent(thread((t, e) => {
        const a = ancestor(e, t, n);
        return a === undefined ? undefined : read(a);
      }));
    }
    // No index: as a value (outputs) it reads the parent, as libsinsp prints it.
    return thread((t, e) => {
      const p = parentOf(e, t);
      return p === undefined ? undefined : read(p);
    });
  };
}

/** The candidates of an ancestor field used without an index, for its any-of check. */
export function ancestorCandidates(read: (t: ThreadInfo) => FieldValue): (e: SyscallEvent) => FieldScalar[] | undefined {
  return (e) => {
    const t = e.state.thread;
    if (t === undefined) return undefined;
    const out: FieldScalar[] = [];
    for (const a of ancestors(e, t)) {
      const v = read(a);
      if (v !== undefined && !Array.isArray(v)) out.push(v as FieldScalar);
    }
    return out;
  };
}

const SHELLS = new Set(['ash', 'bash', 'csh', 'ksh', 'sh', 'tcsh', 'zsh', 'dash', 'fish']);

/** The session leader: the thread whose pid is the sid, else the eldest ancestor in the session. */
function sessionLeader(e: SyscallEvent, t: ThreadInfo): ThreadInfo {
  const direct = t.vpid === t.pid || t.vpid <= 0 ? e.state.threads.get(t.sid) : undefined;
  if (direct !== undefined) return direct;
  let leader = t;
  for (const a of ancestors(e, t)) {
    if (a.sid !== t.sid) break;
    leader = a;
  }
  return leader;
}

function groupLeader(e: SyscallEvent, t: ThreadInfo, host: boolean): ThreadInfo {
  const pg = host ? t.pgid : t.vpgid;
  const own = host ? t.pid : t.vpid;
  if (pg === own) return t;
  let leader = t;
  for (const a of ancestors(e, t)) {
    if ((host ? a.pgid : a.vpgid) !== pg) break;
    leader = a;
  }
  return leader;
}

function stdFd(n: number, what: 'type' | 'name'): Extract {
  return thread((t) => {
    const f = t.fds.get(n);
    if (f === undefined) return undefined;
    return what === 'type' ? f.typeName : f.name;
  });
}

const exe = (t: ThreadInfo): FieldValue => t.exe;
const exepath = (t: ThreadInfo): FieldValue => t.exepath;
const comm = (t: ThreadInfo): FieldValue => t.comm;
const pid = (t: ThreadInfo): FieldValue => t.pid;
const cmd = (t: ThreadInfo): FieldValue => cmdline(t);
const args = (t: ThreadInfo): FieldValue => argsText(t);
const envText = (t: ThreadInfo): FieldValue => t.env.join(' ');

export const PROC_EXTRACTORS: Record<string, ExtractorFactory> = {
  'proc.exe': () => thread(exe),
  'proc.pexe': () => thread((t, e) => parentOf(e, t)?.exe),
  'proc.aexe': ancestorField(exe),
  'proc.exepath': () => thread(exepath),
  'proc.pexepath': () => thread((t, e) => parentOf(e, t)?.exepath),
  'proc.aexepath': ancestorField(exepath),
  'proc.name': () => thread(comm),
  'proc.pname': () => thread((t, e) => parentOf(e, t)?.comm),
  'proc.aname': ancestorField(comm),
  'proc.args': (ref) => (ref.index !== undefined ? thread((t) => t.args[ref.index!]) : perEvent(thread(args))),
  'proc.aargs': ancestorField(args),
  'proc.cmdline': () => perEvent(thread(cmd)),
  'proc.pcmdline': () => perEvent(thread((t, e) => {
    const p = parentOf(e, t);
    return p === undefined ? undefined : cmdline(p);
  })),
  'proc.acmdline': ancestorField(cmd),
  'proc.cmdnargs': () => thread((t) => t.args.length),
  'proc.cmdlenargs': () => thread((t) => t.args.reduce((n, a) => n + a.length, 0)),
  'proc.exeline': () => perEvent(thread((t) => (t.args.length === 0 ? t.exe : `${t.exe} ${argsText(t)}`))),
  'proc.env': (ref) => (ref.key !== undefined ? thread((t) => envValue(t.env, ref.key!)) : perEvent(thread(envText))),
  'proc.aenv': (ref) => {
    if (ref.index !== undefined) return ancestorField(envText)(ref);
    if (ref.key !== undefined) {
      const key = ref.key;
      return perEvent(thread((t, e) => {
        for (const a of [t, ...ancestors(e, t)].slice(0, 21)) {
          const v = envValue(a.env, key);
          if (v !== undefined) return v;
        }
        return undefined;
      }));
    }
    return ancestorField(envText)(ref);
  },
  'proc.cwd': () => thread((t) => t.cwd),
  'proc.loginshellid': () => perEvent(thread((t, e) => {
    let found: number | undefined;
    for (const a of [t, ...ancestors(e, t)]) if (SHELLS.has(a.comm)) found = a.pid;
    return found ?? 0;
  })),
  'proc.tty': () => thread((t) => t.tty),
  'proc.pid': () => thread(pid),
  'proc.ppid': () => thread((t, e) => parentOf(e, t)?.pid ?? t.ptid),
  'proc.apid': ancestorField(pid),
  'proc.vpid': () => thread((t) => (t.vpid < 0 ? undefined : t.vpid)),
  'proc.pvpid': () => thread((t, e) => {
    const p = parentOf(e, t);
    return p === undefined || p.vpid < 0 ? undefined : p.vpid;
  }),
  'proc.sid': () => thread((t) => t.sid),
  'proc.sname': () => perEvent(thread((t, e) => sessionLeader(e, t).comm)),
  'proc.sid.exe': () => perEvent(thread((t, e) => sessionLeader(e, t).exe)),
  'proc.sid.exepath': () => perEvent(thread((t, e) => sessionLeader(e, t).exepath)),
  'proc.vpgid': () => thread((t) => t.vpgid),
  'proc.vpgid.name': () => perEvent(thread((t, e) => groupLeader(e, t, false).comm)),
  'proc.vpgid.exe': () => perEvent(thread((t, e) => groupLeader(e, t, false).exe)),
  'proc.vpgid.exepath': () => perEvent(thread((t, e) => groupLeader(e, t, false).exepath)),
  'proc.pgid': () => thread((t) => t.pgid),
  'proc.pgid.name': () => perEvent(thread((t, e) => groupLeader(e, t, true).comm)),
  'proc.pgid.exe': () => perEvent(thread((t, e) => groupLeader(e, t, true).exe)),
  'proc.pgid.exepath': () => perEvent(thread((t, e) => groupLeader(e, t, true).exepath)),
  'proc.duration': () => thread((t, e) => (t.startTs === 0n ? undefined : e.ts - t.startTs)),
  'proc.ppid.duration': () => thread((t, e) => {
    const p = parentOf(e, t);
    return p === undefined || p.startTs === 0n ? undefined : e.ts - p.startTs;
  }),
  'proc.pid.ts': () => thread((t) => (t.startTs === 0n ? undefined : t.startTs)),
  'proc.ppid.ts': () => thread((t, e) => {
    const p = parentOf(e, t);
    return p === undefined || p.startTs === 0n ? undefined : p.startTs;
  }),
  'proc.is_exe_writable': () => thread((t) => t.exeWritable),
  'proc.is_exe_upper_layer': () => thread((t) => t.exeUpperLayer),
  'proc.is_exe_lower_layer': () => thread((t) => t.exeLowerLayer),
  'proc.is_exe_from_memfd': () => thread((t) => t.exeFromMemfd),
  'proc.is_sid_leader': () => thread((t) => t.sid === (t.vpid > 0 ? t.vpid : t.pid)),
  'proc.is_vpgid_leader': () => thread((t) => t.vpgid === (t.vpid > 0 ? t.vpid : t.pid)),
  'proc.is_pgid_leader': () => thread((t) => t.pgid === t.pid),
  'proc.exe_ino': () => thread((t) => (t.exeIno === 0 ? undefined : t.exeIno)),
  'proc.exe_ino.ctime': () => thread((t) => (t.exeInoCtime === 0n ? undefined : t.exeInoCtime)),
  'proc.exe_ino.mtime': () => thread((t) => (t.exeInoMtime === 0n ? undefined : t.exeInoMtime)),
  'proc.exe_ino.ctime_duration_proc_start': () =>
    thread((t) => (t.exeInoCtime === 0n || t.startTs === 0n ? undefined : t.startTs - t.exeInoCtime)),
  'proc.exe_ino.ctime_duration_pidns_start': () =>
    thread((t) => (t.exeInoCtime === 0n || t.pidnsInitStartTs === 0n || t.pidnsInitStartTs > t.exeInoCtime ? undefined : t.exeInoCtime - t.pidnsInitStartTs)),
  'proc.pidns_init_start_ts': () => thread((t) => (t.pidnsInitStartTs === 0n ? undefined : t.pidnsInitStartTs)),
  'thread.cap_permitted': () => perEvent(thread((t) => capabilityNames(t.capPermitted))),
  'thread.cap_inheritable': () => perEvent(thread((t) => capabilityNames(t.capInheritable))),
  'thread.cap_effective': () => perEvent(thread((t) => capabilityNames(t.capEffective))),
  'proc.fdopencount': () => thread((t) => t.fds.size),
  'proc.fdlimit': () => thread((t) => t.fdlimit),
  'proc.fdusage': () => thread((t) => (t.fdlimit > 0 ? t.fds.size / t.fdlimit : undefined)),
  'proc.vmsize': () => thread((t) => t.vmsize),
  'proc.vmrss': () => thread((t) => t.vmrss),
  'proc.vmswap': () => thread((t) => t.vmswap),
  'thread.pfmajor': () => thread((t) => t.pfmajor),
  'thread.pfminor': () => thread((t) => t.pfminor),
  // thread.tid comes from the event header, so it exists even for threads the tables do not know.
  'thread.tid': () => (e) => e.view.tid,
  'thread.ismain': () => thread((t) => t.isMain),
  'thread.vtid': () => thread((t) => (t.vtid < 0 ? undefined : t.vtid)),
  'thread.nametid': () => thread((t) => `${t.comm}${t.tid}`),
  // Both come from context-switch events (see syscall/sched.ts); exectime has a value (0) even on
  // events without a thread, as in libsinsp.
  'thread.exectime': () => (e) => e.state.sched.execTime(e.state.eventNum),
  'thread.totexectime': () => thread((t) => t.totExecTime),
  'thread.cgroups': () => perEvent(thread((t) => (t.cgroups.length === 0 ? undefined : t.cgroups.join(' ')))),
  'thread.cgroup': (ref) => thread((t) => {
    for (const c of t.cgroups) if (cgroupSubsysOf(c) === ref.key) return cgroupPathOf(c);
    return undefined;
  }),
  'proc.nthreads': () => thread((t, e) => e.state.threads.mainThread(t).nthreads),
  'proc.nchilds': () => thread((t, e) => Math.max(0, e.state.threads.mainThread(t).nthreads - 1)),
  // Only procinfo events carry CPU samples (see syscall/sched.ts).
  'thread.cpu': () => (e) => e.state.sched.cpu(e.state.eventNum, true, true),
  'thread.cpu.user': () => (e) => e.state.sched.cpu(e.state.eventNum, true, false),
  'thread.cpu.system': () => (e) => e.state.sched.cpu(e.state.eventNum, false, true),
  'thread.vmsize': () => thread((t) => (t.isMain ? t.vmsize : 0)),
  'thread.vmrss': () => thread((t) => (t.isMain ? t.vmrss : 0)),
  'thread.vmsize.b': () => thread((t) => (t.isMain ? t.vmsize * 1024 : 0)),
  'thread.vmrss.b': () => thread((t) => (t.isMain ? t.vmrss * 1024 : 0)),
  'proc.stdin.type': () => stdFd(0, 'type'),
  'proc.stdout.type': () => stdFd(1, 'type'),
  'proc.stderr.type': () => stdFd(2, 'type'),
  'proc.stdin.name': () => stdFd(0, 'name'),
  'proc.stdout.name': () => stdFd(1, 'name'),
  'proc.stderr.name': () => stdFd(2, 'name'),
};

/** Fields whose argument-less form is an any-ancestor check, with what they read per ancestor. */
export const ANCESTOR_READERS: Record<string, (t: ThreadInfo) => FieldValue> = {
  'proc.aname': comm,
  'proc.aexe': exe,
  'proc.aexepath': exepath,
  'proc.acmdline': cmd,
  'proc.aargs': args,
  'proc.apid': pid,
  'proc.aenv': envText,
};
