// Runs the README's live capture example as written (with the package import pointed at the sources).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRoot, run } from './helpers';

const live = isRoot ? describe : describe.skip;

live('README live capture example', () => {
  it('lists the programs started while it runs', async () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const code = /## Live capture[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'readme-live-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(file, code.replace("'@falco-ts/driver'", JSON.stringify(resolve(__dirname, '../../src'))));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { execsFor } = require(file) as { execsFor: (ms: number) => Promise<{ programs: string[]; drops: number }> };
      const result = execsFor(1500);
      await new Promise((r) => setTimeout(r, 300));
      await run('/bin/true', []);
      const { programs, drops } = await result;
      expect(programs).toContain('/usr/bin/true');
      expect(drops).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
