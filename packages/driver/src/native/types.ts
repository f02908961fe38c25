/** The shape of the compiled addon (native/addon.cc). Internal: the public API is src/live/. */

export interface NativeSessionOptions {
  bufferBytes: number;
  batchBytes: number;
  batchSlots: number;
  wakeupBytes: number;
  pollMs: number;
  syscalls: string[];
  enterHook: 'auto' | 'tp_btf';
}

/** Counters as the native layer reports them (kernel side summed over CPUs, consumer side). */
export interface NativeStats {
  kernelEvents: number;
  dropsBufferFull: number;
  dropsTooLarge: number;
  dropsTailCall: number;
  readFailures: number;
  deliveredEvents: number;
  deliveredBatches: number;
  deliveredBytes: number;
  consumerCpuNs: number;
  consumerStalledMs: number;
  pollErrors: number;
  /** Whether the sys_enter dispatcher is attached (only while a syscall with an enter event is captured). */
  enterAttached: boolean;
  /**
   * How enter events are hooked right now: `tp_btf` (the generic sys_enter dispatcher, which every
   * syscall on the machine runs), `syscall_tracepoints` (one syscalls/sys_enter_<name> tracepoint
   * per captured syscall with an enter event), or `none` (no such syscall is captured).
   */
  enterHook: 'tp_btf' | 'syscall_tracepoints' | 'none';
}

export interface NativeSession {
  buffers(): ArrayBuffer[];
  release(slot: number): void;
  stats(): NativeStats;
  setSyscalls(names: string[]): void;
  supported(): string[];
  close(): void;
}

export interface NativeAddon {
  CaptureSession: new (options: NativeSessionOptions, onBatch: (slot: number, count: number, bytes: number) => void) => NativeSession;
}
