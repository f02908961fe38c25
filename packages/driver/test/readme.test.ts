import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { conformanceCaptures } from './helpers/captures';

// Runs the README's example as written (with the package import pointed at the sources).
describe('README example', () => {
  it('counts the open() calls of a capture', async () => {
    const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
    const code = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(file, code.replace("'@falco-ts/driver'", JSON.stringify(resolve(__dirname, '../src'))));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { example } = require(file) as { example: (f: string) => Promise<string[]> };
      const lines = await example(conformanceCaptures().find((f) => f.endsWith('cat_write.scap'))!);
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^20072: fd=3 name=\/etc\/ld\.so\.cache flags=4097\(O_RDONLY\|O_CLOEXEC\) mode=0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
