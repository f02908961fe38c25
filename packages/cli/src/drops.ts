/**
 * Syscall event drop monitoring, with Falco's semantics: once per second of event time, compare
 * the driver's counters with the previous check; when the share of dropped events exceeds
 * `syscall_event_drops.threshold`, count an occurrence and, if the token bucket allows, take the
 * configured actions (log, alert as the internal "syscall event drop" rule, or exit).
 * `simulate_drops` adds one drop per check (threshold 0), which is how the behaviour is tested.
 */
import type { DropAction } from './config/falco-config';

const ONE_SECOND_NS = 1_000_000_000;

const ACTION_ORDER: readonly DropAction[] = ['ignore', 'log', 'alert', 'exit'];

export const DROP_RULE = 'Falco internal: syscall event drop';

/** The driver's cumulative counters (replayed captures report zero drops). */
export interface DropCounters {
  events: number;
  drops: number;
  dropsBuffer: number;
  dropsPageFaults: number;
  dropsBug: number;
}

export interface DropSettings {
  threshold: number;
  actions: readonly DropAction[];
  rate: number;
  maxBurst: number;
  simulateDrops: boolean;
}

export interface DropAlert {
  timeNs: bigint;
  message: string;
  fields: Record<string, string>;
}

export interface DropHooks {
  log(message: string): void;
  critical(message: string): void;
  alert(a: DropAlert): void;
}

/** A token bucket on event time: `rate` tokens per second, at most `max` stored, starting full. */
class TokenBucket {
  private tokens: number;
  private lastNs: number | undefined;
  constructor(
    private readonly rate: number,
    private readonly max: number,
  ) {
    this.tokens = max;
  }
  claim(nowNs: number): boolean {
    if (this.lastNs !== undefined && nowNs > this.lastNs) {
      this.tokens = Math.min(this.max, this.tokens + ((nowNs - this.lastNs) / ONE_SECOND_NS) * this.rate);
    }
    this.lastNs = nowNs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class DropMonitor {
  /** Checks whose drop ratio exceeded the threshold. */
  occurrences = 0;
  /** Occurrences the token bucket let through to the actions. */
  actionsTaken = 0;
  private nextCheckNs = 0;
  private last: DropCounters = { events: 0, drops: 0, dropsBuffer: 0, dropsPageFaults: 0, dropsBug: 0 };
  private readonly bucket: TokenBucket;
  private readonly threshold: number;

  constructor(
    private readonly settings: DropSettings,
    private readonly hooks: DropHooks,
    private readonly ebpf: boolean,
  ) {
    this.bucket = new TokenBucket(settings.rate, settings.maxBurst);
    this.threshold = settings.simulateDrops ? 0 : settings.threshold;
  }

  /**
   * Called for every event with its time (ns, as a double: one-second checks do not need more
   * precision) and a reader of the current counters, which is only called once a second.
   * Returns false when the `exit` action asks the run to stop.
   */
  onEvent(tsNs: number, counters: () => DropCounters): boolean {
    if (this.nextCheckNs === 0) {
      this.nextCheckNs = tsNs + ONE_SECOND_NS;
      return true;
    }
    if (!(this.nextCheckNs < tsNs)) return true;
    this.nextCheckNs = tsNs + ONE_SECOND_NS;
    const now = counters();
    const delta: DropCounters = {
      events: now.events - this.last.events,
      drops: now.drops - this.last.drops,
      dropsBuffer: now.dropsBuffer - this.last.dropsBuffer,
      dropsPageFaults: now.dropsPageFaults - this.last.dropsPageFaults,
      dropsBug: now.dropsBug - this.last.dropsBug,
    };
    this.last = { ...now };
    if (this.settings.simulateDrops) {
      this.hooks.log('Simulating syscall event drop');
      delta.drops++;
    }
    if (delta.drops <= 0) return true;
    const ratio = delta.drops / Math.max(delta.events, 1);
    if (!(ratio > this.threshold)) return true;
    this.occurrences++;
    if (!this.bucket.claim(tsNs)) {
      this.hooks.log('Syscall event drop but token bucket depleted, skipping actions');
      return true;
    }
    this.actionsTaken++;
    return this.act(BigInt(Math.round(tsNs)), delta);
  }

  private act(timeNs: bigint, delta: DropCounters): boolean {
    const message = `${DROP_RULE}. ${delta.drops} system calls dropped in last second.`;
    // As in Falco, the actions form a set walked in the order ignore, log, alert, exit, and the
    // first one present is the only one taken.
    const action = ACTION_ORDER.find((a) => this.settings.actions.includes(a));
    switch (action) {
      case undefined:
      case 'ignore':
        return true;
      case 'log':
        this.hooks.log(message);
        return true;
      case 'alert':
        this.hooks.alert({
          timeNs,
          message,
          fields: {
            n_evts: String(delta.events),
            n_drops: String(delta.drops),
            n_drops_buffer_total: String(delta.dropsBuffer),
            n_drops_page_faults: String(delta.dropsPageFaults),
            n_drops_bug: String(delta.dropsBug),
            ebpf_enabled: this.ebpf ? '1' : '0',
          },
        });
        return true;
      case 'exit':
        this.hooks.critical(message);
        this.hooks.critical('Exiting.');
        return false;
    }
  }

  /** The summary Falco prints on stderr at the end of a run. */
  summary(): string {
    return `Syscall event drop monitoring:\n   - event drop detected: ${this.occurrences} occurrences\n   - num times actions taken: ${this.actionsTaken}\n`;
  }
}
