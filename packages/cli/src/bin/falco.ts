#!/usr/bin/env node
/** The `falco` executable. */
import { runFalco } from '../app';

/** Exits once everything written to stdout has been flushed (stdout may be a pipe). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runFalco(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exitAfterFlush(1);
});
