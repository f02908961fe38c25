/**
 * Fault tests against real receivers: the HTTP receiver and the NATS server go away for a while
 * and come back. Within the spool bound no alert is lost; past it every alert is counted.
 */
import { connect } from 'nats';
import { join } from 'node:path';
import type { Outputs } from '@falco-ts/outputs';
import { FalcoMetrics } from '@falco-ts/outputs';
import { sampleAlert } from './helpers/alerts';
import { buildOutputs } from './helpers/build';
import { sleep, tempDir, waitFor } from './helpers/net';
import { NatsServer } from './helpers/nats-server';
import { SidekickReceiver } from './helpers/sidekick';

function seqOf(output: unknown): number {
  return Number(/seq=(\d+)\)/.exec(String(output))?.[1]);
}

/** Emits alerts `from`..`to`-1 in small bursts, as a detector would during an outage. */
async function emitRange(outputs: Outputs, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    outputs.emit(sampleAlert(i));
    if (i % 10 === 9) await sleep(5);
  }
}

describe('delivery through receiver outages', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('HTTP: loses nothing within the spool bound while the receiver is down, and counts the rest', async () => {
    const rx = await SidekickReceiver.start();
    const spoolDir = join(tmp.dir, 'spool');
    const metrics = new FalcoMetrics({ version: '0.1.0' });
    const { outputs } = await buildOutputs(
      {
        json_output: true,
        http_output: { enabled: true, url: rx.url, spool_dir: spoolDir, spool_max_alerts: 50, retry_backoff_ms: 20, retry_max_backoff_ms: 200, timeout_ms: 1000 },
      },
      { metrics },
    );
    try {
      await emitRange(outputs, 0, 10);
      await outputs.idle();
      expect(rx.accepted).toHaveLength(10);

      await rx.down();
      await emitRange(outputs, 10, 90); // 80 alerts, the spool holds 50
      await waitFor(() => outputs.stats().http.failed > 0, 'a failed attempt');
      await sleep(500);
      expect(rx.accepted).toHaveLength(10);
      const during = await metrics.render();
      expect(during).toContain('falcosecurity_falco_outputs_spool_length{sink="http"} 50');
      expect(during).toContain('falcosecurity_falco_outputs_drops_total{sink="http",cause="spool_full"} 30');
      await rx.up();
      await outputs.idle();

      const seqs = rx.accepted.map((a) => seqOf(a.body.output));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...Array(60).keys()]); // 0..9 before, 10..59 spooled, in order
      const stats = outputs.stats().http;
      expect(stats.dropped).toMatchObject({ spool_full: 30, queue_full: 0, retries_exhausted: 0 });
      expect(stats.sent + stats.dropped.spool_full).toBe(90);
      expect(await metrics.render()).toContain('falcosecurity_falco_outputs_spool_length{sink="http"} 0');
    } finally {
      await outputs.shutdown();
      await rx.down();
    }
  });

  it('HTTP: alerts spooled when the detector stops during an outage are delivered after it restarts', async () => {
    const rx = await SidekickReceiver.start();
    await rx.down();
    const spoolDir = join(tmp.dir, 'spool');
    const config = {
      json_output: true,
      http_output: { enabled: true, url: rx.url, spool_dir: spoolDir, retry_backoff_ms: 20, retry_max_backoff_ms: 100, timeout_ms: 500 },
    };
    const first = await buildOutputs(config);
    await emitRange(first.outputs, 0, 40);
    const drained = await first.outputs.shutdown(200);
    expect(drained).toEqual([{ sink: 'http', undelivered: 40, spooled: 40 }]);

    await rx.up();
    const second = await buildOutputs(config);
    try {
      expect(second.logs).toContain('http: 40 alerts from the spool will be sent first');
      second.outputs.emit(sampleAlert(40));
      await second.outputs.idle();
      expect(rx.accepted.map((a) => seqOf(a.body.output))).toEqual([...Array(41).keys()]);
    } finally {
      await second.outputs.shutdown();
      await rx.down();
    }
  });

  it('NATS JetStream: loses nothing within the spool bound while the server is down, and counts the rest', async () => {
    const server = await NatsServer.start();
    const spoolDir = join(tmp.dir, 'spool');
    const { outputs, logs } = await buildOutputs({
      nats_output: {
        enabled: true,
        servers: [server.url],
        jetstream: true,
        jetstream_stream: 'ALERTS',
        reconnect_wait_ms: 100,
        spool_dir: spoolDir,
        spool_max_alerts: 50,
        retry_backoff_ms: 20,
        retry_max_backoff_ms: 200,
        send_timeout_ms: 2000,
      },
    });
    try {
      await emitRange(outputs, 0, 10);
      await waitFor(() => outputs.stats().nats.sent === 10, 'ten published');

      await server.down();
      await waitFor(() => logs.some((l) => l.startsWith('nats: disconnected')), 'disconnect noticed');
      await emitRange(outputs, 10, 90);
      await sleep(500);
      await server.up();
      await outputs.idle();
      const stats = outputs.stats().nats;
      expect(stats.dropped).toMatchObject({ spool_full: 30, queue_full: 0, retries_exhausted: 0 });

      const nc = await connect({ servers: server.url });
      try {
        const jsm = await nc.jetstreamManager();
        const info = await jsm.streams.info('ALERTS');
        // Re-sent alerts (a publish whose ack was lost in the outage) are de-duplicated by id.
        expect(info.state.messages).toBe(60);
        const seqs: number[] = [];
        for (let s = info.state.first_seq; s <= info.state.last_seq; s++) {
          const m = await jsm.streams.getMessage('ALERTS', { seq: s });
          seqs.push(seqOf(JSON.parse(new TextDecoder().decode(m.data)).output));
        }
        expect(seqs).toEqual([...Array(60).keys()]);
      } finally {
        await nc.close();
      }
    } finally {
      await outputs.shutdown();
      await server.stop();
    }
  });
});
