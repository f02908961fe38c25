/**
 * `scap capture -w FILE [-M seconds] [--buffer-bytes N] [syscall ...]`: record a live capture.
 * The file starts with the machine, users and the process table read from /proc, then one event
 * block per captured event; sysdig and this package's reader both open it.
 */
import { ScapWriter } from '../scap/writer';
import { DriverError } from '../errors';
import { openCapture } from './capture';
import { snapshotMachine, snapshotThreads, snapshotUsers } from './proc-snapshot';
import { withOpenFds } from './proc-fds';
import { DEFAULT_LIVE_SYSCALLS } from './syscall-sets';

export const CAPTURE_USAGE = `usage: scap capture -w FILE [options] [SYSCALL ...]

Record system calls from the running kernel into a scap file (needs root).

  -w FILE              write the capture here (gzip)
  -M SECONDS           stop after this many seconds (default: until SIGINT/SIGTERM)
  --buffer-bytes N     kernel ring buffer size, a power of two (default 8 MiB)
  --no-compress        write plain scap instead of gzip
  SYSCALL ...          capture only these (default: the state model's and the rules' syscalls)
`;

export interface CaptureArgs {
  file: string;
  seconds?: number;
  bufferBytes?: number;
  compress: boolean;
  syscalls: string[];
}

export function parseCaptureArgs(argv: readonly string[]): CaptureArgs {
  const out: CaptureArgs = { file: '', compress: true, syscalls: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new DriverError('BAD_OPTIONS', `option '${a}' needs a value\n\n${CAPTURE_USAGE}`, { option: a });
      return v;
    };
    const number = (v: string): number => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new DriverError('BAD_OPTIONS', `option '${a}' needs a positive number, got '${v}'`, { option: a });
      return n;
    };
    if (a === '-w') out.file = value();
    else if (a === '-M') out.seconds = number(value());
    else if (a === '--buffer-bytes') out.bufferBytes = number(value());
    else if (a === '--no-compress') out.compress = false;
    else if (a === '-h' || a === '--help') throw new DriverError('BAD_OPTIONS', CAPTURE_USAGE, { option: a });
    else if (a.startsWith('-')) throw new DriverError('BAD_OPTIONS', `unknown option '${a}'\n\n${CAPTURE_USAGE}`, { option: a });
    else out.syscalls.push(...a.split(',').filter(Boolean));
  }
  if (out.file === '') throw new DriverError('BAD_OPTIONS', `-w FILE is required\n\n${CAPTURE_USAGE}`, { option: '-w' });
  return out;
}

/** Runs a capture until -M elapses or the process is signalled; returns the events written. */
export async function runCapture(args: CaptureArgs, log: (line: string) => void = () => {}): Promise<number> {
  const capture = await openCapture({ syscalls: args.syscalls.length > 0 ? args.syscalls : DEFAULT_LIVE_SYSCALLS, bufferBytes: args.bufferBytes });
  const stop = (): void => capture.close();
  const timer = args.seconds === undefined ? undefined : setTimeout(stop, args.seconds * 1000);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const { writer, done } = ScapWriter.toFile(args.file, { compress: args.compress });
  try {
    // The capture is already running: events from while /proc is read wait in the buffers.
    const { users, groups } = snapshotUsers();
    await writer.begin({ machine: snapshotMachine(), threads: withOpenFds(snapshotThreads()), users, groups });
    for await (const batch of capture) await writer.writeBatch(batch);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    const stats = capture.stats();
    capture.close();
    await writer.end();
    await done;
    log(`scap: wrote ${writer.events} events to ${args.file}; kernel drops: ${stats.drops} (buffer full ${stats.dropsBufferFull}, too large ${stats.dropsTooLarge})`);
  }
  return writer.events;
}

/** Entry point for the `capture` subcommand of `scap`. */
export async function captureCommand(argv: readonly string[]): Promise<void> {
  await runCapture(parseCaptureArgs(argv), (line) => process.stderr.write(`${line}\n`));
}
