/** The /proc scan used at live start, run against this very process. */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdKind } from '../../src/syscall/fd-types';
import { scanProc } from '../../src/syscall/proc-scan';
import { SyscallSource } from '../../src/syscall/source';

describe('/proc scan', () => {
  let dir: string;
  let fd: number;
  let server: Server;
  let client: Socket;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'proc-scan-'));
    writeFileSync(join(dir, 'held-open.txt'), 'x');
    fd = openSync(join(dir, 'held-open.txt'), 'r');
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    client = createConnection(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
  });

  afterAll(async () => {
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds this process with its command line, credentials and descriptors', () => {
    const init = scanProc();
    const me = init.threads.find((t) => t.tid === process.pid)!;
    expect(me).toBeDefined();
    expect(me.pid).toBe(process.pid);
    expect(me.ptid).toBe(process.ppid);
    expect(me.exepath).toBe(process.execPath);
    // argv[1] is the script as it was typed; node normalises its own copy of the path
    expect(me.args.slice(1)).toEqual(process.argv.slice(2));
    expect(me.cwd).toBe(process.cwd());
    expect(me.uid).toBe(process.getuid!());
    expect(me.env).toContain(`PATH=${process.env['PATH']}`);
    const file = me.fds!.find((f) => f.fd === fd)!;
    expect(file).toMatchObject({ kind: FdKind.File, name: join(dir, 'held-open.txt') });
    const port = (server.address() as { port: number }).port;
    const sock = me.fds!.find((f) => f.kind === FdKind.Ipv4 && f.dport === port);
    expect(sock).toMatchObject({ sip: '127.0.0.1', dip: '127.0.0.1', l4proto: 6 });
    // threads of this process (libuv's pool, V8's workers) share its parent
    const threads = init.threads.filter((t) => t.pid === process.pid && t.tid !== process.pid);
    expect(threads.length).toBeGreaterThan(0);
    for (const t of threads) expect(t.ptid).toBe(process.ppid);
  });

  it('seeds a source that resolves this process and its parent', () => {
    const source = new SyscallSource();
    source.seedFromProc();
    const me = source.state.threads.get(process.pid)!;
    expect(me.exepath).toBe(process.execPath);
    expect(source.state.threads.parent(me)?.pid).toBe(process.ppid);
    expect(me.fds.get(fd)?.name).toBe(join(dir, 'held-open.txt'));
    // the host's users were read too
    expect(source.state.users.user('', 0)?.name).toBe('root');
    // and the state now behaves as live: containers' users are read, idle threads kept while they exist
    expect(source.state.readContainerUsers).toBe(true);
    expect(source.state.threadStillAlive?.(process.pid)).toBe(true);
    expect(source.state.threadStillAlive?.(2 ** 30)).toBe(false);
  });

  it('reads the host through a mounted host root (HOST_ROOT): its /proc, and its users and groups', () => {
    // A host root as the DaemonSet mounts it: the host's /proc (here this machine's, linked) and an
    // /etc whose users differ from the detector's own.
    const root = mkdtempSync(join(tmpdir(), 'host-root-'));
    try {
      symlinkSync('/proc', join(root, 'proc'));
      mkdirSync(join(root, 'etc'));
      writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nhostonly:x:4242:4343:host user:/home/h:/bin/sh\n');
      writeFileSync(join(root, 'etc/group'), 'root:x:0:\nhostgroup:x:4343:\n');
      const source = new SyscallSource();
      source.seedFromProc({ procRoot: join(root, 'proc'), hostRoot: root });
      expect(source.state.threads.get(process.pid)?.exepath).toBe(process.execPath);
      expect(source.state.users.user('', 4242)?.name).toBe('hostonly');
      expect(source.state.users.group('', 4343)?.name).toBe('hostgroup');
      // containers' users are read through the same proc filesystem
      expect(source.state.procRoot).toBe(join(root, 'proc'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
