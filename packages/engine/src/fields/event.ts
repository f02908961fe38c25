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
  /** Timestamp of the first event (for evt.reltime) and of the previous one (evt.deltatime). */
  firstTs = 0n;
  prevTs = 0n;
  ts = 0n;
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

  /** Applies the record the view points at to the state and makes it the current event. */
  advance(): this {
    const ts = this.view.ts;
    if (this.num === 0) this.firstTs = ts;
    this.prevTs = this.num === 0 ? ts : this.ts;
    this.ts = ts;
    this.state.process(this.view);
    this.num = this.state.eventNum;
    return this;
  }
}
