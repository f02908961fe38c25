// Connection bookkeeping shared by every provider: state for /healthz, exponential backoff with
// jitter between attempts, and a way to retry at once when the runtime's socket reappears.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { describe } from './errors';
import type { ConnectionState, ProviderHealth } from './provider';

const SOCKET_GRACE_MS = 5000;

export interface BackoffOptions {
  /** First delay after a failure, in ms. */
  readonly initialMs?: number;
  /** Delays double up to this, in ms. */
  readonly maxMs?: number;
}

export class Reconnector {
  private state: ConnectionState = 'connecting';
  private since = Date.now();
  private reconnects = 0;
  private everConnected = false;
  private lastError: string | undefined;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  /** When the socket last (re)appeared: the runtime may need a moment before it answers. */
  private socketSeenAt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly name: string,
    private readonly endpoint: string,
    /** Starts one connection attempt; must call `connected()` or `failed()` eventually. */
    private readonly attempt: () => void,
    backoff: BackoffOptions = {},
  ) {
    this.initialMs = backoff.initialMs ?? 200;
    this.maxMs = backoff.maxMs ?? 30000;
    this.delay = this.initialMs;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  connected(): void {
    if (this.closed) return;
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    this.delay = this.initialMs;
    this.setState('connected');
  }

  /** Records the failure and schedules the next attempt. Safe to call more than once per outage. */
  failed(err: unknown): void {
    if (this.closed) return;
    this.lastError = describe(err);
    this.setState('disconnected');
    if (this.timer) return;
    // Right after the socket reappears, retry quickly instead of backing off: the runtime is
    // starting up, and the next directory event may never come.
    if (Date.now() - this.socketSeenAt < SOCKET_GRACE_MS) {
      this.timer = setTimeout(() => this.retryNow(), Math.min(this.delay, 250));
      this.timer.unref();
      return;
    }
    const jitter = 0.8 + Math.random() * 0.4;
    this.timer = setTimeout(() => this.retryNow(), Math.round(this.delay * jitter));
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.maxMs);
  }

  /** Skip the rest of the backoff (the socket came back). */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.state === 'connected') return;
    this.setState('connecting');
    this.attempt();
  }

  /**
   * Watch the socket's directory rather than the socket file: the file disappears when the runtime
   * stops and a new inode appears when it restarts, which a watch on the file itself would miss.
   */
  watchSocket(socketPath: string): void {
    const dir = path.dirname(socketPath);
    const base = path.basename(socketPath);
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || file === base) {
          if (this.state === 'connected' || this.closed) return;
          this.socketSeenAt = Date.now();
          setTimeout(() => this.retryNow(), 50).unref();
        }
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // The directory may not exist yet (runtime not installed); backoff polling still covers it.
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.setState('closed');
  }

  health(): ProviderHealth {
    return {
      name: this.name,
      endpoint: this.endpoint,
      state: this.state,
      since: this.since,
      reconnects: this.reconnects,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = Date.now();
  }
}
