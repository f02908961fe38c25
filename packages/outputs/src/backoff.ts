/** Exponential backoff with full jitter, so many sinks retrying after one outage do not synchronise. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30));
  // Never below half the ceiling: a retry storm against a receiver that just came back is what we avoid.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A sleep that `wake()` can cut short, used so a retrying worker still moves new alerts to the spool. */
export class Waker {
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  wait(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      if (ms !== undefined) this.timer = setTimeout(() => this.wake(), ms);
    });
  }

  wake(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const r = this.resolve;
    this.resolve = undefined;
    r?.();
  }
}
