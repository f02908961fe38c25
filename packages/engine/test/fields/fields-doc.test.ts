import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildPlan, repoDir } from '../../scripts/gen-fields-doc';
import { SYSCALL_FIELDS } from '../../src/fields/catalogue';

describe('docs/fields.md', () => {
  it('is current with the field catalogue (run `pnpm gen` after changing fields)', () => {
    for (const [path, contents] of Object.entries(buildPlan())) {
      expect(readFileSync(resolve(repoDir(), path), 'utf8')).toBe(contents);
    }
  });

  it('documents every field', () => {
    const doc = Object.values(buildPlan())[0]!;
    for (const f of SYSCALL_FIELDS) expect(doc).toContain(`| \`${f.name}\` |`);
  });
});
