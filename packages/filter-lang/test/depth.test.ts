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

  it('takes a custom limit', () => {
    expect(() => parse(nested(3), { maxDepth: 10 })).toThrow('exceeded max depth limit of 10');
    expect(() => parse('a', { maxDepth: 10 })).not.toThrow();
  });

  it('an empty condition is its own error', () => {
    expect(() => parse('')).toThrow('filter input string is empty');
  });
});
