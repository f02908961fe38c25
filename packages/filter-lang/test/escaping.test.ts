import { FilterSyntaxError, NodeType, parse, unescapeQuoted } from '@falco-ts/filter-lang';

const value = (input: string): string => {
  const ast = parse(`a.b = ${input}`);
  if (ast.type !== NodeType.BinaryCheck || ast.right.type !== NodeType.Value) throw new Error('not a value');
  return ast.right.value;
};

describe('string escapes', () => {
  it.each([
    ['"\\b"', '\b'], ['"\\f"', '\f'], ['"\\n"', '\n'], ['"\\r"', '\r'], ['"\\t"', '\t'],
    ['"a\\\\b"', 'a\\b'], ['"\\/"', '/'], ['"a\\ b"', 'a\\b'], ['"\\""', '"'], ["'\\''", "'"],
    ["'mixed \"'", 'mixed "'], ['"mixed \'"', "mixed '"], ['""', ''], ["''", ''],
  ])('%s unescapes', (quoted, expected) => {
    expect(value(quoted)).toBe(expected);
    expect(unescapeQuoted(quoted)).toBe(expected);
  });

  it.each([
    ['"\\q"', 'unsupported string escape sequence: \\q'],
    ['"\\x41"', 'unsupported string escape sequence: \\x'],
    ['"\\\'"', 'invalid \\\' escape in "-quoted string'],
    ["'\\\"'", 'invalid \\" escape in \'-quoted string'],
  ])('%s is a positioned syntax error', (quoted, reason) => {
    try {
      value(quoted);
      throw new Error('unreachable');
    } catch (e) {
      expect(e).toBeInstanceOf(FilterSyntaxError);
      const err = e as FilterSyntaxError;
      expect(err.code).toBe('FILTER_BAD_ESCAPE');
      expect(err.reason).toBe(reason);
      expect(err.position.offset).toBe(7);
    }
  });

  it('a quote is closing unless a backslash precedes it', () => {
    // As in libsinsp, even an escaped backslash "protects" the quote after it.
    expect(() => parse('a.b = "\\\\"')).toThrow(FilterSyntaxError);
    expect(value("'multiple escape single quote \\' \\\\''")).toBe("multiple escape single quote ' \\'");
    expect(() => parse("a.b = 'missing end quote")).toThrow(FilterSyntaxError);
  });
});
