/**
 * The `syscall` event source: turns batches (from the scap reader or the live driver) into
 * `SyscallEvent`s for the engine, keeping the thread/fd/user state current. One event object is
 * reused for every record; the only per-batch cost is walking the records.
 */
import {
  RECORD_FLAG_STATE_ONLY,
  bufferText,
  ipv4ToString,
  ipv6ToString,
  type EventBatch,
  type InitialState as CaptureInitialState,
} from '@falco-ts/driver';
import { existsSync } from 'node:fs';
import { initialStateFromCapture } from './capture-state';
import { SyscallEvent } from '../fields/event';
import { syscallFieldRegistry, type SyscallFieldRegistry } from '../fields/registry';
import { syscallEventTypes } from '../ruleset/syscall-event-types';
import type { EventSource, EventTypeTable } from '../source';
import type { ContainerMetadataProvider } from './metadata';
import type { NetworkPolicyProvider } from './netpol';
import { scanProc, type ProcScanOptions } from './proc-scan';
import { seedState, type InitialState } from './seed';
import { SyscallState, type SyscallStateOptions } from './state';

export interface SyscallSourceOptions extends SyscallStateOptions {
  /** Host name for `evt.hostname` (default: FALCO_HOSTNAME, else the machine's). */
  readonly hostname?: string;
  readonly fields?: SyscallFieldRegistry;
}


export class SyscallSource implements EventSource<SyscallEvent> {
  readonly name = 'syscall';
  readonly fields: SyscallFieldRegistry;
  // Syscalls without an event of their own (madvise) select the generic syscall event.
  readonly eventTypes: EventTypeTable = syscallEventTypes();
  readonly eventTypeFields = ['evt.type'] as const;
  readonly state: SyscallState;
  /** The event object every record is presented through. */
  readonly event: SyscallEvent;

  constructor(options: SyscallSourceOptions = {}) {
    this.state = new SyscallState(options);
    this.event = new SyscallEvent(this.state, undefined, options.hostname);
    this.fields = options.fields ?? syscallFieldRegistry;
  }

  /** Supplies container and Kubernetes metadata (wired by the host). */
  setMetadataProvider(provider: ContainerMetadataProvider): void {
    this.state.metadata = provider;
  }

  /** Supplies NetworkPolicy verdicts for the netpol.* fields (wired by the host). */
  setNetworkPolicyProvider(provider: NetworkPolicyProvider | undefined): void {
    this.state.networkPolicy = provider;
  }

  /** Seeds the tables with a capture's initial state (before its first event). */
  seed(init: InitialState): void {
    seedState(this.state, init);
  }

  /** Seeds the tables from the initial state the scap reader found in a capture. */
  seedFromCapture(capture: CaptureInitialState): void {
    seedState(this.state, initialStateFromCapture(capture));
  }

  /**
   * Seeds the tables from /proc and the host's user files (live capture start), and switches the
   * state to live behaviour: containers' users are read from their own /etc, and idle threads are
   * purged only once they no longer exist in /proc.
   */
  seedFromProc(options: ProcScanOptions = {}): void {
    const procRoot = options.procRoot ?? '/proc';
    const init = scanProc(options);
    this.state.users.loadFromRoot('', options.hostRoot ?? '/');
    this.state.readContainerUsers = true;
    this.state.procRoot = procRoot;
    this.state.threadStillAlive ??= (tid) => existsSync(`${procRoot}/${tid}`);
    seedState(this.state, init);
  }

  /**
   * Applies every record of the batch to the state and yields the events rules should see, one
   * reused `SyscallEvent` at a time (records kept only for state are applied but not yielded).
   */
  *events(batch: EventBatch): Generator<SyscallEvent, void, undefined> {
    const e = this.event;
    const view = e.view;
    let offset = 0;
    for (let k = 0; k < batch.count; k++) {
      view.moveTo(batch.data, offset);
      offset += view.recordSize;
      e.advance();
      if ((view.flags & RECORD_FLAG_STATE_ONLY) !== 0) continue;
      yield e;
    }
  }

  /** Callback form of `events`, without the generator's overhead. */
  forEach(batch: EventBatch, fn: (e: SyscallEvent) => void): void {
    const e = this.event;
    const view = e.view;
    let offset = 0;
    for (let k = 0; k < batch.count; k++) {
      view.moveTo(batch.data, offset);
      offset += view.recordSize;
      e.advance();
      if ((view.flags & RECORD_FLAG_STATE_ONLY) === 0) fn(e);
    }
  }

  eventTypeOf(event: SyscallEvent): number {
    return event.view.type;
  }

  timestampOf(event: SyscallEvent): bigint {
    return event.ts;
  }

  renderField(field: string, value: unknown): string | undefined {
    if (!(value instanceof Uint8Array)) return undefined;
    // Addresses travel as bytes (for fast comparisons) and print as text; other buffers print
    // with non-printable bytes as dots, as Falco shows them.
    if (this.isAddressField(field)) return addressText(value);
    return bufferText(value);
  }

  jsonField(field: string, value: unknown): string | undefined {
    if (value instanceof Uint8Array && this.isAddressField(field)) return addressText(value);
    return undefined;
  }

  private isAddressField(field: string): boolean {
    const t = this.fields.get(field)?.type;
    return t === 'ipaddr' || t === 'ipnet' || t === 'ipv4addr' || t === 'ipv6addr' || t === 'ipv4net' || t === 'ipv6net';
  }
}

function addressText(b: Uint8Array): string {
  return b.length === 4 ? ipv4ToString(b, 0) : b.length === 16 ? ipv6ToString(b, 0) : bufferText(b);
}
