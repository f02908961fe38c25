/** Runs the README's syscall-source example, so the documented example cannot rot. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

it('the README syscall-source example runs and prints what it says', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const m = /```ts syscall-example\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  const code = m![1]!;
  const expected = /\/\/ (.*)\n$/.exec(code)![1];
  // Outside the package, so type-checking and linting never see a half-written copy.
  const dir = mkdtempSync(join(tmpdir(), 'engine-syscall-readme-'));
  const file = join(dir, 'example.ts');
  writeFileSync(file, code);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { output: string };
    expect(mod.output).toBe(expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
