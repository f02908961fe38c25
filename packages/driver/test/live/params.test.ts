/**
 * Parameters read through kernel state rather than syscall arguments: pipe inode, socketpair
 * socket addresses, prctl's string argument, init_module's image, the exec event's writable and
 * overlayfs-layer flags, and the overlay flags of creat/openat. A child does each with known
 * inputs and reports what it can observe (inode numbers) through a file.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_TABLE } from '../../src';
import { openCapture, type LiveCapture } from '../../src/live';
import { collect, cstr, i64, isRoot, run, u32, type SeenEvent } from './helpers';

const live = isRoot ? describe : describe.skip;

const PPM_EXE_WRITABLE = 1;
const PPM_EXE_UPPER_LAYER = 2;
const PPM_EXE_LOWER_LAYER = 8;
const PPM_FD_UPPER_LAYER = 1 << 15;
const PPM_FD_LOWER_LAYER = 1 << 16;
const PPM_FD_UPPER_LAYER_CREAT = 1;

/** A parameter by its event-table name, so the test reads what the table says, not an index. */
function param(e: SeenEvent, name: string): SeenEvent['params'][number] {
  const i = EVENT_TABLE[e.type]!.params.findIndex((p) => p[0] === name);
  if (i < 0) throw new Error(`${EVENT_TABLE[e.type]!.name} has no parameter ${name}`);
  return e.params[i];
}

function u64(b: SeenEvent['params'][number]): bigint {
  return Buffer.from(b as Uint8Array).readBigUInt64LE(0);
}

live('live parameters read from kernel state', () => {
  let capture: LiveCapture;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-params-'));
    capture = await openCapture({ syscalls: ['pipe', 'pipe2', 'socketpair', 'prctl', 'init_module', 'execve', 'creat', 'openat'] });
  });
  afterAll(() => {
    capture?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pipe inode, socketpair ends, prctl name, init_module image', async () => {
    const out = path.join(dir, 'observed.json');
    const script = `
import os, socket, ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
r, w = os.pipe2(0)
sa, sb = socket.socketpair()
libc.prctl(15, b"fts-param-name", 0, 0, 0)
image = b"\\x7fELF-not-a-module-" + bytes(range(100))
libc.syscall(175, image, len(image), b"")
json.dump({"pipe": [r, w], "pipe_ino": os.fstat(r).st_ino, "sp": [sa.fileno(), sb.fileno()]}, open(${JSON.stringify(out)}, "w"))
`;
    let pid = -1;
    const child = run('python3', ['-c', script]);
    void child.then((r) => (pid = r.pid));
    const events = await collect(
      capture,
      (v) => ['pipe2', 'socketpair', 'prctl', 'init_module'].includes(v.name) && v.dir === '<',
      (evs) => pid > 0 && ['pipe2', 'socketpair', 'prctl', 'init_module'].every((n) => evs.some((e) => e.tid === pid && e.name === n)),
    );
    await child;
    const observed = JSON.parse(fs.readFileSync(out, 'utf8')) as { pipe: number[]; pipe_ino: number; sp: number[] };
    const of = (name: string): SeenEvent => {
      const e = events.filter((x) => x.tid === pid && x.name === name).pop();
      if (!e) throw new Error(`no ${name} event from the child`);
      return e;
    };
    // The spawning runtime makes pipes in the child before exec, with the same fd numbers: the
    // script's is the last one.
    const pipe = events.filter((x) => x.tid === pid && x.name === 'pipe2' && Number(i64(param(x, 'fd1'))) === observed.pipe[0]).pop()!;
    expect(pipe).toBeDefined();
    expect(i64(param(pipe, 'res'))).toBe(0n);
    expect(u64(param(pipe, 'ino'))).toBe(BigInt(observed.pipe_ino));

    const sp = of('socketpair');
    expect([Number(i64(param(sp, 'fd1'))), Number(i64(param(sp, 'fd2')))]).toEqual(observed.sp);
    const source = u64(param(sp, 'source'));
    const peer = u64(param(sp, 'peer'));
    // Kernel addresses of the two struct socks: both in the kernel half, and distinct.
    expect(source >= 0xffff800000000000n).toBe(true);
    expect(peer >= 0xffff800000000000n).toBe(true);
    expect(peer).not.toBe(source);

    const prctl = of('prctl');
    expect(u32(param(prctl, 'option'))).toBe(15);
    expect(cstr(param(prctl, 'arg2_str'))).toBe('fts-param-name');
    expect((param(prctl, 'arg2_int') as Uint8Array).length).toBe(0);

    const mod = of('init_module');
    expect(i64(param(mod, 'res'))).toBeLessThan(0n); // not a module: refused, but the image is reported
    const img = Buffer.from(param(mod, 'img') as Uint8Array);
    const sent = Buffer.concat([Buffer.from('\x7fELF-not-a-module-', 'latin1'), Buffer.from(Array.from({ length: 100 }, (_, i) => i))]);
    expect(img).toEqual(sent.subarray(0, 80)); // the first SNAPLEN bytes
    expect(u64(param(mod, 'length'))).toBe(BigInt(sent.length));
  });

  it('exec flags: writable for the owner, not for another user of a root-owned 0755 binary', async () => {
    const own = path.join(dir, 'own-true');
    fs.copyFileSync('/bin/true', own);
    fs.chmodSync(own, 0o755);
    fs.chmodSync(dir, 0o755);
    const pids: number[] = [];
    const a = run(own, []).then((r) => pids.push(r.pid));
    const nobody = new Promise<void>((resolve, reject) => {
      try {
        // uid/gid 65534 (nobody) runs the root-owned copy: mode 0755 gives it no write access.
        execFileSync(own, [], { uid: 65534, gid: 65534, stdio: 'ignore' });
        resolve();
      } catch (e) {
        reject(e as Error);
      }
    });
    await a;
    await nobody;
    const events = await collect(
      capture,
      (v) => v.name === 'execve' && v.dir === '<',
      (evs) => evs.filter((e) => cstr(param(e, 'trusted_exepath')) === own && i64(param(e, 'res')) === 0n).length >= 2,
    );
    const execs = events.filter((e) => cstr(param(e, 'trusted_exepath')) === own && i64(param(e, 'res')) === 0n);
    expect(execs).toHaveLength(2);
    const byUid = new Map(execs.map((e) => [u32(param(e, 'uid')), u32(param(e, 'flags'))]));
    expect((byUid.get(0)! & PPM_EXE_WRITABLE) !== 0).toBe(true);
    expect((byUid.get(65534)! & PPM_EXE_WRITABLE) !== 0).toBe(false);
    expect(byUid.get(0)! & (PPM_EXE_UPPER_LAYER | PPM_EXE_LOWER_LAYER)).toBe(0); // not on overlayfs
  });

  it('overlayfs: exec from the lower layer, creat and open in the upper layer', async () => {
    const base = path.join(dir, 'ovl');
    const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((n) => path.join(base, n));
    for (const d of [lower, upper, work, merged]) fs.mkdirSync(d!, { recursive: true });
    fs.copyFileSync('/bin/true', path.join(lower!, 'lower-true'));
    fs.chmodSync(path.join(lower!, 'lower-true'), 0o755);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged!]);
    try {
      const exe = path.join(merged!, 'lower-true');
      const created = path.join(merged!, 'created');
      const script = `import os\nos.close(os.open(${JSON.stringify(created)}, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))\nos.close(os.open(${JSON.stringify(exe)}, os.O_RDONLY))`;
      const creatScript = `import ctypes\nlibc = ctypes.CDLL(None)\nlibc.close(libc.syscall(85, ${JSON.stringify(created + '2')}.encode(), 0o644))`;
      // Drain while the children run: openat is busy system-wide, and a ring buffer left to fill
      // during three process start-ups on a loaded machine drops the very events looked for.
      const collecting = collect(
        capture,
        (v) => (v.name === 'execve' || v.name === 'openat' || v.name === 'creat') && v.dir === '<',
        (evs) =>
          evs.some((e) => e.name === 'execve' && cstr(param(e, 'trusted_exepath')) === exe) &&
          evs.some((e) => e.name === 'creat' && cstr(param(e, 'name')) === created + '2') &&
          evs.filter((e) => e.name === 'openat' && [created, exe].includes(cstr(param(e, 'name')))).length >= 2,
        20_000,
      );
      await run(exe, []);
      await run('python3', ['-c', script]);
      await run('python3', ['-c', creatScript]);
      const events = await collecting;
      const exec = events.find((e) => e.name === 'execve' && cstr(param(e, 'trusted_exepath')) === exe)!;
      expect(u32(param(exec, 'flags')) & (PPM_EXE_UPPER_LAYER | PPM_EXE_LOWER_LAYER)).toBe(PPM_EXE_LOWER_LAYER);
      const openCreated = events.find((e) => e.name === 'openat' && cstr(param(e, 'name')) === created)!;
      expect(u32(param(openCreated, 'flags')) & (PPM_FD_UPPER_LAYER | PPM_FD_LOWER_LAYER)).toBe(PPM_FD_UPPER_LAYER);
      const openLower = events.find((e) => e.name === 'openat' && cstr(param(e, 'name')) === exe)!;
      expect(u32(param(openLower, 'flags')) & (PPM_FD_UPPER_LAYER | PPM_FD_LOWER_LAYER)).toBe(PPM_FD_LOWER_LAYER);
      const creat = events.find((e) => e.name === 'creat' && cstr(param(e, 'name')) === created + '2')!;
      expect(i64(param(creat, 'fd'))).toBeGreaterThanOrEqual(0n);
      expect(Buffer.from(param(creat, 'creat_flags') as Uint8Array).readUInt16LE(0)).toBe(PPM_FD_UPPER_LAYER_CREAT);
    } finally {
      execFileSync('umount', [merged!]);
    }
  });
});
