/**
 * One fixture directory per construct and case: `input` (the condition), `ast.json` (the AST
 * with positions) and `printed` (the canonical form); `_error_/<case>/` holds inputs that must
 * fail, with `error.json` ({code, reason, line, column}). Run with UPDATE_FIXTURES=1 to write the
 * expected files from the current behaviour (then review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FilterSyntaxError, parse, print } from '@falco-ts/filter-lang';

const ROOT = join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_FIXTURES === '1';

function cases(): { construct: string; name: string; dir: string }[] {
  const out: { construct: string; name: string; dir: string }[] = [];
  for (const construct of readdirSync(ROOT).sort()) {
    for (const name of readdirSync(join(ROOT, construct)).sort()) {
      out.push({ construct, name, dir: join(ROOT, construct, name) });
    }
  }
  return out;
}

function check(path: string, actual: string): void {
  if (UPDATE || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('fixtures', () => {
  it.each(cases().map((c) => [`${c.construct}/${c.name}`, c] as const))('%s', (_label, c) => {
    const input = readFileSync(join(c.dir, 'input'), 'utf8');
    if (c.construct === '_error_') {
      let error: FilterSyntaxError | undefined;
      try {
        parse(input);
      } catch (e) {
        error = e as FilterSyntaxError;
      }
      expect(error).toBeInstanceOf(FilterSyntaxError);
      const summary = { code: error!.code, reason: error!.reason, line: error!.position.line, column: error!.position.column };
      check(join(c.dir, 'error.json'), `${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const ast = parse(input);
    check(join(c.dir, 'ast.json'), `${JSON.stringify(ast, null, 2)}\n`);
    check(join(c.dir, 'printed'), print(ast));
  });
});
