import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';
import { formatText } from '@falco-ts/alert';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { tempDir, waitFor } from '../helpers/net';

describe('syslog sink', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('sends RFC 3164 datagrams to a local unix datagram socket, severity = priority', async () => {
    const path = join(tmp.dir, 'log.sock');
    const server = new DgramSocket();
    const got: string[] = [];
    server.on('data', (buf: Buffer) => got.push(buf.toString('utf8')));
    server.bind(path);
    try {
      const { outputs } = await buildOutputs({ syslog_output: { enabled: true, socket_path: path } });
      const warning = sampleAlert(0);
      const critical = sampleAlert(1, { priority: 'Critical' });
      outputs.emit(warning);
      outputs.emit(critical);
      await outputs.idle();
      await waitFor(() => got.length === 2, 'two datagrams');
      await outputs.shutdown();
      // facility user (1) * 8 + Warning (4) = 12; + Critical (2) = 10
      expect(got[0]).toMatch(new RegExp(`^<12>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d falco\\[${process.pid}\\]: `));
      expect(got[0].endsWith(`: ${formatText(warning, false)}`)).toBe(true);
      expect(got[1].startsWith('<10>')).toBe(true);
    } finally {
      server.close();
    }
  });

  it('fails fast without a listener at the local socket: drops are counted and exit is not delayed', async () => {
    // Default retry and drain settings: before the fix every run waited the full 5 s drain deadline.
    const { outputs, logs } = await buildOutputs({ syslog_output: { enabled: true, socket_path: join(tmp.dir, 'absent.sock') } });
    const started = Date.now();
    for (let i = 0; i < 50; i++) outputs.emit(sampleAlert(i));
    await outputs.idle();
    await outputs.shutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    // Queued alerts go out as one batch attempt; every alert of it is counted as a drop.
    expect(outputs.stats().syslog).toMatchObject({ sent: 0, dropped: { rejected: 50 } });
    expect(logs.filter((l) => l.includes('no syslog daemon'))).toHaveLength(1);
  });

  it('a socket with no daemon behind it (refused) is rejected the same way', async () => {
    const path = join(tmp.dir, 'dead.sock');
    const dead = new DgramSocket();
    dead.bind(path);
    dead.close();
    const { outputs } = await buildOutputs({ syslog_output: { enabled: true, socket_path: path } });
    const started = Date.now();
    outputs.emit(sampleAlert(0));
    await outputs.shutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outputs.stats().syslog).toMatchObject({ sent: 0, dropped: { rejected: 1 } });
  });

  it('sends RFC 5424 to a remote collector over UDP', async () => {
    const udp = createSocket('udp4');
    const got: string[] = [];
    udp.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    try {
      const { outputs } = await buildOutputs({ syslog_output: { enabled: true, format: 'rfc5424', address: `udp://127.0.0.1:${port}`, facility: 'local0' } });
      const a = sampleAlert(0);
      outputs.emit(a);
      await waitFor(() => got.length === 1, 'one UDP message');
      await outputs.shutdown();
      // local0 (16) * 8 + 4; timestamp truncated to microseconds as RFC 5424 requires
      expect(got[0]).toBe(`<132>1 2024-09-13T15:22:20.545718Z test-host falco ${process.pid} - - ${formatText(a, false)}`);
    } finally {
      udp.close();
    }
  });

  it('sends octet-counted RFC 5424 frames over TCP', async () => {
    let data = '';
    const srv = createServer((s) => s.on('data', (d) => (data += d.toString())));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const addr = srv.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    try {
      const { outputs } = await buildOutputs({ syslog_output: { enabled: true, format: 'rfc5424', address: `tcp://127.0.0.1:${port}` } });
      outputs.emit(sampleAlert(0));
      outputs.emit(sampleAlert(1));
      await outputs.idle();
      await outputs.shutdown();
      await waitFor(() => (data.match(/<12>1 /g) ?? []).length === 2, 'two frames');
      const frames: string[] = [];
      let rest = data;
      while (rest.length > 0) {
        const sp = rest.indexOf(' ');
        const len = Number(rest.slice(0, sp));
        frames.push(rest.slice(sp + 1, sp + 1 + len));
        rest = rest.slice(sp + 1 + len);
      }
      expect(frames).toHaveLength(2);
      expect(frames[1].endsWith(formatText(sampleAlert(1), false))).toBe(true);
    } finally {
      srv.close();
    }
  });
});
