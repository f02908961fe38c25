/**
 * Alert throughput per sink, end to end to a real receiver on this machine (nats-server, an HTTP
 * server, a unix datagram socket, a gRPC client, `cat`), plus the cost of `emit` itself, which is
 * all the detection path pays.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { createAlert, type Alert } from '@falco-ts/alert';
import type { FalcoConfig } from '@falco-ts/outputs';
import { FalcoMetrics, createOutputs, falcoGrpcClients } from '@falco-ts/outputs';
import type { Bench, BenchRow } from '../bench';

function alerts(n: number): Alert[] {
  return Array.from({ length: n }, (_, i) =>
    createAlert({
      rule: 'Read sensitive file untrusted',
      priority: 'Warning',
      source: 'syscall',
      hostname: 'bench',
      output: `Sensitive file opened for reading by non-trusted program (file=/etc/shadow proc=cat pid=${i})`,
      tags: ['filesystem', 'mitre_credential_access'],
      outputFields: { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pid': i, 'container.id': null },
    }),
  );
}

const BASE: FalcoConfig = { json_output: true, stdout_output: { enabled: false }, syslog_output: { enabled: false } };

/** Emits `n` alerts through outputs built from `config` and returns delivered alerts per second. */
async function throughput(config: FalcoConfig, n: number, stdout?: NodeJS.WritableStream): Promise<{ rate: number; sent: number; n: number }> {
  const outputs = await createOutputs({ ...BASE, ...config, outputs_queue: { capacity: n + 1 } }, {
    version: '0.1.0',
    log: () => undefined,
    ...(stdout ? { stdout: stdout as never } : {}),
  });
  const batch = alerts(n);
  // Warm up connections (NATS connect, HTTP keep-alive) before timing.
  outputs.emit(batch[0]);
  await outputs.idle();
  const t0 = process.hrtime.bigint();
  for (let i = 1; i < n; i++) outputs.emit(batch[i]);
  await outputs.idle();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const stats = Object.values(outputs.stats())[0];
  await outputs.shutdown(2000);
  return { rate: (n - 1) / secs, sent: stats.sent, n };
}

function startNats(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) resolve({ child, url: `nats://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
  });
}

export const bench: Bench = {
  name: 'outputs',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'bench-outputs-'));
    const row = (metric: string, r: { rate: number; sent: number; n: number }, note: string): void => {
      rows.push({ bench: 'outputs', metric, value: r.rate, unit: 'alerts/s', note: `${note}; ${r.sent}/${r.n} delivered` });
    };
    try {
      // The detection path's cost: enqueue into every lane (here one, whose sink is slow to answer).
      {
        const outputs = await createOutputs({ ...BASE, program_output: { enabled: true, keep_alive: true, program: 'sleep 30' }, outputs_queue: { capacity: 400001 } }, { version: '0.1.0', log: () => undefined, metrics: new FalcoMetrics({ version: '0.1.0' }) });
        const batch = alerts(200000);
        for (const a of batch) outputs.emit(a); // warm-up: let V8 optimise the path first
        const t0 = process.hrtime.bigint();
        for (const a of batch) outputs.emit(a);
        const ns = Number(process.hrtime.bigint() - t0) / batch.length;
        rows.push({ bench: 'outputs', metric: 'emit cost per alert (rule-match metrics + enqueue)', value: ns, unit: 'ns', note: 'what evaluation pays; delivery happens later' });
        await outputs.shutdown(0);
      }

      const devnull = createWriteStream('/dev/null');
      row('stdout sink (JSON, to /dev/null)', await throughput({ stdout_output: { enabled: true } }, 50000, devnull), 'queued alerts written together');
      devnull.destroy();
      row('file sink, keep_alive', await throughput({ file_output: { enabled: true, keep_alive: true, filename: join(dir, 'a.txt') } }, 20000), 'one append per batch');
      row('file sink, open per write', await throughput({ file_output: { enabled: true, filename: join(dir, 'b.txt') } }, 5000), "open+append+close per batch (Falco's default mode)");

      const syslogRx = createSocket('udp4');
      syslogRx.on('message', () => undefined);
      await new Promise<void>((r) => syslogRx.bind(0, '127.0.0.1', () => r()));
      const syslogAddr = `udp://127.0.0.1:${syslogRx.address().port}`;
      row('syslog sink (RFC 5424 over UDP)', await throughput({ syslog_output: { enabled: true, format: 'rfc5424', address: syslogAddr } }, 20000), 'one datagram per alert');
      syslogRx.close();

      row('program sink, keep_alive (cat > /dev/null)', await throughput({ program_output: { enabled: true, keep_alive: true, program: 'cat > /dev/null' } }, 20000), 'one process, batched writes');
      row('program sink, process per alert', await throughput({ program_output: { enabled: true, program: 'cat > /dev/null' } }, 300), 'fork+exec per alert');

      const http = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.end());
      });
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
      row('http sink, keep_alive', await throughput({ http_output: { enabled: true, url, keep_alive: true } }, 10000), 'one POST per alert, answered');
      row('http sink, keep_alive, max_in_flight 8', await throughput({ http_output: { enabled: true, url, keep_alive: true, max_in_flight: 8 } }, 10000), 'one POST per alert, 8 at a time');
      row('http sink, keep_alive + spool', await throughput({ http_output: { enabled: true, url, keep_alive: true, spool_dir: join(dir, 'spool') } }, 10000), 'written to disk first');
      http.close();

      const nats = await startNats(join(dir, 'js'));
      try {
        row('nats sink (core, flush per batch)', await throughput({ nats_output: { enabled: true, servers: [nats.url] } }, 10000), 'real nats-server');
        row('nats sink (JetStream, acked)', await throughput({ nats_output: { enabled: true, servers: [nats.url], jetstream: true, jetstream_stream: 'BENCH' } }, 10000), 'de-duplicated by id');
      } finally {
        nats.child.kill('SIGKILL');
      }

      // gRPC: alerts streamed live to one `sub` client over a unix socket.
      {
        const sock = join(dir, 'falco.sock');
        const n = 20000;
        const outputs = await createOutputs({ ...BASE, grpc: { enabled: true, bind_address: `unix://${sock}` }, grpc_output: { enabled: true }, outputs_queue: { capacity: n + 1 } }, { version: '0.1.0', log: () => undefined });
        const client = falcoGrpcClients(`unix://${sock}`);
        const stream = client.outputs.sub();
        let got = 0;
        let done!: () => void;
        const all = new Promise<void>((r) => (done = r));
        stream.on('data', () => {
          if (++got === n) done();
        });
        stream.on('error', () => undefined);
        stream.write({});
        await new Promise((r) => setTimeout(r, 200));
        const batch = alerts(n);
        const t0 = process.hrtime.bigint();
        for (const a of batch) outputs.emit(a);
        await all;
        row('grpc sink (sub stream over unix socket)', { rate: n / (Number(process.hrtime.bigint() - t0) / 1e9), sent: got, n }, 'received by a grpc-js client');
        stream.end();
        client.close();
        await outputs.shutdown(1000);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
