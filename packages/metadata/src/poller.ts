// Periodic refresh for APIs that offer no watch (Mesos, Marathon): poll on an interval while
// healthy, back off while failing, and keep serving the last good snapshot meanwhile.
import { responseError, unreachableError } from './errors';
import { HttpStatusError } from './http-json';
import type { ProviderHealth } from './provider';
import { Reconnector, type BackoffOptions } from './reconnector';

export class Poller {
  private readonly reconnector: Reconnector;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(
    private readonly name: string,
    private readonly endpoint: string,
    private readonly intervalMs: number,
    private readonly refresh: () => Promise<void>,
    backoff?: BackoffOptions,
  ) {
    this.reconnector = new Reconnector(name, endpoint, () => void this.poll(), backoff);
  }

  start(): void {
    void this.poll();
  }

  health(): ProviderHealth {
    return this.reconnector.health();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.reconnector.close();
  }

  private async poll(): Promise<void> {
    if (this.inFlight || this.reconnector.closed) return;
    this.inFlight = true;
    try {
      await this.refresh();
      this.reconnector.connected();
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    } catch (err) {
      this.reconnector.failed(
        err instanceof HttpStatusError
          ? responseError(this.name, this.endpoint, err.message)
          : unreachableError(this.name, this.endpoint, err),
      );
    } finally {
      this.inFlight = false;
    }
  }
}
