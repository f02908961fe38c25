/**
 * The machine and its processes as they are when a live capture starts, read from /proc and
 * /etc, so a capture file carries the state that explains its first events (who is pid 1234,
 * what is its cwd) like libscap's process list does. Processes that vanish mid-read are skipped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { GroupInfo, MachineInfo, ThreadInfo, UserInfo } from '../scap/state';

function read(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function link(path: string): string {
  try {
    return fs.readlinkSync(path);
  } catch {
    return '';
  }
}

function nulList(s: string | undefined): string[] {
  if (s === undefined || s === '') return [];
  const parts = s.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function statusField(status: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status);
  return m?.[1];
}

function lastNumber(v: string | undefined): number {
  const parts = (v ?? '').trim().split(/\s+/);
  return Number(parts[parts.length - 1] ?? 0) || 0;
}

function kb(v: string | undefined): number {
  return Number(/(\d+)/.exec(v ?? '')?.[1] ?? 0);
}

/**
 * Cgroup entries in the form the driver emits ("controller=path"): v1 hierarchies by their
 * controllers; the unified hierarchy, on pure v2 hosts only, under each enabled controller.
 */
function cgroups(pid: number): string[] {
  const v1: string[] = [];
  let unified: string | undefined;
  for (const line of (read(`/proc/${pid}/cgroup`) ?? '').split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === '') unified = m[3];
    else for (const c of m[2]!.split(',')) if (!c.startsWith('name=')) v1.push(`${c}=${m[3]}`);
  }
  if (v1.length > 0 || unified === undefined) return v1;
  const controllers = (read('/sys/fs/cgroup/cgroup.controllers') ?? 'cpuset cpu io memory pids').trim().split(/\s+/);
  return controllers.map((c) => `${c}=${unified}`);
}

function thread(pid: number, tid: number): ThreadInfo | undefined {
  const base = `/proc/${pid}/task/${tid}`;
  const status = read(`${base}/status`);
  const stat = read(`${base}/stat`);
  if (status === undefined || stat === undefined) return undefined;
  // stat: "tid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt ..."
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cmdline = nulList(read(`/proc/${pid}/cmdline`));
  const limits = read(`/proc/${pid}/limits`) ?? '';
  const fdlimit = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? 0);
  const exepath = link(`/proc/${pid}/exe`);
  const hex = (k: string): bigint => BigInt(`0x${statusField(status, k) ?? '0'}`);
  return {
    tid,
    pid,
    ptid: Number(statusField(status, 'PPid') ?? 0),
    sid: Number(after[3] ?? 0),
    vpgid: Number(after[2] ?? 0),
    pgid: Number(after[2] ?? 0),
    comm: (read(`${base}/comm`) ?? '').replace(/\n$/, ''),
    exe: cmdline[0] ?? '',
    exepath,
    args: cmdline.slice(1),
    cwd: link(`${base}/cwd`),
    fdlimit,
    flags: 0,
    uid: lastNumber(statusField(status, 'Uid')?.split(/\s+/).slice(0, 2).join(' ')),
    gid: lastNumber(statusField(status, 'Gid')?.split(/\s+/).slice(0, 2).join(' ')),
    vmsizeKb: kb(statusField(status, 'VmSize')),
    vmrssKb: kb(statusField(status, 'VmRSS')),
    vmswapKb: kb(statusField(status, 'VmSwap')),
    pfmajor: BigInt(after[9] ?? 0),
    pfminor: BigInt(after[7] ?? 0),
    env: nulList(read(`/proc/${pid}/environ`)),
    vtid: lastNumber(statusField(status, 'NSpid')) || tid,
    vpid: lastNumber(statusField(status, 'NStgid')) || pid,
    cgroups: cgroups(pid),
    root: link(`/proc/${pid}/root`),
    pidnsInitStartTs: 0n,
    tty: Number(after[4] ?? 0),
    loginuid: Number((read(`/proc/${pid}/loginuid`) ?? '4294967295').trim()) >>> 0,
    exeWritable: false,
    capInheritable: hex('CapInh'),
    capPermitted: hex('CapPrm'),
    capEffective: hex('CapEff'),
    exeUpperLayer: false,
    exeLowerLayer: false,
    exeFromMemfd: exepath.startsWith('/memfd:'),
    exeIno: 0n,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
    fds: [],
  };
}

/** Every thread of every process visible in /proc. */
export function snapshotThreads(): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const info = thread(pid, Number(t));
      if (info !== undefined) out.push(info);
    }
  }
  return out;
}

export function snapshotMachine(): MachineInfo {
  const uptime = Number((read('/proc/uptime') ?? '0').split(' ')[0]);
  return {
    numCpus: os.cpus().length,
    memorySizeBytes: BigInt(os.totalmem()),
    maxPid: BigInt(Number((read('/proc/sys/kernel/pid_max') ?? '32768').trim())),
    hostname: os.hostname(),
    bootTsEpoch: BigInt(Math.round((Date.now() / 1000 - uptime) * 1e3)) * 1_000_000n,
    flags: 0n,
  };
}

export function snapshotUsers(): { users: UserInfo[]; groups: GroupInfo[] } {
  const users: UserInfo[] = [];
  for (const line of (read('/etc/passwd') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 7) continue;
    users.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), homedir: f[5]!, shell: f[6]! });
  }
  const groups: GroupInfo[] = [];
  for (const line of (read('/etc/group') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 3) continue;
    groups.push({ name: f[0]!, gid: Number(f[2]) });
  }
  return { users, groups };
}
