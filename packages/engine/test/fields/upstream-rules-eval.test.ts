/**
 * falcosecurity/rules 5.1.0 compiled against the real syscall fields (extractors, any-ancestor and
 * any-address checks) and evaluated on synthesised events: the detections a reader of the rules
 * expects fire, and their look-alikes do not.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../../src/engine';
import { FdKind } from '../../src/syscall/fd-types';
import { SyscallSource } from '../../src/syscall/source';
import { batchOf, type EventInput } from '../syscall/events';

const RULES = resolve(__dirname, '../../../../../shared/conformance/rules/falco-rules-5.1.0/rules');
const CONTAINER = '3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e';

function setup(): { engine: Engine; source: SyscallSource } {
  const source = new SyscallSource({ hostname: 'h' });
  source.seed({
    threads: [
      { tid: 1, pid: 1, ptid: 0, sid: 1, comm: 'systemd', exe: '/sbin/init', args: [], cwd: '/', uid: 0, gid: 0 },
      { tid: 40, pid: 40, ptid: 1, sid: 40, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'], cwd: '/', uid: 0, gid: 0 },
      {
        tid: 100, pid: 100, ptid: 40, sid: 100, vpgid: 100, comm: 'bash', exe: '-bash', exepath: '/usr/bin/bash', args: [],
        cwd: '/root', uid: 0, gid: 0, loginuid: 1000, tty: 34816, fds: [{ fd: 0, kind: FdKind.File, name: '/dev/pts/0' }],
      },
      {
        tid: 2999, pid: 2999, ptid: 1, comm: 'runc:[1:CHILD]', exe: 'runc', args: ['init'], cwd: '/', uid: 0, gid: 0,
        cgroups: [`cpuset=/docker/${CONTAINER}`],
      },
    ],
  });
  const engine = new Engine();
  engine.addSource(source);
  for (const f of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']) {
    const r = engine.loadRules(readFileSync(resolve(RULES, f), 'utf8'), f);
    expect(r.errors.map((e) => e.message)).toEqual([]);
  }
  return { engine, source };
}

function detections(events: EventInput[]): string[] {
  const { engine, source } = setup();
  const out: string[] = [];
  source.forEach(batchOf(events), (e) => {
    for (const r of engine.processEvent('syscall', e, { matching: 'all' })) out.push(r.name);
  });
  return out;
}

const execInContainer: EventInput = {
  name: 'execve', tid: 3000,
  params: {
    res: 0, exe: 'bash', args: [], tid: 3000, pid: 3000, ptid: 2999, comm: 'bash', tty: 34816, uid: 0, gid: 0,
    cgroups: [`cpuset=/docker/${CONTAINER}`], filename: '/bin/bash', flags: 0,
  },
};
const cloneIntoContainer: EventInput = {
  name: 'clone', tid: 3000,
  params: { res: 0, exe: 'runc', args: ['init'], tid: 3000, pid: 3000, ptid: 2999, comm: 'runc:[1:CHILD]', cgroups: [`cpuset=/docker/${CONTAINER}`], flags: 0, uid: 0, gid: 0 },
};

describe('falcosecurity/rules 5.1.0 on the syscall source', () => {
  it('detects a terminal shell started in a container', () => {
    expect(detections([cloneIntoContainer, execInContainer])).toContain('Terminal shell in container');
  });

  it('does not call a shell on the host a container shell', () => {
    const hostExec: EventInput = { ...execInContainer, tid: 101, params: { ...execInContainer.params, tid: 101, pid: 101, ptid: 100, cgroups: ['cpuset=/'] } };
    expect(detections([hostExec])).not.toContain('Terminal shell in container');
  });

  it('detects an untrusted read of /etc/shadow, not of /etc/hostname', () => {
    const spawn: EventInput = {
      name: 'execve', tid: 102,
      params: { res: 0, exe: 'exfil', args: [], tid: 102, pid: 102, ptid: 100, comm: 'exfil', filename: '/tmp/exfil', uid: 0, gid: 0 },
    };
    const read = (path: string): EventInput => ({ name: 'openat', tid: 102, params: { fd: 3, dirfd: -100, name: path, flags: 1 } });
    expect(detections([spawn, read('/etc/shadow')])).toContain('Read sensitive file untrusted');
    expect(detections([spawn, read('/etc/hostname')])).not.toContain('Read sensitive file untrusted');
  });

  it('detects a symlink over a sensitive file', () => {
    const link: EventInput = { name: 'symlinkat', tid: 100, params: { res: 0, target: '/etc/shadow', linkdirfd: -100, linkpath: '/tmp/s' } };
    expect(detections([link])).toContain('Create Symlink Over Sensitive Files');
  });
});
