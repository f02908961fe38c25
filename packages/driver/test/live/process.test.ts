/**
 * Process lifecycle: exec (argv, env, cwd, credentials, paths), the fork family from both sides,
 * and exit status, for a shell that runs a child and exits 3.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCapture, type LiveCapture } from '../../src/live';
import { collect, cstr, i64, isRoot, run, strings, u32, type SeenEvent } from './helpers';

const live = isRoot ? describe : describe.skip;

// Parameter positions in the exec and clone exit events (event_table.json).
const P = { res: 0, exe: 1, args: 2, tid: 3, pid: 4, ptid: 5, cwd: 6, comm: 13, cgroups: 14, env: 15, uid: 26, exepath: 27, filename: 30 };

live('live process lifecycle', () => {
  let capture: LiveCapture;
  beforeAll(async () => {
    capture = await openCapture({ syscalls: ['execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork', 'sched_process_exit'] });
  });
  afterAll(() => capture?.close());

  it('sees exec with argv/env/cwd, the fork from both sides, and both exits', async () => {
    let shell = -1;
    void run('/bin/sh', ['-c', '/bin/true one two; exit 3'], { cwd: '/tmp', env: { PATH: '/usr/bin:/bin', LIVE_TEST_MARK: 'yes' } }).then((r) => (shell = r.pid));
    const exitOf = (evs: SeenEvent[], tid: number): SeenEvent | undefined => evs.find((e) => e.name === 'procexit' && e.tid === tid);
    const events = await collect(
      capture,
      () => true,
      (evs) => {
        if (shell < 0 || exitOf(evs, shell) === undefined) return false;
        const child = evs.find((e) => e.name === 'execve' && e.dir === '<' && cstr(e.params[P.exe]) === '/bin/true' && i64(e.params[P.ptid]) === BigInt(shell));
        return child !== undefined && exitOf(evs, child.tid) !== undefined;
      },
    );
    const shellExec = events.find((e) => e.name === 'execve' && e.tid === shell && i64(e.params[P.res]) === 0n);
    expect(shellExec).toBeDefined();
    expect(shellExec!.params).toHaveLength(31);
    expect(cstr(shellExec!.params[P.exe])).toBe('/bin/sh');
    expect(strings(shellExec!.params[P.args])).toEqual(['-c', '/bin/true one two; exit 3']);
    expect(cstr(shellExec!.params[P.cwd])).toBe(fs.realpathSync('/tmp'));
    expect(strings(shellExec!.params[P.env])).toEqual(expect.arrayContaining(['LIVE_TEST_MARK=yes', 'PATH=/usr/bin:/bin']));
    expect(cstr(shellExec!.params[P.comm])).toBe('sh');
    expect(i64(shellExec!.params[P.pid])).toBe(BigInt(shell));
    expect(i64(shellExec!.params[P.ptid])).toBe(BigInt(process.pid));
    expect(u32(shellExec!.params[P.uid])).toBe(0);
    expect(cstr(shellExec!.params[P.filename])).toBe('/bin/sh');
    expect(cstr(shellExec!.params[P.exepath])).toBe(fs.realpathSync('/bin/sh'));
    // cgroups: one "controller=path" per controller, as /proc/<pid>/cgroup lists them (the shell
    // inherits this process's cgroups); on v1 or hybrid hosts each from its own hierarchy.
    const cgroups = strings(shellExec!.params[P.cgroups]);
    const expected = fs
      .readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .map((l) => /^\d+:([^:]+):(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && !m[1]!.startsWith('name='))
      .flatMap((m) => m[1]!.split(',').map((c) => `${c}=${m[2]}`));
    if (expected.length > 0) expect(cgroups).toEqual(expect.arrayContaining(expected));
    else expect(cgroups.length).toBeGreaterThan(0);

    const childExec = events.find((e) => e.name === 'execve' && e.dir === '<' && cstr(e.params[P.exe]) === '/bin/true' && i64(e.params[P.ptid]) === BigInt(shell))!;
    expect(strings(childExec.params[P.args])).toEqual(['one', 'two']);
    const child = childExec.tid;

    // The shell's fork-family call returns the child's tid in the parent and 0 in the child.
    const forks = events.filter((e) => ['clone', 'clone3', 'fork', 'vfork'].includes(e.name));
    const parentSide = forks.find((e) => e.tid === shell && i64(e.params[0]) === BigInt(child));
    const childSide = forks.find((e) => e.tid === child && i64(e.params[0]) === 0n);
    expect(parentSide).toBeDefined();
    expect(childSide).toBeDefined();
    expect(i64(childSide!.params[P.ptid])).toBe(BigInt(shell));
    expect(childSide!.params).toHaveLength(21);

    // procexit: status, ret, sig, core, reaper
    const shellExit = exitOf(events, shell)!;
    expect(i64(shellExit.params[1])).toBe(3n);
    expect(i64(exitOf(events, child)!.params[1])).toBe(0n);
  });

  it('names the reaper of orphaned children in procexit: a subreaper ancestor, a sibling thread, or none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-reaper-'));
    const out = path.join(dir, 'pids.json');
    // A makes itself a child subreaper and forks B; B forks C and exits while C lives, so C goes to
    // A. D (a child of A) starts a thread and then exits its main thread while holding a child E:
    // E goes to D's other thread. A childless exit names no reaper.
    const script = `
import os, ctypes, json, time, threading, sys
libc = ctypes.CDLL(None)
libc.prctl(36, 1, 0, 0, 0)
r, w = os.pipe()
b = os.fork()
if b == 0:
    c = os.fork()
    if c == 0:
        time.sleep(0.5); os._exit(0)
    os.write(w, (str(c) + "\\n").encode())
    os._exit(0)
os.waitpid(b, 0)
c = int(os.read(r, 64).split()[0])
d = os.fork()
if d == 0:
    e = os.fork()
    if e == 0:
        time.sleep(0.5); os._exit(0)
    t = threading.Thread(target=lambda: (time.sleep(0.3), os._exit(0)))
    t.start()
    os.write(w, (str(e) + " " + str(threading.get_native_id()) + " " + str(t.native_id) + "\\n").encode())
    libc.syscall(60, 0)  # exit(2): only this thread ends
e, d_main, d_thread = map(int, os.read(r, 64).split())
json.dump({"a": os.getpid(), "b": b, "c": c, "d": d_main, "d_thread": d_thread}, open(${JSON.stringify(out)}, "w"))
time.sleep(0.8)
`;
    try {
      await run('python3', ['-c', script]);
      const pids = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<'a' | 'b' | 'c' | 'd' | 'd_thread', number>;
      const events = await collect(
        capture,
        (v) => v.name === 'procexit',
        (evs) => [pids.b, pids.c, pids.d, pids.d_thread].every((t) => evs.some((e) => e.tid === t)),
      );
      const reaper = (tid: number): bigint => i64(events.find((e) => e.tid === tid)!.params[4]);
      expect(reaper(pids.b)).toBe(BigInt(pids.a)); // the subreaper ancestor
      expect(reaper(pids.d)).toBe(BigInt(pids.d_thread)); // a live thread of the same group
      expect(reaper(pids.c)).toBe(0n); // no children: nobody to reap
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failed exec with its errno and the filename as passed', async () => {
    let pid = -1;
    void run('/bin/sh', ['-c', 'exec /nonexistent/prog 2>/dev/null'], {}).then((r) => (pid = r.pid));
    const events = await collect(
      capture,
      (v) => v.name === 'execve',
      (evs) => pid > 0 && evs.some((e) => e.tid === pid && cstr(e.params[P.filename]) === '/nonexistent/prog'),
    );
    const failed = events.find((e) => e.tid === pid && cstr(e.params[P.filename]) === '/nonexistent/prog');
    expect(failed).toBeDefined();
    expect(i64(failed!.params[P.res])).toBe(-2n); // ENOENT
    expect(cstr(failed!.params[P.comm])).toBe('sh');
  });
});
