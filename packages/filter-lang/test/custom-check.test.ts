import { build, compile, compileCondition, MapFieldRegistry, parse, type CustomCheck } from '@falco-ts/filter-lang';

describe('custom checks', () => {
  it('receive the check as written and decide it', () => {
    const seen: CustomCheck[] = [];
    const registry = new MapFieldRegistry<{ hit: boolean }>([
      {
        name: 'c.mock',
        type: 'charbuf',
        extract: () => undefined,
        customCheck: (check) => {
          seen.push(check);
          return (e) => e.hit;
        },
      },
    ]);
    const f = compileCondition('c.mock == oneof (a, "b c") and not c.mock exists', registry);
    expect(f.predicate({ hit: true })).toBe(false);
    expect(seen.map((c) => [c.operator, c.modifier, c.values, c.list])).toEqual([
      ['==', 'oneof', ['a', 'b c'], true],
      ['exists', undefined, [], false],
    ]);
  });

  it('can recompile the same check against another field through the AST', () => {
    let current: string | undefined;
    const inner = new MapFieldRegistry<null>([{ name: 'x.value', type: 'charbuf', extract: () => current }]);
    const registry = new MapFieldRegistry<{ names: string[] }>([
      {
        name: 'any.name',
        type: 'charbuf',
        extract: () => undefined,
        customCheck: (check) => {
          if (check.node.type !== 'BinaryCheck') return (e) => e.names.length > 0;
          const one = compile({ ...check.node, left: build.field('x.value') }, inner).predicate;
          return (e) => e.names.some((n) => ((current = n), one(null)));
        },
      },
    ]);
    const f = compile(parse('any.name == anyof (b)'), registry);
    expect(f.predicate({ names: ['a', 'b'] })).toBe(true);
    expect(f.predicate({ names: ['a'] })).toBe(false);
  });
});
