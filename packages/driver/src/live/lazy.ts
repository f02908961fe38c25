/**
 * The package's entry points into live capture, loaded on first use. Most importers only read
 * capture files; the capture session, the native addon loader, the /proc snapshot and the
 * `scap capture` command parser stay unloaded until a live capture is actually started.
 */
import type * as CaptureModule from './capture';
import type * as CaptureCommandModule from './capture-command';
import type * as ProcFdsModule from './proc-fds';
import type { CaptureOptions, LiveCapture } from './capture';
import type { CaptureArgs } from './capture-command';
import type { FdInfo, ThreadInfo } from '../scap/state';

function captureModule(): typeof CaptureModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./capture') as typeof CaptureModule;
}

function captureCommandModule(): typeof CaptureCommandModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./capture-command') as typeof CaptureCommandModule;
}

/** Loads and attaches the driver and starts capturing `options.syscalls`. */
export function openCapture(options: CaptureOptions): Promise<LiveCapture> {
  return captureModule().openCapture(options);
}

/** Runs a capture into `args.file` until `args.seconds` elapse or the process is signalled; returns the events written. */
export function runCapture(args: CaptureArgs, log?: (line: string) => void): Promise<number> {
  return captureCommandModule().runCapture(args, log);
}

/** Parses `scap capture` arguments (throws DriverError `BAD_OPTIONS` with the usage text). */
export function parseCaptureArgs(argv: readonly string[]): CaptureArgs {
  return captureCommandModule().parseCaptureArgs(argv);
}

/** `scap capture ...`: parses `argv`, records, and reports on stderr. */
export function captureCommand(argv: readonly string[]): Promise<void> {
  return captureCommandModule().captureCommand(argv);
}

function procFdsModule(): typeof ProcFdsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./proc-fds') as typeof ProcFdsModule;
}

/** The open descriptors of process `pid`, read from /proc, as a capture's FDL block lists them. */
export function openFds(pid: number): FdInfo[] {
  return procFdsModule().openFds(pid);
}

/** `threads` with each main thread's open descriptors filled in from /proc. */
export function withOpenFds(threads: ThreadInfo[]): ThreadInfo[] {
  return procFdsModule().withOpenFds(threads);
}

/** Kernel open(2) flags → the scap flag bits a capture's descriptor table stores. */
export function scapOpenFlags(kernelFlags: number): number {
  return procFdsModule().scapOpenFlags(kernelFlags);
}
