import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { makePki } from '../helpers/certs';
import { freePort, tempDir } from '../helpers/net';
import { SidekickReceiver } from '../helpers/sidekick';

describe('http sink', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('POSTs JSON alerts that Falcosidekick accepts, one per request, over one kept-alive connection', async () => {
    const rx = await SidekickReceiver.start();
    try {
      const { outputs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: rx.url, keep_alive: true } });
      for (let i = 0; i < 25; i++) outputs.emit(sampleAlert(i));
      await outputs.idle();
      await outputs.shutdown();
      expect(rx.rejected).toEqual([]);
      expect(rx.accepted).toHaveLength(25);
      expect(rx.accepted[3].body.output_fields).toMatchObject({ 'proc.pid': 4245, 'container.id': null });
      expect(rx.accepted[0].headers['content-type']).toBe('application/json');
      expect(rx.accepted[0].headers['user-agent']).toBe('falcosecurity/falco');
      expect(rx.connections).toBe(1);
    } finally {
      await rx.down();
    }
  });

  it('with max_in_flight, sends several POSTs at once and still delivers every alert', async () => {
    const rx = await SidekickReceiver.start();
    try {
      const { outputs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: rx.url, keep_alive: true, max_in_flight: 4 } });
      for (let i = 0; i < 100; i++) outputs.emit(sampleAlert(i));
      await outputs.idle();
      await outputs.shutdown();
      expect(rx.rejected).toEqual([]);
      const pids = rx.accepted.map((a) => (a.body.output_fields as Record<string, number>)['proc.pid']).sort((x, y) => x - y);
      expect(pids).toEqual([...Array(100).keys()].map((i) => 4242 + i));
      expect(rx.connections).toBeGreaterThan(1);
      expect(rx.connections).toBeLessThanOrEqual(4);
    } finally {
      await rx.down();
    }
  });

  it('gzips uploads when compress_uploads is on, and uses the configured user agent', async () => {
    const rx = await SidekickReceiver.start();
    try {
      const { outputs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: rx.url, compress_uploads: true, user_agent: 'probe/1' } });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(rx.accepted).toHaveLength(1);
      expect(rx.accepted[0].headers['content-encoding']).toBe('gzip');
      expect(rx.accepted[0].headers['user-agent']).toBe('probe/1');
    } finally {
      await rx.down();
    }
  });

  it('sends text/plain without json_output; Falcosidekick rejects that with 400, which is counted and not retried', async () => {
    const rx = await SidekickReceiver.start();
    try {
      const { outputs } = await buildOutputs({ http_output: { enabled: true, url: rx.url } });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(rx.rejected.map((r) => r.reason)).toEqual(['invalid JSON']);
      expect(outputs.stats().http).toMatchObject({ sent: 0, failed: 1, dropped: { rejected: 1 } });
    } finally {
      await rx.down();
    }
  });

  it('retries a 503 until the receiver accepts', async () => {
    let calls = 0;
    const srv = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        res.writeHead(calls < 3 ? 503 : 200);
        res.end();
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    try {
      const { outputs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: `http://127.0.0.1:${port}/`, retry_backoff_ms: 5 } });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(calls).toBe(3);
      expect(outputs.stats().http).toMatchObject({ sent: 1, failed: 2 });
    } finally {
      srv.close();
    }
  });

  it('gives up on a request after timeout_ms and retries it', async () => {
    let calls = 0;
    const sockets: Socket[] = [];
    const srv = createServer((req, res) => {
      req.resume();
      // The first request is never answered; the retry is.
      if (++calls > 1) req.on('end', () => res.end());
    });
    srv.on('connection', (s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    try {
      const { outputs, logs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: `http://127.0.0.1:${port}/`, timeout_ms: 200, retry_backoff_ms: 5 } });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(calls).toBe(2);
      expect(outputs.stats().http).toMatchObject({ sent: 1, failed: 1 });
      expect(logs.join('\n')).toContain('no response within 200 ms');
    } finally {
      for (const s of sockets) s.destroy();
      srv.close();
    }
  });

  it('speaks mutual TLS with the configured CA and client certificate', async () => {
    const pki = makePki(tmp.dir);
    const rx = await SidekickReceiver.start({ key: pki.read(pki.serverKey), cert: pki.read(pki.serverCert), ca: pki.read(pki.caCert) });
    try {
      const { outputs } = await buildOutputs({
        json_output: true,
        http_output: { enabled: true, url: rx.url, ca_cert: '', ca_path: tmp.dir, mtls: true, client_cert: pki.clientCert, client_key: pki.clientKey },
      });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(rx.accepted).toHaveLength(1);
      // Without the client certificate the server refuses the handshake.
      const { outputs: anon } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: rx.url, ca_bundle: pki.caCert, max_retries: 0 } });
      anon.emit(sampleAlert(1));
      await anon.idle();
      await anon.shutdown();
      expect(anon.stats().http.dropped.retries_exhausted).toBe(1);
      expect(rx.accepted).toHaveLength(1);
    } finally {
      await rx.down();
    }
  });

  it('a receiver that hangs does not delay evaluation (measured)', async () => {
    const sockets: Socket[] = [];
    // Accepts connections and requests, never answers.
    const srv = createServer(() => undefined);
    srv.on('connection', (s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    try {
      const { outputs } = await buildOutputs({ json_output: true, http_output: { enabled: true, url: `http://127.0.0.1:${port}/`, timeout_ms: 60000 }, outputs_queue: { capacity: 1000 } });
      outputs.emit(sampleAlert(0));
      await new Promise((r) => setTimeout(r, 100)); // the first request is now hanging
      const alerts = [...Array(20000).keys()].map((i) => sampleAlert(i));
      const t0 = process.hrtime.bigint();
      for (const a of alerts) outputs.emit(a);
      const perAlertUs = Number(process.hrtime.bigint() - t0) / 1000 / alerts.length;
      // Enqueue cost only: far below a millisecond per alert although the sink is stuck.
      expect(perAlertUs).toBeLessThan(20);
      const stats = outputs.stats().http;
      expect(stats.sent).toBe(0);
      expect(stats.dropped.queue_full).toBe(20000 - 1000 + 1);
      const t1 = Date.now();
      await outputs.shutdown(300);
      expect(Date.now() - t1).toBeLessThan(3000);
    } finally {
      for (const s of sockets) s.destroy();
      srv.close();
    }
  });
});
