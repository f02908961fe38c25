/**
 * The default rules library on the real engine: it loads with zero errors and warnings, every rule
 * carries a description, a priority and MITRE ATT&CK tags, and each rule fires on a synthesized
 * event sequence of its behaviour while staying quiet on a benign look-alike.
 */
import { readFileSync } from 'node:fs';
import { Engine, SyscallSource } from '@falco-ts/engine';
import { parse } from 'yaml';
import type { EventSpec } from './support/events';
import {
  AF_INET, AF_PACKET, CONTAINER_ID, EXE_FROM_MEMFD, O, PTRACE_ATTACH, PTRACE_PEEKDATA, RULES_FILE,
  PTS0, harness, open, spawn, udpConnect, type Harness,
} from './support/rules-harness';

interface Case {
  readonly rule: string;
  /** Test title when a rule has more than one case. */
  readonly label?: string;
  /** Container metadata for the case (privilege, mounts, pod). */
  readonly container?: Parameters<typeof harness>[0];
  readonly match: () => EventSpec[];
  /** How many alerts of the rule `match` raises (default 1). */
  readonly count?: number;
  readonly benign: () => EventSpec[];
  readonly benignContainer?: Parameters<typeof harness>[0];
}

const doing = (p: { events: EventSpec[] }, ...more: EventSpec[]): EventSpec[] => [...p.events, ...more];

function reverseShell(proc: string, dupTo: number): () => EventSpec[] {
  return () => {
    const p = spawn(proc);
    return [...p.events, ...udpConnect(p, '10.1.2.3', 4444, 5), { name: 'dup2', tid: p.tid, params: { res: dupTo, oldfd: 5, newfd: dupTo } }];
  };
}

const CASES: readonly Case[] = [
  {
    rule: 'Terminal shell in container',
    label: 'Terminal shell in container, docker exec -it (the runtime is the parent)',
    match: () => spawn('sh', { inContainer: true, ptid: 2990, tty: PTS0 }).events,
    // the same shell without a terminal (docker exec c sh -c ...), and a terminal shell on the host
    benign: () => [...spawn('sh', { inContainer: true, ptid: 2990 }).events, ...spawn('sh', { tty: PTS0 }).events],
  },
  {
    rule: 'Terminal shell in container',
    label: 'Terminal shell in container, a shell started from a terminal shell',
    // docker exec -it c sh, then bash typed at its prompt: one alert each
    match: () => { const sh = spawn('sh', { inContainer: true, ptid: 2990, tty: PTS0 }); return [...sh.events, ...spawn('bash', { inContainer: true, ptid: sh.tid, tty: PTS0 }).events]; },
    count: 2,
    // a server's shell-out (nginx starts sh) and a shell's child shell without a terminal
    benign: () => {
      const outer = spawn('nginx', { inContainer: true, vpid: 1 });
      const sh = spawn('sh', { inContainer: true, ptid: outer.tid, tty: PTS0 });
      return [...outer.events, ...sh.events, ...spawn('sh', { inContainer: true, ptid: sh.tid }).events];
    },
  },
  {
    rule: 'Terminal shell in container',
    label: 'Terminal shell in container, busybox applet re-exec',
    match: () => spawn('exe', { inContainer: true, ptid: 2990, exepath: '/bin/busybox', argv0: 'sh', tty: PTS0 }).events,
    benign: () => spawn('exe', { inContainer: true, ptid: 2990, exepath: '/bin/busybox', argv0: 'cat', tty: PTS0 }).events,
  },
  {
    rule: 'Launch privileged container',
    container: { privileged: true },
    match: () => spawn('nginx', { inContainer: true, vpid: 1 }).events,
    benign: () => [...spawn('nginx', { inContainer: true, vpid: 1 }).events, ...spawn('sh', { inContainer: true }).events],
    benignContainer: { privileged: false },
  },
  {
    rule: 'Launch privileged container',
    label: 'Launch privileged container, trusted node agent image',
    container: { privileged: true },
    match: () => spawn('nginx', { inContainer: true, vpid: 1 }).events,
    benign: () => spawn('calico-node', { inContainer: true, vpid: 1 }).events,
    benignContainer: { privileged: true, imageRepository: 'calico/node' },
  },
  {
    rule: 'Launch sensitive mount container',
    container: { mounts: [{ source: '/etc', dest: '/host/etc', mode: 'ro', rdwr: false, propagation: 'rprivate' }] },
    match: () => spawn('nginx', { inContainer: true, vpid: 1 }).events,
    benign: () => spawn('nginx', { inContainer: true, vpid: 1 }).events,
    benignContainer: { mounts: [{ source: '/srv/data', dest: '/data', mode: '', rdwr: true, propagation: 'rprivate' }] },
  },
  {
    rule: 'Unexpected process in node-frontend workload',
    container: {
      k8s: {
        podName: 'node-frontend-7d9c6b5f4-x2x9q',
        namespace: 'shop',
        podLabels: { app: 'node-frontend' },
        deployment: { name: 'node-frontend', uid: 'a1d0c6e8-0000-4000-8000-000000000001', labels: { app: 'node-frontend' } },
      },
    },
    match: () => spawn('curl', { inContainer: true }).events,
    benign: () => spawn('node', { inContainer: true }).events,
  },
  {
    rule: 'Unexpected process in node-frontend workload',
    label: 'Unexpected process in node-frontend workload, the pod label alone is not the deployment',
    container: { k8s: { podName: 'node-frontend-7d9c6b5f4-x2x9q', namespace: 'shop', deployment: { name: 'node-frontend', uid: 'u1', labels: { app: 'node-frontend' } } } },
    match: () => spawn('sh', { inContainer: true }).events,
    benign: () => spawn('sh', { inContainer: true }).events,
    benignContainer: { k8s: { podName: 'node-frontend-7d9c6b5f4-x2x9q', namespace: 'shop', podLabels: { app: 'node-frontend' }, deployment: { name: 'other', uid: 'u2', labels: { app: 'other' } } } },
  },
  {
    rule: 'Server process spawned unexpected child',
    match: () => { const s = spawn('nginx'); return [...s.events, ...spawn('sh', { ptid: s.tid }).events]; },
    benign: () => { const s = spawn('nginx'); return [...s.events, ...spawn('nginx', { ptid: s.tid }).events]; },
  },
  {
    rule: 'Fileless execution via memfd',
    match: () => spawn('eg', { exepath: '/memfd:eg (deleted)', flags: EXE_FROM_MEMFD }).events,
    benign: () => spawn('true').events,
  },
  {
    rule: 'Drop and execute from tmp',
    match: () => spawn('dropped', { exepath: '/tmp/x/dropped' }).events,
    benign: () => { const make = spawn('make'); return [...make.events, ...spawn('a.out', { ptid: make.tid, exepath: '/tmp/build/a.out' }).events]; },
  },
  {
    rule: 'Kernel module loaded',
    match: () => { const p = spawn('insmod'); return doing(p, { name: 'finit_module', tid: p.tid, params: { res: 0, fd: 3, uargs: '', flags: 0 } }); },
    benign: () => {
      const p = spawn('insmod');
      const q = spawn('systemd-modules-load');
      return [...doing(p, { name: 'finit_module', tid: p.tid, params: { res: -1, fd: 3, uargs: '', flags: 0 } }), ...doing(q, { name: 'finit_module', tid: q.tid, params: { res: 0, fd: 3, uargs: '', flags: 0 } })];
    },
  },
  {
    rule: 'Ptrace attached to process',
    match: () => { const p = spawn('python3'); return doing(p, { name: 'ptrace', tid: p.tid, params: { res: 0, request: PTRACE_ATTACH, pid: 42 } }); },
    benign: () => { const p = spawn('gdb'); return doing(p, { name: 'ptrace', tid: p.tid, params: { res: 0, request: PTRACE_ATTACH, pid: 42 } }, { name: 'ptrace', tid: p.tid, params: { res: 0, request: PTRACE_PEEKDATA, pid: 42 } }); },
  },
  { rule: 'Reverse shell', match: reverseShell('bash', 0), benign: reverseShell('curl', 0) },
  {
    rule: 'Read sensitive file untrusted',
    match: () => { const p = spawn('head'); return doing(p, open(p, '/etc/shadow', O.RDONLY)); },
    benign: () => { const p = spawn('sshd'); const q = spawn('head'); return [...doing(p, open(p, '/etc/shadow', O.RDONLY)), ...doing(q, open(q, '/etc/hostname', O.RDONLY))]; },
  },
  {
    rule: 'Create files below dev',
    match: () => { const p = spawn('touch'); return doing(p, open(p, '/dev/evil', O.WRONLY | O.CREAT | O.F_CREATED)); },
    // devices opened for writing as `>` does (O_CREAT on an existing file creates nothing), an
    // existing regular file below /dev, and a file created in /dev/shm
    benign: () => {
      const p = spawn('sh');
      const devices = ['/dev/null', '/dev/zero', '/dev/urandom', '/dev/stderr', '/dev/pts/0'].map((d, i) => open(p, d, O.WRONLY | O.CREAT | O.TRUNC, 3 + i));
      return doing(p, ...devices, open(p, '/dev/existing', O.WRONLY | O.CREAT, 9), open(p, '/dev/shm/x', O.WRONLY | O.CREAT | O.F_CREATED, 10));
    },
  },
  {
    rule: 'Write below binary dir',
    match: () => { const p = spawn('touch'); return doing(p, open(p, '/usr/local/bin/x', O.WRONLY | O.CREAT)); },
    benign: () => { const p = spawn('dpkg'); const q = spawn('cat'); return [...doing(p, open(p, '/usr/bin/x', O.WRONLY | O.CREAT)), ...doing(q, open(q, '/usr/bin/ls', O.RDONLY))]; },
  },
  {
    rule: 'Write below etc',
    match: () => { const p = spawn('touch'); return doing(p, open(p, '/etc/cron.d/evil', O.WRONLY | O.CREAT)); },
    benign: () => { const p = spawn('apt-get'); const q = spawn('dockerd'); return [...doing(p, open(p, '/etc/apt/x', O.WRONLY)), ...doing(q, open(q, '/etc/docker/key.json', O.WRONLY))]; },
  },
  {
    rule: 'Write below root home',
    match: () => { const p = spawn('touch'); return doing(p, open(p, '/root/.ssh/authorized_keys', O.WRONLY | O.CREAT)); },
    benign: () => { const p = spawn('node'); return doing(p, open(p, '/root/.npm/_cacache/x', O.WRONLY | O.CREAT)); },
  },
  {
    rule: 'Clear log activities',
    match: () => { const p = spawn('cp'); return doing(p, open(p, '/var/log/auth.log', O.WRONLY | O.TRUNC)); },
    benign: () => { const p = spawn('logrotate'); const q = spawn('rsyslogd'); return [...doing(p, open(p, '/var/log/auth.log', O.WRONLY | O.TRUNC)), ...doing(q, open(q, '/var/log/syslog', O.WRONLY | 8))]; },
  },
  {
    rule: 'Symlink over sensitive files',
    match: () => { const p = spawn('ln'); return doing(p, { name: 'symlinkat', tid: p.tid, params: { res: 0, target: '/etc/shadow', linkdirfd: -100, linkpath: '/tmp/s' } }); },
    benign: () => { const p = spawn('ln'); return doing(p, { name: 'symlinkat', tid: p.tid, params: { res: 0, target: '/etc/hosts', linkdirfd: -100, linkpath: '/tmp/h' } }); },
  },
  {
    rule: 'Search for credentials',
    match: () => spawn('grep', { args: ['-r', 'id_rsa', '/home'] }).events,
    benign: () => spawn('grep', { args: ['-r', 'TODO', 'src'] }).events,
  },
  {
    rule: 'System binary outbound connection',
    match: () => { const p = spawn('sleep'); return doing(p, ...udpConnect(p, '192.0.2.1', 53)); },
    // curl may connect; loopback is not outbound; a failed connect (ENETUNREACH) is no connection
    benign: () => {
      const p = spawn('curl');
      const q = spawn('sleep');
      return [...doing(p, ...udpConnect(p, '192.0.2.1', 53)), ...doing(q, ...udpConnect(q, '127.0.0.1', 53), ...udpConnect(q, '192.0.2.1', 53, 5, -101))];
    },
  },
  {
    rule: 'Packet socket created',
    match: () => { const p = spawn('python3'); return doing(p, { name: 'socket', tid: p.tid, params: { fd: 3, domain: AF_PACKET, type: 3, proto: 768, flags: 0 } }); },
    benign: () => { const p = spawn('python3'); const q = spawn('dhclient'); return [...doing(p, { name: 'socket', tid: p.tid, params: { fd: 3, domain: AF_INET, type: 1, proto: 0, flags: 0 } }), ...doing(q, { name: 'socket', tid: q.tid, params: { fd: 3, domain: AF_PACKET, type: 3, proto: 768, flags: 0 } })]; },
  },
  {
    rule: 'Crypto miner pool connection',
    match: () => { const p = spawn('xmrig'); return doing(p, ...udpConnect(p, '192.0.2.2', 3333)); },
    benign: () => { const p = spawn('xmrig'); return doing(p, ...udpConnect(p, '192.0.2.2', 443)); },
  },
];

interface RuleDoc { rule?: string; desc?: string; priority?: string; tags?: string[]; required_engine_version?: string }
const DOC = parse(readFileSync(RULES_FILE, 'utf8')) as RuleDoc[];
const RULES = DOC.filter((d) => d.rule !== undefined);

describe('default rules file', () => {
  it('loads with zero errors and zero warnings in the engine', () => {
    const engine = new Engine();
    engine.addSource(new SyscallSource());
    const r = engine.loadRules(readFileSync(RULES_FILE, 'utf8'), 'falco_rules.yaml');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(engine.rules().length).toBe(RULES.length);
  });

  it('declares required_engine_version first, as Falco rules files do', () => {
    expect(DOC[0]).toEqual({ required_engine_version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it.each(RULES.map((r) => [r.rule!, r] as const))('%s has a description, a priority and MITRE ATT&CK tags', (_name, r) => {
    expect(r.desc!.length).toBeGreaterThan(20);
    expect(['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG']).toContain(r.priority);
    expect(r.tags!.some((t) => t.startsWith('mitre_'))).toBe(true);
    expect(r.tags!.some((t) => /^T\d{4}(\.\d{3})?$/.test(t))).toBe(true);
  });

  it('has a synthesized-event test for every rule', () => {
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual(RULES.map((r) => r.rule!).sort());
  });
});

describe.each(CASES.map((c) => [c.label ?? c.rule, c] as const))('%s', (_title, c) => {
  const rule = c.rule;
  it('fires on its behaviour, once per occurrence', () => {
    const h: Harness = harness(c.container);
    expect(h.fired(c.match()).filter((r) => r === rule)).toHaveLength(c.count ?? 1);
  });

  it('stays quiet on a benign look-alike', () => {
    const h: Harness = harness(c.benignContainer ?? c.container);
    expect(h.fired(c.benign())).not.toContain(rule);
  });
});

describe('alert fields', () => {
  it('a container read of /etc/shadow names the process, file, user and container', () => {
    const h = harness();
    const p = spawn('cat', { inContainer: true });
    const [a] = h.alerts([...p.events, open(p, '/etc/shadow', O.RDONLY)]).filter((x) => x.rule === 'Read sensitive file untrusted');
    expect(a?.output_fields).toMatchObject({
      'proc.name': 'cat', 'fd.name': '/etc/shadow', 'user.name': 'root',
      'container.id': CONTAINER_ID.slice(0, 12), 'container.name': 'web', 'container.image.repository': 'busybox',
    });
    expect(a?.priority).toBe('Warning');
  });
});
