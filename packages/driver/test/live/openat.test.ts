/**
 * The live spine: a child's openat of /etc/shadow reaches JavaScript as the enter event (the path
 * as passed, before the kernel acts) and the exit event (fd, path, flags, dev/ino).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVENT_TABLE } from '../../src';
import { openCapture, type LiveCapture } from '../../src/live';
import { collect, cstr, i64, isRoot, run, strings, u32 } from './helpers';

const live = isRoot ? describe : describe.skip;

live('live openat', () => {
  let capture: LiveCapture;
  beforeAll(async () => {
    capture = await openCapture({ syscalls: ['openat', 'execve'] });
  });
  afterAll(() => capture?.close());

  it('delivers the enter and exit events of `cat /etc/shadow` with its tid and the path', async () => {
    const child = run('cat', ['/etc/shadow']);
    let pid = -1;
    void child.then((r) => (pid = r.pid));
    const events = await collect(
      capture,
      (v) => (v.name === 'openat' && v.nparams > 2) || v.name === 'execve',
      (evs) => pid > 0 && evs.filter((e) => e.tid === pid && e.name === 'openat' && cstr(e.params[e.dir === '>' ? 1 : 2]) === '/etc/shadow').length >= 2,
    );
    const mine = events.filter((e) => e.tid === pid);
    const enter = mine.find((e) => e.name === 'openat' && e.dir === '>' && cstr(e.params[1]) === '/etc/shadow');
    const exit = mine.find((e) => e.name === 'openat' && e.dir === '<' && cstr(e.params[2]) === '/etc/shadow');
    expect(enter).toBeDefined();
    expect(exit).toBeDefined();
    expect(EVENT_TABLE[enter!.type]!.name).toBe('openat');
    expect(enter!.params).toHaveLength(4);
    expect(exit!.params).toHaveLength(7);
    expect(i64(exit!.params[0])).toBeGreaterThanOrEqual(0n); // fd: root can read it
    expect(i64(exit!.params[1])).toBe(-100n); // AT_FDCWD
    expect(u32(exit!.params[3]) & 3).toBe(1); // PPM_O_RDONLY
    expect(u32(exit!.params[5])).toBeGreaterThan(0); // dev
    expect(i64(exit!.params[6])).toBeGreaterThan(0n); // ino
    expect(exit!.ts).toBeGreaterThanOrEqual(enter!.ts);
    // Who did it: the child's exec event carries comm, exe, args and uid for the state model.
    const exec = mine.find((e) => e.name === 'execve' && i64(e.params[0]) === 0n);
    expect(exec).toBeDefined();
    expect(cstr(exec!.params[1])).toBe('cat');
    expect(strings(exec!.params[2])).toEqual(['/etc/shadow']);
    expect(cstr(exec!.params[13])).toBe('cat');
    expect(u32(exec!.params[26])).toBe(0);
    expect(exec!.ts).toBeLessThan(enter!.ts);
    // Timestamps are wall-clock ns: within a minute of now.
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    expect(nowNs - exit!.ts < 60_000_000_000n && exit!.ts - nowNs < 60_000_000_000n).toBe(true);
  });
});

describe('live capture without privileges', () => {
  it('fails with NOT_PRIVILEGED and says what to do', async () => {
    if (!isRoot) {
      await expect(openCapture({ syscalls: ['openat'] })).rejects.toMatchObject({ name: 'DriverError', code: 'NOT_PRIVILEGED' });
      return;
    }
    // As root, try it as `nobody` in a child process running the built package.
    const dist = path.join(__dirname, '..', '..', 'dist', 'index.js');
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: build the package first`);
    const script = `require(${JSON.stringify(dist)}).openCapture({ syscalls: ['openat'] }).then(
      () => console.log(JSON.stringify({ opened: true })),
      (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`;
    const out = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    const result = JSON.parse(out) as { name: string; code: string; message: string };
    expect(result).toMatchObject({ name: 'DriverError', code: 'NOT_PRIVILEGED' });
    expect(result.message).toMatch(/needs root, or CAP_BPF/);
  });
});
