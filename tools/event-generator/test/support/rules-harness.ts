/**
 * Drives the default rules through the real engine and syscall source: a small seeded process
 * tree (init, a login shell on the host, a container runtime process inside one Docker
 * container), event builders for the behaviours, and the names of the rules an event sequence
 * raises.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatJson } from '@falco-ts/alert';
import { Engine, SyscallFieldRegistry, SyscallSource, type CompiledRule, type ContainerInfo } from '@falco-ts/engine';
import { batchOf, type Endpoint, type EventSpec } from './events';

export const RULES_FILE = path.resolve(__dirname, '../../../../rules/falco_rules.yaml');
export const CONTAINER_ID = '5b1e0c6d7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1';
const CGROUP = `0::/system.slice/docker-${CONTAINER_ID}.scope`;

/** scap open flags (not the kernel's O_* numbers). */
export const O = { RDONLY: 1, WRONLY: 2, RDWR: 3, CREAT: 4, TRUNC: 256, F_CREATED: 16384 } as const;
/** A pseudo-terminal's device number as the kernel reports it (major 136, minor 0: /dev/pts/0). */
export const PTS0 = 34816;
export const EXE_FROM_MEMFD = 4;
export const AF_PACKET = 17;
export const AF_INET = 2;
export const PTRACE_ATTACH = 11;
export const PTRACE_PEEKDATA = 3;

let nextTid = 5000;

export interface Proc {
  readonly tid: number;
  readonly events: EventSpec[];
}

export interface SpawnOptions {
  /** Parent tid (default: the host login shell, 100). */
  readonly ptid?: number;
  readonly args?: readonly string[];
  readonly exepath?: string;
  /** argv[0] as the execve event reports it (`exe`, read by proc.exe); default: the exe path. */
  readonly argv0?: string;
  readonly inContainer?: boolean;
  /** Pid inside the container's pid namespace (1 for its first process). */
  readonly vpid?: number;
  readonly flags?: number;
  readonly uid?: number;
  /** Controlling terminal device number (proc.tty); 0, none, by default. */
  readonly tty?: number;
}

/** A new process: fork from the parent, then execve of `comm`. */
export function spawn(comm: string, o: SpawnOptions = {}): Proc {
  const tid = nextTid++;
  const ptid = o.ptid ?? (o.inContainer ? 2999 : 100);
  const cgroups = o.inContainer ? [CGROUP] : ['0::/user.slice'];
  const exepath = o.exepath ?? `/usr/bin/${comm}`;
  const common = { tid, pid: tid, ptid, cwd: '/', cgroups, uid: o.uid ?? 0, gid: 0 };
  return {
    tid,
    events: [
      { name: 'clone', tid, params: { ...common, res: 0, exe: 'parent', args: [], comm: 'parent', flags: 0, vtid: o.vpid ?? tid, vpid: o.vpid ?? tid } },
      {
        name: 'execve', tid,
        params: { ...common, res: 0, exe: o.argv0 ?? exepath, args: o.args ?? [], comm, filename: exepath, flags: o.flags ?? 0, vpgid: tid, loginuid: 0, tty: o.tty ?? 0 },
      },
    ],
  };
}

export function open(p: Proc, name: string, flags: number, fd = 3): EventSpec {
  return { name: 'openat', tid: p.tid, params: { fd, dirfd: -100, name, flags, mode: 0o644 } };
}

/** A UDP socket connected to `dip:dport` as the kernel reports it: enter and exit, with `res` (0 or -errno). */
export function udpConnect(p: Proc, dip: string, dport: number, fd = 4, res = 0): EventSpec[] {
  const tuple: Endpoint = { sip: '10.0.0.5', sport: 40000, dip, dport };
  return [
    { name: 'socket', tid: p.tid, params: { fd, domain: AF_INET, type: 2, proto: 0, flags: 0 } },
    { name: 'connect', dir: 'enter', tid: p.tid, params: { fd, addr: tuple } },
    { name: 'connect', tid: p.tid, params: res === 0 ? { res, tuple, fd, addr: tuple } : { res, fd, addr: tuple } },
  ];
}

export interface Harness {
  readonly engine: Engine;
  readonly source: SyscallSource;
  /** Rule names raised by the events, in order (every matching rule, not just the first). */
  fired(events: readonly EventSpec[]): string[];
  /** Alerts (JSON form) raised by the events. */
  alerts(events: readonly EventSpec[]): { rule: string; priority: string; output_fields: Record<string, unknown> }[];
}

/** A fresh engine with the default rules loaded (and asserted clean) and `container` as metadata. */
export function harness(container: Partial<ContainerInfo> = {}): Harness {
  // A registry of its own: the shared one memoises field values by event number, which two sources
  // in one process (one per case here) would otherwise read from each other.
  const source = new SyscallSource({ hostname: 'rules-test', fields: new SyscallFieldRegistry() });
  source.seed({
    threads: [
      { tid: 1, pid: 1, ptid: 0, sid: 1, comm: 'systemd', exe: '/sbin/init', args: [], cwd: '/', uid: 0, gid: 0 },
      { tid: 100, pid: 100, ptid: 1, sid: 100, comm: 'bash', exe: '/usr/bin/bash', args: [], cwd: '/root', uid: 0, gid: 0 },
      { tid: 2999, pid: 2999, ptid: 1, comm: 'runc:[2:INIT]', exe: 'runc', args: ['init'], cwd: '/', uid: 0, gid: 0, cgroups: [CGROUP] },
      // The runtime as `docker exec` runs it: a host process whose child enters the container.
      { tid: 2990, pid: 2990, ptid: 1, comm: 'runc', exe: '/usr/bin/runc', args: ['exec'], cwd: '/', uid: 0, gid: 0 },
    ],
    users: [{ containerId: '', user: { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' } }],
  });
  source.setMetadataProvider({
    lookup: (id) =>
      CONTAINER_ID.startsWith(id) ? { id: CONTAINER_ID.slice(0, 12), fullId: CONTAINER_ID, name: 'web', type: 'docker', image: 'busybox:latest', imageRepository: 'busybox', imageTag: 'latest', privileged: false, mounts: [], ...container } : undefined,
  });
  const engine = new Engine();
  engine.addSource(source);
  const r = engine.loadRules(readFileSync(RULES_FILE, 'utf8'), 'falco_rules.yaml');
  if (r.errors.length > 0 || r.warnings.length > 0) throw new Error(`default rules do not load cleanly: ${JSON.stringify(r.toJSON())}`);
  const each = (events: readonly EventSpec[], fn: (rule: CompiledRule, alert: () => string) => void): void => {
    source.forEach(batchOf(events), (e) => {
      for (const rule of engine.processEvent('syscall', e, { matching: 'all' })) fn(rule, () => formatJson(engine.alert(rule, e, 'rules-test')));
    });
  };
  return {
    engine,
    source,
    fired(events) {
      const out: string[] = [];
      each(events, (rule) => out.push(rule.name));
      return out;
    },
    alerts(events) {
      const out: { rule: string; priority: string; output_fields: Record<string, unknown> }[] = [];
      each(events, (_rule, alert) => out.push(JSON.parse(alert()) as (typeof out)[number]));
      return out;
    },
  };
}
