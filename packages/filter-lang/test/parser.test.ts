import { FilterSyntaxError, NodeType, parse, print } from '@falco-ts/filter-lang';

describe('parse', () => {
  it('builds n-ary and/or with libsinsp precedence (not > and > or)', () => {
    expect(print(parse('a or b and c or not d'))).toBe('(a or (b and c) or not d)');
    expect(print(parse('a and b and c'))).toBe('(a and b and c)');
  });

  it('folds runs of not by parity', () => {
    expect(print(parse('not not not not not(not not(not not_macro))'))).toBe('not not not_macro');
    expect(print(parse('not not a'))).toBe('a');
  });

  it('gives every node a position', () => {
    const ast = parse('a and\n  proc.name = cat');
    expect(ast.type).toBe(NodeType.And);
    if (ast.type !== NodeType.And) return;
    expect(ast.children[1].loc.start).toEqual({ offset: 8, line: 2, column: 3 });
    expect(ast.children[1].range).toEqual([8, 23]);
  });

  it('throws a positioned FilterSyntaxError', () => {
    expect(() => parse('a andb')).toThrow(FilterSyntaxError);
    try {
      parse('a and (b or');
    } catch (e) {
      expect(e).toBeInstanceOf(FilterSyntaxError);
      const err = e as FilterSyntaxError;
      expect(err.code).toBe('FILTER_SYNTAX');
      expect(err.position).toEqual({ offset: 11, line: 1, column: 12 });
    }
  });
});
