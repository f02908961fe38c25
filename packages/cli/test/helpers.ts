import { join } from 'node:path';
import { runFalco } from '../src/app';
import type { CliIo } from '../src/io';

export const CONFORMANCE_FALCO = join(__dirname, '../../../../shared/conformance/falco');
export const DEFAULT_CONFIG = join(CONFORMANCE_FALCO, 'configs/default/falco.yaml');

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in-process with collected streams. */
export async function falco(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...process.env, ...env }, isTty: false };
  const code = await runFalco(argv, io);
  return { code, stdout, stderr };
}

/**
 * Live tests in different jest workers must not run at the same time: two captures on one host
 * interfere (as two detectors on one host would). A directory lock serialises them.
 */
export async function withLiveLock<T>(fn: () => Promise<T>): Promise<T> {
  const { mkdirSync, rmdirSync } = await import('node:fs');
  const lock = '/tmp/falco-ts-cli-live-test.lock';
  const deadline = Date.now() + 120000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`live test lock ${lock} held for too long`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
}
