#!/usr/bin/env node
import { main } from '../cli';

// A closed pipe (`… --list | head`) is not an error worth a stack trace.
process.stdout.on('error', () => process.exit(0));

main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
