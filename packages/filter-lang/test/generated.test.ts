import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planGrammar } from '../scripts/gen-grammar';
import { FILTER_GRAMMAR_RECIPE } from '../src/grammar/generated/filter-grammar';
import { grammarRecipe, ohm } from '../src/grammar/ohm';

describe('generated files', () => {
  it('the embedded grammar is current (run `pnpm gen` after editing filter.ohm)', () => {
    for (const [path, contents] of Object.entries(planGrammar())) {
      expect(readFileSync(join(__dirname, '..', path), 'utf8')).toBe(contents);
    }
  });
});

describe('the embedded grammar recipe', () => {
  it('rebuilds the same grammar as compiling filter.ohm', () => {
    const source = readFileSync(join(__dirname, '../src/grammar/filter.ohm'), 'utf8');
    const fromSource = ohm.grammar(source);
    const fromRecipe = ohm.makeRecipe(JSON.parse(FILTER_GRAMMAR_RECIPE));
    expect(grammarRecipe(fromRecipe)).toBe(grammarRecipe(fromSource));
    expect(fromRecipe.match('proc.name = bash and not fd.name in (a, b)', 'filter').succeeded()).toBe(true);
    expect(fromRecipe.match('proc.name =', 'filter').succeeded()).toBe(false);
  });
});
