/**
 * Table-driven exit events: a child performs file, credential and fd syscalls with known
 * arguments and each comes back with the parameters of its event-table entry.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCapture, type LiveCapture } from '../../src/live';
import { collect, cstr, i64, isRoot, run, u32, type SeenEvent } from './helpers';

const live = isRoot ? describe : describe.skip;

live('live table-driven syscalls', () => {
  let capture: LiveCapture;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-simple-'));
    capture = await openCapture({
      syscalls: ['mkdir', 'rmdir', 'chmod', 'symlink', 'unlink', 'rename', 'dup2', 'close', 'setuid', 'kill', 'fcntl', 'pipe2', 'getpid'],
    });
  });
  afterAll(() => {
    capture?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('encodes return values, paths, fds, uids, signals and converted flags', async () => {
    const script = `
import os, fcntl, signal
d = ${JSON.stringify(dir)}
os.mkdir(d + "/a", 0o751)
os.chmod(d + "/a", 0o700)
os.symlink("/etc/hostname", d + "/l")
os.rename(d + "/l", d + "/m")
os.unlink(d + "/m")
os.rmdir(d + "/a")
r, w = os.pipe2(os.O_CLOEXEC)
os.dup2(r, 100)
os.close(100)
fcntl.fcntl(w, fcntl.F_GETFL)
os.setuid(0)
os.kill(os.getpid(), 0)
`;
    const child = run('python3', ['-c', script]);
    let pid = -1;
    void child.then((r) => (pid = r.pid));
    const want = ['mkdir', 'chmod', 'symlink', 'rename', 'unlink', 'rmdir', 'pipe2', 'dup2', 'close', 'fcntl', 'setuid', 'kill', 'getpid'];
    const events = await collect(
      capture,
      () => true,
      (evs) => pid > 0 && want.every((n) => evs.some((e) => e.tid === pid && e.name === n || (n === 'getpid' && e.tid === pid && e.name === 'syscall'))),
    );
    const mine = events.filter((e) => e.tid === pid);
    const one = (name: string, pred: (e: SeenEvent) => boolean = () => true): SeenEvent => {
      const e = mine.find((x) => x.name === name && x.dir === '<' && pred(x));
      if (e === undefined) throw new Error(`no ${name} exit event from ${pid}; saw ${[...new Set(mine.map((x) => x.name))].join(',')}`);
      return e;
    };
    const mkdir = one('mkdir');
    expect(i64(mkdir.params[0])).toBe(0n);
    expect(cstr(mkdir.params[1])).toBe(`${dir}/a`);
    expect(u32(mkdir.params[2])).toBe(0o751);
    expect(u32(one('chmod').params[2])).toBe(0o700);
    const symlink = one('symlink');
    expect([cstr(symlink.params[1]), cstr(symlink.params[2])]).toEqual(['/etc/hostname', `${dir}/l`]);
    const rename = one('rename');
    expect([cstr(rename.params[1]), cstr(rename.params[2])]).toEqual([`${dir}/l`, `${dir}/m`]);
    expect(cstr(one('unlink').params[1])).toBe(`${dir}/m`);
    expect(cstr(one('rmdir').params[1])).toBe(`${dir}/a`);
    const pipe2 = mine.filter((e) => e.name === 'pipe2').pop()!;
    const [r, w] = [i64(pipe2.params[1]), i64(pipe2.params[2])];
    expect(r).toBeGreaterThan(2n);
    expect(w).toBe(r + 1n);
    expect(u32(pipe2.params[4])).toBe(4096); // PPM_O_CLOEXEC
    const dup2 = one('dup2', (e) => i64(e.params[2]) === 100n);
    expect([i64(dup2.params[0]), i64(dup2.params[1])]).toEqual([100n, r]);
    expect(i64(one('close', (e) => i64(e.params[1]) === 100n).params[0])).toBe(0n);
    const fcntl = one('fcntl', (e) => i64(e.params[1]) === w);
    expect((fcntl.params[2] as Uint8Array)[0]).toBe(4); // PPM_FCNTL_F_GETFL
    const setuid = one('setuid');
    expect([i64(setuid.params[0]), u32(setuid.params[1])]).toEqual([0n, 0]);
    const kill = one('kill');
    expect(i64(kill.params[1])).toBe(BigInt(pid));
    expect((kill.params[2] as Uint8Array)[0]).toBe(0);
    // getpid has no event of its own: the generic event carries its ppm_sc code and number (39).
    const generic = mine.find((e) => e.name === 'syscall' && Buffer.from(e.params[1] as Uint8Array).readUInt16LE(0) === 39);
    expect(generic).toBeDefined();
  });

  it('rejects names it cannot capture with the list it can', () => {
    expect(() => capture.setSyscalls(['openat', 'no_such_syscall'])).toThrow(/cannot capture no_such_syscall/);
  });
});
