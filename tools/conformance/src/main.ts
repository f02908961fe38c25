#!/usr/bin/env node
/**
 * `pnpm conformance <suite> <file-or-dir>...`: runs upstream conformance data through the project.
 * Prints `FAIL <id>: <what differed>` for every failing case and ends with `N passed, N failed`;
 * exits non-zero when any case failed. Suites live in `./suites/<name>.ts` and export `suite`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Suite } from './suite';

const SUITES = ['filter', 'loader', 'falco', 'k8saudit', 'fields', 'netpol', 'talon'] as const;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...inputs] = argv;
  if (!name || !(SUITES as readonly string[]).includes(name) || inputs.length === 0) {
    process.stderr.write(`usage: conformance <${SUITES.join('|')}> <file-or-dir>...\n`);
    return 2;
  }
  const modulePath = join(__dirname, 'suites', `${name}.js`);
  if (!existsSync(modulePath)) {
    process.stderr.write(`conformance: suite '${name}' is not implemented yet\n`);
    return 2;
  }
  const { suite } = (await import(modulePath)) as { suite: Suite };
  let passed = 0;
  let failed = 0;
  for await (const result of suite.run(inputs)) {
    if (result.passed) {
      passed++;
    } else {
      failed++;
      process.stdout.write(`FAIL ${result.id}: ${result.detail ?? 'failed'}\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
