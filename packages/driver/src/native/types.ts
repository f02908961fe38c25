/** The shape of the compiled addon (native/addon.cc). Internal: the public API is src/live/. */

export interface NativeSessionOptions {
  bufferBytes: number;
  batchBytes: number;
  batchSlots: number;
  wakeupBytes: number;
  pollMs: number;
  syscalls: string[];
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
