import { FdKind } from '../../src/syscall/fd-types';
import { seedState } from '../../src/syscall/seed';
import { SyscallSource } from '../../src/syscall/source';
import { SyscallState } from '../../src/syscall/state';
import { DEFAULT_LIMITS } from '../../src/syscall/thread-table';
import { batchOf, forEachEvent, type EventInput } from './events';

const SHELL = 100;
const CHILD = 200;

function withShell(): SyscallState {
  const s = new SyscallState();
  seedState(s, {
    threads: [
      { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', args: [], cwd: '/', uid: 0, gid: 0 },
      {
        tid: SHELL,
        pid: SHELL,
        ptid: 1,
        sid: SHELL,
        vpgid: SHELL,
        comm: 'bash',
        exe: '-bash',
        exepath: '/usr/bin/bash',
        args: [],
        env: ['HOME=/root', 'TERM=xterm'],
        cwd: '/root',
        uid: 0,
        gid: 0,
        fds: [{ fd: 0, kind: FdKind.File, name: '/dev/pts/0' }],
      },
    ],
  });
  return s;
}

function run(s: SyscallState, events: EventInput[]): void {
  forEachEvent(batchOf(events), (c) => s.process(c.view));
}

const forkShell: EventInput[] = [
  { name: 'clone', tid: SHELL, params: { res: CHILD, exe: '-bash', args: [], tid: SHELL, pid: SHELL, ptid: 1, cwd: '/root', comm: 'bash', flags: 0, uid: 0, gid: 0, vtid: SHELL, vpid: SHELL } },
  { name: 'clone', tid: CHILD, params: { res: 0, exe: '-bash', args: [], tid: CHILD, pid: CHILD, ptid: SHELL, cwd: '/root', comm: 'bash', flags: 0, uid: 0, gid: 0, vtid: CHILD, vpid: CHILD } },
];

describe('syscall state', () => {
  it('creates the child on clone and fills it from execve', () => {
    const s = withShell();
    run(s, [
      ...forkShell,
      {
        name: 'execve',
        tid: CHILD,
        params: {
          res: 0,
          exe: 'cat',
          args: ['/etc/passwd'],
          tid: CHILD,
          pid: CHILD,
          ptid: SHELL,
          cwd: '',
          comm: 'cat',
          env: ['HOME=/root', 'PATH=/usr/bin'],
          filename: '/usr/bin/cat',
          uid: 1000,
          gid: 1000,
          flags: 1,
          cgroups: ['cpuset=/', 'memory=/user.slice'],
        },
      },
    ]);
    const child = s.threads.get(CHILD)!;
    expect(child.comm).toBe('cat');
    expect(child.exe).toBe('cat');
    expect(child.args).toEqual(['/etc/passwd']);
    expect(child.exepath).toBe('/usr/bin/cat');
    expect(child.env).toEqual(['HOME=/root', 'PATH=/usr/bin']);
    expect(child.cwd).toBe('/root/');
    expect(child.uid).toBe(1000);
    expect(child.exeWritable).toBe(true);
    expect(child.ptid).toBe(SHELL);
    expect(s.threads.parent(child)?.comm).toBe('bash');
    expect(child.fds.get(0)?.name).toBe('/dev/pts/0'); // inherited, not the same table
    expect(child.fds).not.toBe(s.threads.get(SHELL)!.fds);
    expect(child.containerId).toBe('');
  });

  it('tracks open, dup and close, with close taking effect after its own event', () => {
    const s = withShell();
    run(s, [
      { name: 'openat', tid: SHELL, params: { fd: 3, dirfd: -100, name: 'notes/../todo.txt', flags: 1, mode: 0 } },
      { name: 'dup2', tid: SHELL, params: { res: 5, oldfd: 3, newfd: 5 } },
    ]);
    const t = s.threads.get(SHELL)!;
    expect(t.fds.get(3)?.name).toBe('/root/todo.txt');
    expect(t.fds.get(3)?.nameRaw).toBe('notes/../todo.txt');
    expect(t.fds.get(5)?.name).toBe('/root/todo.txt');
    run(s, [{ name: 'close', tid: SHELL, params: { res: 0, fd: 3 } }]);
    expect(s.fdInfo?.name).toBe('/root/todo.txt'); // the close event still sees the file
    expect(t.fds.get(3)).toBeDefined();
    run(s, [{ name: 'chdir', tid: SHELL, params: { res: 0, path: '/tmp' } }]);
    expect(t.fds.get(3)).toBeUndefined();
    expect(t.fds.get(5)).toBeDefined();
    expect(t.cwd).toBe('/tmp/');
  });

  it('names connected sockets by their tuple and marks the client side', () => {
    const s = withShell();
    run(s, [
      { name: 'socket', tid: SHELL, params: { fd: 4, domain: 2, type: 1, proto: 0 } },
      { name: 'connect', tid: SHELL, params: { res: -115, tuple: { sip: '10.0.0.1', sport: 40000, dip: '10.0.0.2', dport: 443 }, fd: 4 } },
    ]);
    const fd = s.threads.get(SHELL)!.fds.get(4)!;
    expect(fd.name).toBe('10.0.0.1:40000->10.0.0.2:443');
    expect(fd.typeChar).toBe('4');
    expect(fd.l4proto).toBe(6);
    expect(fd.role).toBe(1);
    run(s, [{ name: 'accept4', tid: SHELL, params: { fd: 6, tuple: { sip: '10.0.0.9', sport: 5555, dip: '10.0.0.1', dport: 22 } } }]);
    expect(s.threads.get(SHELL)!.fds.get(6)!.role).toBe(2);
  });

  it('removes an exited process after its exit event and reparents its children', () => {
    const s = withShell();
    run(s, [...forkShell, { name: 'procexit', dir: 'enter', tid: SHELL, params: { status: 0, ret: 0, sig: 0, core: 0, reaper_tid: 1 } }]);
    expect(s.threads.get(SHELL)).toBeDefined(); // still there for its own exit event
    run(s, [{ name: 'chdir', tid: CHILD, params: { res: 0, path: '/' } }]);
    expect(s.threads.get(SHELL)).toBeUndefined();
    expect(s.threads.get(CHILD)!.ptid).toBe(1);
  });

  it('shares the fd table between threads of a process', () => {
    const s = withShell();
    run(s, [
      { name: 'clone', tid: 201, params: { res: 0, exe: '-bash', args: [], tid: 201, pid: SHELL, ptid: 1, comm: 'bash', flags: 8192 } },
      { name: 'openat', tid: 201, params: { fd: 7, dirfd: -100, name: '/etc/hosts', flags: 1 } },
    ]);
    expect(s.threads.get(SHELL)!.fds.get(7)?.name).toBe('/etc/hosts');
  });

  it('bounds the thread table', () => {
    const s = new SyscallState({ limits: { ...DEFAULT_LIMITS, maxThreads: 3 } });
    run(s, [1, 2, 3, 4, 5].map((tid) => ({ name: 'chdir', tid, params: { res: 0, path: '/' } })));
    expect(s.threads.size).toBe(3);
    expect(s.threads.stats.dropped).toBe(2);
  });

  it('purges threads idle for longer than the timeout', () => {
    const s = new SyscallState({ limits: { ...DEFAULT_LIMITS, inactiveTimeoutNs: 10n, purgeIntervalNs: 5n } });
    run(s, [
      { name: 'chdir', tid: 10, ts: 100n, params: { res: 0, path: '/' } },
      { name: 'chdir', tid: 11, ts: 106n, params: { res: 0, path: '/' } },
      { name: 'chdir', tid: 11, ts: 120n, params: { res: 0, path: '/' } },
    ]);
    expect(s.threads.get(10)).toBeUndefined();
    expect(s.threads.get(11)).toBeDefined();
  });
});

describe('syscall source event types', () => {
  it('selects the generic syscall event for syscalls without an event of their own', () => {
    const s = new SyscallSource();
    expect(s.eventTypes.codesForName('madvise')).toEqual(s.eventTypes.codesForName('syscall'));
    expect(s.eventTypes.codesForName('open').length).toBeGreaterThan(1);
    expect(s.eventTypes.codesForName('no_such_call')).toEqual([]);
  });
});

describe('state bounds and hostile input', () => {
  it('bounds each process fd table', () => {
    const s = new SyscallState({ limits: { ...DEFAULT_LIMITS, maxFdsPerProcess: 2 } });
    run(s, [3, 4, 5].map((fd) => ({ name: 'openat', tid: 10, params: { fd, dirfd: -100, name: `/tmp/f${fd}`, flags: 1 } })));
    const t = s.threads.get(10)!;
    expect(t.fds.size).toBe(2);
    expect(t.fds.get(5)).toBeUndefined();
  });

  it('survives a parent cycle in the input', () => {
    const src = new SyscallSource();
    src.seed({
      threads: [
        { tid: 20, pid: 20, ptid: 21, comm: 'a', exe: 'a', args: [], cwd: '/', uid: 0, gid: 0 },
        { tid: 21, pid: 21, ptid: 20, comm: 'b', exe: 'b', args: [], cwd: '/', uid: 0, gid: 0 },
      ],
    });
    const aname = src.fields.resolve('proc.aname', '5')!;
    const loginshell = src.fields.resolve('proc.loginshellid', undefined)!;
    const values: unknown[] = [];
    src.forEach(batchOf([{ name: 'chdir', tid: 20, params: { res: 0, path: '/' } }]), (e) => {
      if ('error' in aname || 'error' in loginshell) throw new Error('unresolved');
      values.push(aname.extract(e, '5'), loginshell.extract(e, undefined));
    });
    // proc.aname[5] walks a→b→a→… without looping forever; no shell among the ancestors
    expect(values).toEqual(['b', 0]);
    expect(src.state.threads.size).toBe(2);
  });
});
