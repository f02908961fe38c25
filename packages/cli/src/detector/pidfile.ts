/**
 * `-P <file>`: the detector's process id, written once the configuration and rules have loaded
 * and before events are processed (not in `--dry-run`), as Falco does. Like Falco, the file is
 * left in place when the run ends; a file that cannot be written stops the run.
 */
import { writeFileSync } from 'node:fs';
import { runErrors } from '../errors';
import type { Logger } from '../logger';

export function writePidfile(path: string, logger: Logger, pid: number = process.pid): void {
  try {
    writeFileSync(path, String(pid));
  } catch (e) {
    throw runErrors.input(`Could not write pid to pidfile ${path}: ${(e as Error).message}. Exiting.`);
  }
  logger.debug(`Wrote pid ${pid} to ${path}`);
}
