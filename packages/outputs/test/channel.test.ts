import type { Alert } from '@falco-ts/alert';
import type { DeliveryObserver, DropCause, Sink } from '@falco-ts/outputs';
import { DeliveryChannel, DeliveryError, Spool } from '@falco-ts/outputs';
import { sampleAlert } from './helpers/alerts';
import { sleep, tempDir, waitFor } from './helpers/net';

class Counts implements DeliveryObserver {
  sentN = 0;
  failedN = 0;
  drops: Partial<Record<DropCause, number>> = {};
  sent(): void {
    this.sentN++;
  }
  failed(): void {
    this.failedN++;
  }
  dropped(_sink: string, cause: DropCause, n: number): void {
    this.drops[cause] = (this.drops[cause] ?? 0) + n;
  }
}

/** A sink whose behaviour per attempt is scripted: it records what it was given. */
function scripted(plan: (attempt: number, alert: Alert) => Promise<void>): Sink & { got: Alert[]; attempts: number; closed: boolean } {
  const s = {
    got: [] as Alert[],
    attempts: 0,
    closed: false,
    async send(alert: Alert) {
      const n = s.attempts++;
      await plan(n, alert);
      s.got.push(alert);
    },
    async close() {
      s.closed = true;
    },
  };
  return s;
}

const fast = { initialMs: 1, maxMs: 5 };
const log = (): void => undefined;

describe('DeliveryChannel', () => {
  it('delivers in order and counts each send', async () => {
    const counts = new Counts();
    const sink = scripted(async () => undefined);
    const ch = new DeliveryChannel('t', sink, { capacity: 100, maxRetries: 0, backoff: fast, sendTimeoutMs: 1000, observer: counts, log });
    for (let i = 0; i < 50; i++) ch.push(sampleAlert(i));
    await ch.idle();
    expect(sink.got.map((a) => a.output)).toEqual([...Array(50).keys()].map((i) => sampleAlert(i).output));
    expect(counts.sentN).toBe(50);
    await ch.drain(100);
    expect(sink.closed).toBe(true);
  });

  it('retries a failing send with backoff, then succeeds', async () => {
    const counts = new Counts();
    const sink = scripted(async (n) => {
      if (n < 2) throw new Error('receiver unavailable');
    });
    const ch = new DeliveryChannel('t', sink, { capacity: 10, maxRetries: 5, backoff: fast, sendTimeoutMs: 1000, observer: counts, log });
    ch.push(sampleAlert(0));
    await ch.idle();
    expect(sink.got).toHaveLength(1);
    expect(counts).toMatchObject({ sentN: 1, failedN: 2, drops: {} });
    await ch.drain(100);
  });

  it('drops after max_retries, and at once when the receiver rejects the alert itself', async () => {
    const counts = new Counts();
    const sink = scripted(async (_n, alert) => {
      if (alert.output.includes('seq=0)')) throw new Error('still down');
      throw new DeliveryError({ sink: 't' }, 'answered 400', false);
    });
    const ch = new DeliveryChannel('t', sink, { capacity: 10, maxRetries: 3, backoff: fast, sendTimeoutMs: 1000, observer: counts, log });
    ch.push(sampleAlert(0));
    ch.push(sampleAlert(1));
    await ch.idle();
    expect(counts.drops).toEqual({ retries_exhausted: 1, rejected: 1 });
    expect(sink.attempts).toBe(4 + 1);
    await ch.drain(100);
  });

  it('counts queue_full drops without blocking the caller', async () => {
    const counts = new Counts();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sink = scripted(() => gate);
    const ch = new DeliveryChannel('t', sink, { capacity: 10, maxRetries: 0, backoff: fast, sendTimeoutMs: 60000, observer: counts, log });
    let accepted = 0;
    for (let i = 0; i < 100; i++) if (ch.push(sampleAlert(i))) accepted++;
    expect(accepted).toBe(10);
    expect(counts.drops).toEqual({ queue_full: 90 });
    release();
    await ch.idle();
    expect(counts.sentN).toBe(10);
    await ch.drain(100);
  });

  it('treats a send that never settles as failed after send_timeout_ms', async () => {
    const counts = new Counts();
    const sink = scripted((n) => (n === 0 ? new Promise<void>(() => undefined) : Promise.resolve()));
    const ch = new DeliveryChannel('t', sink, { capacity: 10, maxRetries: 2, backoff: fast, sendTimeoutMs: 50, observer: counts, log });
    ch.push(sampleAlert(0));
    await ch.idle();
    expect(counts).toMatchObject({ sentN: 1, failedN: 1 });
    await ch.drain(100);
  });

  it('on drain, stops at the deadline and counts what is left as shutdown drops', async () => {
    const counts = new Counts();
    const sink = scripted(() => new Promise<void>(() => undefined));
    const ch = new DeliveryChannel('t', sink, { capacity: 100, maxRetries: 0, backoff: fast, sendTimeoutMs: 60000, observer: counts, log });
    for (let i = 0; i < 5; i++) ch.push(sampleAlert(i));
    const t0 = Date.now();
    const res = await ch.drain(200);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(res).toEqual({ sink: 't', undelivered: 5, spooled: 0 });
    expect(counts.drops).toEqual({ shutdown: 5 });
    expect(ch.push(sampleAlert(9))).toBe(false);
  });

  it('hands a batching sink everything queued in one call, and retries the whole batch', async () => {
    const counts = new Counts();
    const calls: number[] = [];
    let fail = true;
    const sink: Sink = {
      send: async () => {
        calls.push(1);
      },
      sendBatch: async (alerts) => {
        calls.push(alerts.length);
        if (fail) {
          fail = false;
          throw new Error('transient');
        }
      },
      close: async () => undefined,
    };
    const ch = new DeliveryChannel('t', sink, { capacity: 1000, maxRetries: 2, backoff: fast, sendTimeoutMs: 1000, observer: counts, log });
    for (let i = 0; i < 300; i++) ch.push(sampleAlert(i));
    await ch.idle();
    // 256 at most per call; the failed batch is retried whole.
    expect(calls).toEqual([256, 256, 44]);
    expect(counts).toMatchObject({ sentN: 300, failedN: 1, drops: {} });
    await ch.drain(100);
  });

  it('with a spool, retries until delivered and keeps leftovers on disk at shutdown', async () => {
    const tmp = tempDir();
    try {
      const counts = new Counts();
      let up = false;
      const sink = scripted(async () => {
        if (!up) throw new Error('down');
      });
      const spool = Spool.open(tmp.dir, 1000);
      const ch = new DeliveryChannel('t', sink, { capacity: 4, maxRetries: 0, backoff: fast, sendTimeoutMs: 1000, spool, observer: counts, log });
      for (let i = 0; i < 20; i++) {
        ch.push(sampleAlert(i));
        await sleep(2);
      }
      // The memory queue holds 4, yet nothing is lost: the worker moves alerts to disk while retrying.
      await waitFor(() => spool.size === 20, 'all alerts spooled');
      expect(counts.drops).toEqual({});
      const res = await ch.drain(50);
      expect(res.spooled).toBe(20);
      const reopened = Spool.open(tmp.dir, 1000);
      up = true;
      const counts2 = new Counts();
      const ch2 = new DeliveryChannel('t', sink, { capacity: 4, maxRetries: 0, backoff: fast, sendTimeoutMs: 1000, spool: reopened, observer: counts2, log });
      await ch2.idle();
      expect(sink.got.map((a) => a.output)).toEqual([...Array(20).keys()].map((i) => sampleAlert(i).output));
      expect(counts2.sentN).toBe(20);
      await ch2.drain(100);
    } finally {
      tmp.cleanup();
    }
  });
});
