/**
 * Rule text must never become code. Hostile strings go in every position a condition can carry
 * text — values, list items, field arguments, transformer arguments, regex and glob patterns,
 * macro names — and must come out as data: compiled predicates behave, nothing runs, and the
 * generated source never contains them.
 */
import { compileCondition, FilterCompileError, FilterSyntaxError, parse, print } from '@falco-ts/filter-lang';
import { registry } from './helpers/registry';

const HOSTILE = [
  '"); globalThis.__pwned = 1; ("',
  "'); globalThis.__pwned = 1; ('",
  '`${globalThis.__pwned = 1}`',
  '\\"); globalThis.__pwned = 1; //',
  '*/ globalThis.__pwned = 1; /*',
  '\u2028globalThis.__pwned = 1\u2029',
  '}; globalThis.__pwned = 1; function x() {',
  'constructor',
  '__proto__',
  'toString',
  's0',
  'slots',
  'e',
];

/** Quotes `s` for a condition in double quotes, escaping what the language requires. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function positions(s: string): string[] {
  const q = quote(s);
  return [
    `proc.name = ${q}`,
    `proc.name != ${q}`,
    `proc.name contains ${q}`,
    `proc.name in (${q}, ${q})`,
    `proc.name == oneof (${q})`,
    `proc.name glob ${q}`,
    `proc.env[${q}] = x`,
    `fd.name pmatch (${q})`,
    `join(${q}, (proc.name, ${q})) = ${q}`,
    `concat(proc.name, ${q}) = ${q}`,
    `getopt(proc.cmdline, ${q})[t] = ${q}`,
    `evt.buffer contains ${q}`,
  ];
}

describe('hostile strings', () => {
  afterEach(() => {
    expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  });

  it.each(HOSTILE)('%j stays data in every position', (s) => {
    for (const cond of positions(s)) {
      const compiled = compileCondition(cond, registry);
      if (s.length > 6) expect(compiled.code).not.toContain(s);
      expect(compiled.code).not.toContain('__pwned');
      const event = { name: s, path: s, cmdline: `x -t ${s}`, env: { [s]: 'x' }, buf: new TextEncoder().encode(s) };
      expect(typeof compiled.predicate(event)).toBe('boolean');
      expect(typeof compiled.predicate({})).toBe('boolean');
    }
    expect(compileCondition(`proc.name = ${quote(s)}`, registry).predicate({ name: s })).toBe(true);
  });

  it.each(HOSTILE)('%j in a regex stays a pattern', (s) => {
    try {
      const compiled = compileCondition(`proc.name regex ${quote(s)}`, registry);
      expect(compiled.code).not.toContain('__pwned');
      compiled.predicate({ name: s });
    } catch (e) {
      expect(e).toBeInstanceOf(FilterCompileError);
    }
  });

  it('hostile macro and field names are errors, not code', () => {
    expect(() => compileCondition('constructor and proc.name = x', registry)).toThrow(FilterCompileError);
    expect(() => compileCondition('constructor.prototype = 1', registry)).toThrow(FilterCompileError);
    expect(() => compileCondition('__proto__.x = 1', registry)).toThrow(FilterSyntaxError);
    expect(() => compileCondition('toString.call = 1', registry)).toThrow(FilterCompileError);
    expect(() => parse('proc.name = x; globalThis.__pwned = 1')).toThrow(FilterSyntaxError);
  });

  it('printing round-trips hostile values', () => {
    for (const s of HOSTILE) {
      const printed = print(parse(`proc.name = ${quote(s)}`));
      expect(print(parse(printed))).toBe(printed);
    }
  });
});
