import type { Writable } from 'node:stream';

/** Where the command writes; the real process streams by default, collectors in tests. */
export interface CliIo {
  /** The stream alerts are written to, when stdout is a real stream (sinks write to it directly). */
  stdoutStream?: Writable;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout/stderr is a terminal (progress bar). */
  isTty: boolean;
}

export function processIo(): CliIo {
  return {
    stdoutStream: process.stdout,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTty: Boolean(process.stderr.isTTY),
  };
}
