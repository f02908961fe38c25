/**
 * The event object the syscall source hands to rules: one instance, reused for every event, that
 * points at the current record (a view into the batch) and at the state the parsers updated.
 * Field extractors read through it; nothing here is allocated per event.
 */
import { hostname } from 'node:os';
import { EventView } from '@falco-ts/driver';
import type { FdInfo } from '../syscall/fd-table';
import type { SyscallState } from '../syscall/state';
import type { ThreadInfo } from '../syscall/thread-table';

export class SyscallEvent {
  readonly view: EventView;
  /** `evt.num`: 1 for the first event processed. */
  num = 0;
  /** Timestamp of the first event (for evt.reltime). */
  firstTs = 0n;
  /** The previous event's timestamp as two 32-bit halves (a bigint is built only when asked). */
  private prevHigh = 0;
  private prevLow = 0;
  private curHigh = 0;
  private curLow = 0;
  /** `evt.hostname`. */
  readonly hostname: string;

  constructor(
    readonly state: SyscallState,
    view?: EventView,
    host?: string,
  ) {
    this.view = view ?? new EventView();
    this.hostname = host ?? process.env['FALCO_HOSTNAME'] ?? hostname();
  }

  get thread(): ThreadInfo | undefined {
    return this.state.thread;
  }

  get fd(): FdInfo | undefined {
    return this.state.fdInfo;
  }

  /** The event's timestamp, nanoseconds since the epoch. */
  get ts(): bigint {
    return this.view.ts;
  }

  /** The previous event's timestamp (the first event's own for the first event). */
  get prevTs(): bigint {
    return (BigInt(this.prevHigh) << 32n) | BigInt(this.prevLow);
  }

  /** Applies the record the view points at to the state and makes it the current event. */
  advance(): this {
    const high = this.view.tsHigh;
    const low = this.view.tsLow;
    if (this.num === 0) {
      this.firstTs = this.view.ts;
      this.curHigh = high;
      this.curLow = low;
    }
    this.prevHigh = this.curHigh;
    this.prevLow = this.curLow;
    this.curHigh = high;
    this.curLow = low;
    this.state.process(this.view);
    this.num = this.state.eventNum;
    return this;
  }
}
