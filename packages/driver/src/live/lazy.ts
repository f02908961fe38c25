/**
 * The package's entry points into live capture, loaded on first use. Most importers only read
 * capture files; the capture session, the native addon loader, the /proc snapshot and the
 * `scap capture` command parser stay unloaded until a live capture is actually started.
 */
import type * as CaptureModule from './capture';
import type * as CaptureCommandModule from './capture-command';
import type { CaptureOptions, LiveCapture } from './capture';
import type { CaptureArgs } from './capture-command';

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
