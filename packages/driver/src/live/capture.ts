/**
 * Live capture from the running kernel: a thin typed façade over the native CaptureSession.
 *
 *   const capture = await openCapture({ syscalls: ['openat', 'execve'] });
 *   for await (const batch of capture) { ... }   // same EventBatch layout the scap reader yields
 *
 * Each batch is a zero-copy view of a native buffer. It stays valid until the iterator is asked
 * for the next batch, which hands the buffer back; a consumer that stops asking holds the buffers,
 * the native thread stops draining, and the kernel drops (and counts) events instead of blocking.
 */
import type { EventBatch } from '../batch';
import { DriverError } from '../errors';
import { loadAddon, toDriverError } from '../native/load';
import type { NativeSession, NativeStats } from '../native/types';

export interface CaptureOptions {
  /** Syscall names (as rules spell them) and lifecycle tracepoints (`sched_process_exit`) to capture. */
  readonly syscalls: readonly string[];
  /** Ring buffer size in bytes: a power of two, at least 64 KiB. Default 8 MiB. */
  readonly bufferBytes?: number;
  /** Size of each batch buffer handed to JavaScript. Default 1 MiB (min 128 KiB). */
  readonly batchBytes?: number;
  /** How many batch buffers exist; a slow consumer may hold all but one. Default 4. */
  readonly batchSlots?: number;
  /** Pending bytes at which producers wake the consumer. Default bufferBytes / 32. */
  readonly wakeupBytes?: number;
  /** Longest time an event waits in a partial batch, in ms. Default 10. */
  readonly pollMs?: number;
  /**
   * How enter events (open, openat, openat2, creat, connect) are hooked. `auto` (default): each
   * captured one on its own syscalls/sys_enter_<name> tracepoint when tracefs is mounted, so other
   * syscalls pay no BPF run; otherwise, and with `tp_btf`, the generic sys_enter dispatcher.
   * `stats().enterHook` says which is in use.
   */
  readonly enterHook?: 'auto' | 'tp_btf';
  /** Use this addon file instead of the package's build. */
  readonly addonPath?: string;
}

export interface LiveCaptureStats extends NativeStats {
  /** Events the kernel side lost, all causes together. */
  readonly drops: number;
}

interface PendingBatch extends EventBatch {
  readonly slot: number;
}

const MIN_RING = 64 * 1024;

function checkOptions(o: CaptureOptions): void {
  const ring = o.bufferBytes;
  if (ring !== undefined && (!Number.isInteger(ring) || ring < MIN_RING || (ring & (ring - 1)) !== 0 || ring > 2 ** 30)) {
    throw new DriverError('BAD_OPTIONS', `bufferBytes must be a power of two between 64 KiB and 1 GiB, got ${ring}`, { option: 'bufferBytes' });
  }
  for (const key of ['batchBytes', 'batchSlots', 'wakeupBytes', 'pollMs'] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
      throw new DriverError('BAD_OPTIONS', `${key} must be a positive integer, got ${v}`, { option: key });
    }
  }
  if (o.enterHook !== undefined && o.enterHook !== 'auto' && o.enterHook !== 'tp_btf') {
    throw new DriverError('BAD_OPTIONS', `enterHook must be 'auto' or 'tp_btf', got ${String(o.enterHook)}`, { option: 'enterHook' });
  }
  if (!Array.isArray(o.syscalls)) {
    throw new DriverError('BAD_OPTIONS', 'syscalls must be an array of syscall names', { option: 'syscalls' });
  }
}

export class LiveCapture implements AsyncIterable<EventBatch> {
  private readonly native: NativeSession;
  private readonly buffers: ArrayBuffer[];
  private readonly queue: PendingBatch[] = [];
  private waiter: ((r: IteratorResult<EventBatch>) => void) | undefined;
  private held = -1;
  private closed = false;
  private readonly supportedNames: ReadonlySet<string>;

  /** Use openCapture(). */
  constructor(options: CaptureOptions) {
    checkOptions(options);
    const addon = loadAddon(options.addonPath);
    const ring = options.bufferBytes ?? 8 * 1024 * 1024;
    try {
      this.native = new addon.CaptureSession(
        {
          bufferBytes: ring,
          batchBytes: options.batchBytes ?? 1024 * 1024,
          batchSlots: options.batchSlots ?? 4,
          wakeupBytes: options.wakeupBytes ?? Math.max(4096, ring / 32),
          pollMs: options.pollMs ?? 10,
          enterHook: options.enterHook ?? 'auto',
          syscalls: [],
        },
        (slot, count, bytes) => this.onBatch(slot, count, bytes),
      );
    } catch (err) {
      throw toDriverError(err);
    }
    this.buffers = this.native.buffers();
    this.supportedNames = new Set(this.native.supported());
    try {
      this.setSyscalls(options.syscalls);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The syscall and tracepoint names this build can capture. */
  get supported(): readonly string[] {
    return [...this.supportedNames];
  }

  /** Replaces the captured set; takes effect at the next syscall, without reloading anything. */
  setSyscalls(names: readonly string[]): void {
    this.assertOpen();
    const unknown = names.filter((n) => !this.supportedNames.has(n));
    if (unknown.length > 0) {
      throw new DriverError('UNKNOWN_SYSCALL', `cannot capture ${unknown.join(', ')}: not supported by the live driver`, {
        detail: unknown.join(','),
      }, `Supported: ${[...this.supportedNames].sort().join(', ')}`);
    }
    this.native.setSyscalls([...names]);
  }

  /** Kernel counters (summed over CPUs) and consumer counters. */
  stats(): LiveCaptureStats {
    const s = this.native.stats();
    return { ...s, drops: s.dropsBufferFull + s.dropsTooLarge + s.dropsTailCall };
  }

  /** Detaches the programs, stops the consumer thread and ends the iteration. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
    this.queue.length = 0;
    this.held = -1;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  /** The next batch, or `undefined` once closed. Hands the previous batch's buffer back. */
  async next(): Promise<EventBatch | undefined> {
    const r = await this.nextResult();
    return r.done ? undefined : r.value;
  }

  [Symbol.asyncIterator](): AsyncIterator<EventBatch> {
    return {
      next: () => this.nextResult(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private nextResult(): Promise<IteratorResult<EventBatch>> {
    if (this.held >= 0) {
      this.native.release(this.held);
      this.held = -1;
    }
    const batch = this.queue.shift();
    if (batch !== undefined) {
      this.held = batch.slot;
      return Promise.resolve({ value: batch, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private onBatch(slot: number, count: number, bytes: number): void {
    if (this.closed) return;
    const batch: PendingBatch = { slot, count, byteLength: bytes, data: new Uint8Array(this.buffers[slot]!, 0, bytes) };
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      this.held = slot;
      w({ value: batch, done: false });
    } else {
      this.queue.push(batch);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new DriverError('CLOSED', 'the capture is closed');
  }
}

/** Loads and attaches the driver and starts capturing `options.syscalls`. */
export function openCapture(options: CaptureOptions): Promise<LiveCapture> {
  try {
    return Promise.resolve(new LiveCapture(options));
  } catch (err) {
    return Promise.reject(err);
  }
}
