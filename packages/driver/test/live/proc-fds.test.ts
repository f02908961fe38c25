/**
 * The FDL entries read from /proc for a process: this test process opens a file, a TCP listener,
 * a TCP connection to it and a UDP socket, and finds each with its scap type, addresses, ports,
 * scap_l4_proto and open flags.
 */
import { createSocket } from 'node:dgram';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FD_TYPE, newThread, openFds, scapOpenFlags, withOpenFds } from '../../src';

describe('open descriptors from /proc', () => {
  it('converts kernel open flags to scap PPM_O_* flags', () => {
    expect(scapOpenFlags(0)).toBe(1); // O_RDONLY
    expect(scapOpenFlags(0o1)).toBe(2); // O_WRONLY
    expect(scapOpenFlags(0o2)).toBe(3); // O_RDWR
    expect(scapOpenFlags(0o2 | 0o2000 | 0o2000000)).toBe(3 | 8 | 4096); // O_RDWR|O_APPEND|O_CLOEXEC
    expect(scapOpenFlags(0o200000 | 0o4000)).toBe(1 | 1024 | 64); // O_DIRECTORY|O_NONBLOCK
  });

  it('finds files, TCP listeners and connections and UDP sockets with their scap types', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proc-fds-'));
    const path = join(dir, 'rw.bin');
    const fd = openSync(path, 'w+');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const client = createConnection(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const fds = openFds(process.pid);
      expect(fds.find((f) => f.fd === fd)).toMatchObject({ type: FD_TYPE.FILE_V2, name: path, openFlags: 3 | 2048 | 4096 });
      expect(fds).toContainEqual(expect.objectContaining({ type: FD_TYPE.IPV4_SERVSOCK, sip: '127.0.0.1', sport: port, l4proto: 2 }));
      expect(fds).toContainEqual(expect.objectContaining({ type: FD_TYPE.IPV4_SOCK, sip: '127.0.0.1', dip: '127.0.0.1', sport: client.localPort, dport: port, l4proto: 2 }));
      expect(fds).toContainEqual(expect.objectContaining({ type: FD_TYPE.IPV4_SERVSOCK, sip: '127.0.0.1', sport: udp.address().port, l4proto: 3 }));
      expect(fds.map((f) => f.fd)).toEqual([...fds.map((f) => f.fd)].sort((a, b) => a - b));
    } finally {
      closeSync(fd);
      client.destroy();
      udp.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('fills only main threads, and a process that is gone has none', () => {
    const main = newThread(process.pid);
    main.pid = process.pid;
    const other = newThread(process.pid + 1_000_000);
    other.pid = process.pid;
    const gone = newThread(2 ** 22 + 7);
    gone.pid = gone.tid;
    withOpenFds([main, other, gone]);
    expect(main.fds.length).toBeGreaterThan(2);
    expect(other.fds).toEqual([]);
    expect(gone.fds).toEqual([]);
  });
});
