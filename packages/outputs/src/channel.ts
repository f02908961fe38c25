/**
 * One sink's delivery lane: a bounded in-memory queue, a worker that delivers in order with
 * retries and backoff, and optionally the on-disk spool in front of the sink. `push` is the only
 * thing the evaluation path calls; it never waits and never throws. Every alert that does not
 * reach the receiver is counted with a cause.
 */
import type { Alert } from '@falco-ts/alert';
import type { BackoffOptions } from './backoff';
import { Waker, backoffDelay } from './backoff';
import { toDeliveryError } from './errors';
import { RingQueue } from './ring-queue';
import type { Sink } from './sink';
import type { Spool } from './spool';

/** Why an alert never reached its receiver. */
export type DropCause = 'queue_full' | 'spool_full' | 'retries_exhausted' | 'rejected' | 'shutdown' | 'buffer_full';

export const DROP_CAUSES: readonly DropCause[] = ['queue_full', 'spool_full', 'retries_exhausted', 'rejected', 'shutdown', 'buffer_full'];

export interface DeliveryObserver {
  sent(sink: string): void;
  /** One failed attempt (a retried alert can fail several times before it is sent or dropped). */
  failed(sink: string): void;
  dropped(sink: string, cause: DropCause, count: number): void;
}

export interface ChannelOptions {
  readonly capacity: number;
  /** Attempts after the first; ignored with a spool, which retries until the alert is delivered. */
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  /** An attempt that has not settled after this long counts as failed (a hung receiver). */
  readonly sendTimeoutMs: number;
  readonly spool?: Spool;
  readonly observer: DeliveryObserver;
  readonly log: (message: string) => void;
}

export interface DrainResult {
  readonly sink: string;
  /** Alerts still undelivered when the deadline passed (kept in the spool when there is one). */
  readonly undelivered: number;
  readonly spooled: number;
}

const SPOOL_BATCH = 512;
/** Most alerts handed to a batching sink at once: large enough to amortise a write, small enough to retry. */
const SEND_BATCH = 256;

export class DeliveryChannel {
  private readonly queue: RingQueue<Alert>;
  private readonly waker = new Waker();
  private readonly running: Promise<void>;
  private stopping = false;
  private aborted = false;
  private abortResolve!: () => void;
  private readonly abortSignal: Promise<void>;
  private idleWaiters: (() => void)[] = [];
  private failing = false;
  private readonly batch: Alert[] = [];

  constructor(
    readonly name: string,
    private readonly sink: Sink,
    private readonly opts: ChannelOptions,
  ) {
    this.queue = new RingQueue<Alert>(opts.capacity);
    this.abortSignal = new Promise<void>((resolve) => {
      this.abortResolve = resolve;
    });
    this.running = this.run();
  }

  /** Alerts waiting in memory. */
  get queued(): number {
    return this.queue.size;
  }

  /** Alerts waiting in the spool (0 without one). */
  get spooled(): number {
    return this.opts.spool?.size ?? 0;
  }

  /** Alerts waiting in memory plus those waiting in the spool. */
  get backlog(): number {
    return this.queue.size + (this.opts.spool?.size ?? 0);
  }

  /** Enqueues without waiting; returns false when the alert was dropped because the queue is full. */
  push(alert: Alert): boolean {
    if (this.stopping || !this.queue.push(alert)) {
      this.opts.observer.dropped(this.name, this.stopping ? 'shutdown' : 'queue_full', 1);
      return false;
    }
    this.waker.wake();
    return true;
  }

  /** Resolves once everything queued so far has been delivered or dropped (tests, benchmarks). */
  idle(): Promise<void> {
    if (this.backlog === 0 && !this.busy) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private busy = false;

  private async run(): Promise<void> {
    for (;;) {
      if (this.aborted) return;
      try {
        if (this.opts.spool !== undefined) this.flushToSpool();
        const spool = this.opts.spool;
        const max = this.sink.sendBatch !== undefined ? SEND_BATCH : 1;
        const batch = spool !== undefined ? spool.peekMany(max, this.batch) : this.queue.peekMany(max, this.batch);
        if (batch.length === 0) {
          this.busy = false;
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
          if (this.stopping) return;
          await this.waker.wait();
          continue;
        }
        this.busy = true;
        await this.deliver(batch);
      } catch (err) {
        // Only the spool's file I/O can land here (disk full, EIO); keep the lane alive.
        this.opts.log(`${this.name}: delivery worker error: ${(err as Error).message}`);
        await this.waker.wait(1000);
      }
    }
  }

  private consume(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.opts.spool !== undefined) this.opts.spool.ack();
      else this.queue.shift();
    }
  }

  private flushToSpool(): void {
    const spool = this.opts.spool;
    if (spool === undefined) return;
    while (this.queue.size > 0) {
      const batch: Alert[] = [];
      while (batch.length < SPOOL_BATCH && this.queue.size > 0) batch.push(this.queue.shift() as Alert);
      const stored = spool.append(batch);
      if (stored < batch.length) this.opts.observer.dropped(this.name, 'spool_full', batch.length - stored);
    }
  }

  private attempt(batch: readonly Alert[]): Promise<'sent' | 'aborted'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.opts.sendTimeoutMs} ms`)), this.opts.sendTimeoutMs);
    });
    const pending = batch.length === 1 || this.sink.sendBatch === undefined ? this.sink.send(batch[0]) : this.sink.sendBatch(batch);
    const sent = pending.then(() => 'sent' as const);
    return Promise.race([sent, timeout, this.abortSignal.then(() => 'aborted' as const)]).finally(() => clearTimeout(timer));
  }

  /** Delivers `batch` (the front of the queue or spool, still in it) with retries. */
  private async deliver(batch: readonly Alert[]): Promise<void> {
    const n = batch.length;
    for (let attempt = 0; ; attempt++) {
      if (this.aborted) return;
      try {
        if ((await this.attempt(batch)) === 'aborted') return;
        this.consume(n);
        for (let i = 0; i < n; i++) this.opts.observer.sent(this.name);
        if (this.failing) {
          this.failing = false;
          this.opts.log(`${this.name}: delivering again`);
        }
        return;
      } catch (raw) {
        const err = toDeliveryError(this.name, raw);
        this.opts.observer.failed(this.name);
        if (!err.retryable) {
          this.consume(n);
          this.opts.observer.dropped(this.name, 'rejected', n);
          // Log the first of a run of rejections only: an absent receiver rejects every alert.
          if (!this.failing) {
            this.failing = true;
            this.opts.log(`${err.message}; alert dropped (further drops are counted, not logged)`);
          }
          return;
        }
        if (this.opts.spool === undefined && attempt >= this.opts.maxRetries) {
          this.consume(n);
          this.opts.observer.dropped(this.name, 'retries_exhausted', n);
          return;
        }
        if (!this.failing) {
          this.failing = true;
          this.opts.log(`${err.message}; retrying with backoff`);
        }
        const until = Date.now() + backoffDelay(attempt, this.opts.backoff);
        // Keep moving new alerts to disk while waiting, so the memory queue does not overflow.
        while (!this.aborted && Date.now() < until) {
          await this.waker.wait(until - Date.now());
          if (this.opts.spool !== undefined) this.flushToSpool();
        }
      }
    }
  }

  /**
   * Stops accepting alerts, delivers what is queued until `deadlineMs` passes, then closes the
   * sink. Alerts left over go to the spool when there is one, otherwise they are counted as
   * dropped with cause `shutdown`.
   */
  async drain(deadlineMs: number): Promise<DrainResult> {
    this.stopping = true;
    this.waker.wake();
    const timer = setTimeout(() => this.abort(), deadlineMs);
    await this.running;
    clearTimeout(timer);
    let spooled = 0;
    if (this.opts.spool !== undefined) {
      this.flushToSpool();
      spooled = this.opts.spool.size;
      this.opts.spool.close();
    }
    const lost = this.queue.size;
    if (lost > 0) this.opts.observer.dropped(this.name, 'shutdown', lost);
    while (this.queue.shift() !== undefined);
    try {
      await Promise.race([this.sink.close(), new Promise((r) => setTimeout(r, Math.min(deadlineMs, 2000)).unref())]);
    } catch (err) {
      this.opts.log(`${this.name}: close failed: ${(err as Error).message}`);
    }
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
    return { sink: this.name, undelivered: lost + spooled, spooled };
  }

  private abort(): void {
    this.aborted = true;
    this.abortResolve();
    this.waker.wake();
  }

  reopen(): Promise<void> {
    return this.sink.reopen?.() ?? Promise.resolve();
  }
}
