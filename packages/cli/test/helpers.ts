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
