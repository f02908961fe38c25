/**
 * Sockets: a child connects to a local TCP server and sends a greeting. connect shows the address
 * on enter and the full tuple on exit; the server's accept4 and the child's sendto carry the same
 * connection; a unix socket connect carries the path.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSockaddr, decodeSocktuple } from '../../src';
import { openCapture, type LiveCapture } from '../../src/live';
import { collect, i64, isRoot, run } from './helpers';

const live = isRoot ? describe : describe.skip;

live('live sockets', () => {
  let capture: LiveCapture;
  let server: net.Server;
  let port = 0;
  let unixServer: net.Server;
  let dir: string;
  let unixPath: string;
  beforeAll(async () => {
    capture = await openCapture({ syscalls: ['connect', 'accept', 'accept4', 'sendto', 'bind'] });
    server = net.createServer((s) => s.on('data', () => s.end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-net-'));
    unixPath = path.join(dir, 'sock');
    unixServer = net.createServer((s) => s.end());
    await new Promise<void>((r) => unixServer.listen(unixPath, r));
  });
  afterAll(async () => {
    capture?.close();
    await new Promise((r) => server.close(r));
    await new Promise((r) => unixServer.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the address on connect enter and the tuple on connect exit, accept and sendto', async () => {
    const script = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", ${port}))
s.send(b"hello from the child")
s.recv(10)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.connect(${JSON.stringify(unixPath)})
`;
    let pid = -1;
    void run('python3', ['-c', script]).then((r) => (pid = r.pid));
    const events = await collect(
      capture,
      (v) => v.name !== 'bind',
      (evs) =>
        pid > 0 &&
        evs.some(
          (e) =>
            e.tid === pid &&
            e.name === 'connect' &&
            e.dir === '<' &&
            (decodeSockaddr(e.params[3] as Uint8Array) as { path?: string } | undefined)?.path === unixPath,
        ) &&
        evs.some((e) => e.name === 'accept4' || e.name === 'accept') &&
        evs.some((e) => e.tid === pid && e.name === 'sendto'),
    );
    const mine = events.filter((e) => e.tid === pid);
    const enter = mine.find((e) => e.name === 'connect' && e.dir === '>' && decodeSockaddr(e.params[1] as Uint8Array)?.family === 'inet');
    expect(decodeSockaddr(enter!.params[1] as Uint8Array)).toEqual({ family: 'inet', addr: '127.0.0.1', port });
    const exit = mine.find((e) => e.name === 'connect' && e.dir === '<' && decodeSockaddr(e.params[3] as Uint8Array)?.family === 'inet')!;
    expect(i64(exit.params[0])).toBe(0n);
    const tuple = decodeSocktuple(exit.params[1] as Uint8Array);
    expect(tuple).toMatchObject({ family: 'inet', sip: '127.0.0.1', dip: '127.0.0.1', dport: port });
    const sport = (tuple as { sport: number }).sport;
    expect(sport).toBeGreaterThan(0);
    expect(i64(exit.params[2])).toBe(i64(enter!.params[0]));

    const accepted = events.find((e) => (e.name === 'accept4' || e.name === 'accept') && e.tid === process.pid && i64(e.params[0]) >= 0n);
    expect(decodeSocktuple(accepted!.params[1] as Uint8Array)).toEqual({ family: 'inet', sip: '127.0.0.1', sport, dip: '127.0.0.1', dport: port });

    const sent = mine.find((e) => e.name === 'sendto')!;
    expect(i64(sent.params[0])).toBe(20n);
    expect(Buffer.from(sent.params[1] as Uint8Array).toString()).toBe('hello from the child');
    expect(decodeSocktuple(sent.params[4] as Uint8Array)).toEqual(tuple);

    // glibc may also connect to nscd's socket from the same process, so pick the connect whose
    // target is ours and check the exit carries it in both the address and the tuple.
    const unixExits = mine.filter((e) => e.name === 'connect' && e.dir === '<' && decodeSockaddr(e.params[3] as Uint8Array)?.family === 'unix');
    const unixExit = unixExits.find((e) => (decodeSockaddr(e.params[3] as Uint8Array) as { path?: string }).path === unixPath)!;
    expect(unixExit).toBeDefined();
    expect(decodeSockaddr(unixExit.params[3] as Uint8Array)).toEqual({ family: 'unix', path: unixPath });
    expect(decodeSocktuple(unixExit.params[1] as Uint8Array)).toMatchObject({ family: 'unix', path: unixPath });
  });
});
