import { FilterSyntaxError, parse } from '@falco-ts/filter-lang';

describe('depth limit', () => {
  const nested = (n: number): string => `${'('.repeat(n)}a${')'.repeat(n)}`;

  it('accepts reasonable nesting', () => {
    expect(() => parse(nested(15))).not.toThrow();
  });

  it('rejects deep nesting with libsinsp\'s message', () => {
    for (const n of [30, 1000, 100000]) {
      try {
        parse(nested(n));
        throw new Error(`nesting ${n} accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(FilterSyntaxError);
        expect((e as FilterSyntaxError).reason).toBe('exceeded max depth limit of 100');
        expect((e as FilterSyntaxError).code).toBe('FILTER_DEPTH');
      }
    }
  });

  it('counts nesting as libsinsp\'s recursion does, to the exact limit', () => {
    // Each parenthesis costs 5 levels; a bare macro needs 4 more, a check with a value 7.
    expect(() => parse(nested(19))).not.toThrow();
    expect(() => parse(nested(20))).toThrow('exceeded max depth limit of 100');
    const check = (n: number): string => `${'('.repeat(n)}a.b = c${')'.repeat(n)}`;
    expect(() => parse(check(18))).not.toThrow();
    expect(() => parse(check(19))).toThrow('exceeded max depth limit of 100');
    // not( costs 4 per level.
    const nots = (n: number): string => `${'not('.repeat(n)}a${')'.repeat(n)}`;
    expect(() => parse(nots(23))).not.toThrow();
    expect(() => parse(nots(24))).toThrow('exceeded max depth limit of 100');
  });

  it('takes a custom limit', () => {
    expect(() => parse(nested(3), { maxDepth: 10 })).toThrow('exceeded max depth limit of 10');
    expect(() => parse('a', { maxDepth: 10 })).not.toThrow();
  });

  it('an empty condition is its own error', () => {
    expect(() => parse('')).toThrow('filter input string is empty');
  });
});
