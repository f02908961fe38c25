import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planGrammar } from '../scripts/gen-grammar';

describe('generated files', () => {
  it('the embedded grammar is current (run `pnpm gen` after editing filter.ohm)', () => {
    for (const [path, contents] of Object.entries(planGrammar())) {
      expect(readFileSync(join(__dirname, '..', path), 'utf8')).toBe(contents);
    }
  });
});
