import { FilterSyntaxError, parse } from '@falco-ts/filter-lang';

const OPS =
  "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', " +
  "'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'";
const TRANSFORMERS = "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";

describe('syntax errors', () => {
  it.each([
    ['a andb', 1, 6, "expected blank or '(' after 'and'"],
    ['a orb', 1, 5, "expected blank or '(' after 'or'"],
    ['(a', 1, 3, "expected a ')' token"],
    ['a)', 1, 2, "unexpected token after 'a', expecting 'or', 'and'"],
    ['a\nand b c', 2, 7, "unexpected token after 'b', expecting 'or', 'and'"],
    ['evt.type=execve foo', 1, 17, "unexpected token after 'execve', expecting 'or', 'and'"],
    ['evt.type=open bar', 1, 15, "unexpected token after 'open', expecting 'or', 'and'"],
    ['(a) b', 1, 5, "unexpected token after ')', expecting 'or', 'and'"],
    ['a.b = "x y" z', 1, 13, "unexpected token after 'x y', expecting 'or', 'and'"],
    ['a.b xx 1', 1, 5, `expected a valid check operator: one of ${OPS}`],
    ['a.b = ', 1, 7, `expected a string value or a field with a valid transformer: ${TRANSFORMERS}`],
    ['a.b > x', 1, 7, `expected a number value or a field with a valid transformer: ${TRANSFORMERS}`],
    ['a.b in', 1, 7, `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS}`],
    ['a.b = tolower(x)', 1, 15, `expected a field or a nested valid transformer: ${TRANSFORMERS}`],
    ['a.b[x = 1', 1, 6, "expected a ']' token"],
    ['a.b[] = 1', 1, 5, 'expected a valid field argument: a quoted string or a bare string'],
    ['not ', 1, 5, "expected a '(' token, a field check, or an identifier"],
  ] as [string, number, number, string][])('%j → %d:%d %s', (input, line, column, reason) => {
    try {
      parse(input);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(FilterSyntaxError);
      const err = e as FilterSyntaxError;
      expect(err.reason).toBe(reason);
      expect([err.position.line, err.position.column]).toEqual([line, column]);
      expect(err.shortMessage).toBe(`${line}:${column}: ${reason}`);
      expect(err.name).toBe('FilterSyntaxError');
      expect(err.expected.length).toBeGreaterThan(0);
    }
  });

  it('a lone and/or/not is a macro name, as in libsinsp', () => {
    expect(() => parse('and')).not.toThrow();
    expect(() => parse('not')).not.toThrow();
  });

  it('the message shows the offending text and a code frame', () => {
    expect(() => parse('proc.name = x and\n  fd.name xx /etc')).toThrow(
      `2:11: expected a valid check operator: one of ${OPS} (found "xx /etc")\n` +
        '  1 | proc.name = x and\n' +
        '> 2 |   fd.name xx /etc\n' +
        '    |           ^',
    );
  });
});
