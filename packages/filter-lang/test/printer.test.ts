import { build, escapeValue, parse, print } from '@falco-ts/filter-lang';

describe('print: libsinsp canonical form', () => {
  it.each([
    ['evt.name exists and evt.type in (a, b) or proc.name=cat', '((evt.name exists and evt.type in (a, b)) or proc.name = cat)'],
    ['a and (b and c)', '(a and (b and c))'],
    ['(a)', 'a'],
    ['not(a)and(not(b))', '(not a and not b)'],
    ['a.b == x', 'a.b == x'],
    ['a.b = x', 'a.b = x'],
    ['a.b=x', 'a.b = x'],
    ['evt.arg[0] = value', 'evt.arg[0] = value'],
    ['evt.arg["key with space"] = value', 'evt.arg["key with space"] = value'],
    ['evt.arg[""] = value', 'evt.arg[""] = value'],
    ['getopt(proc.args, "nt:")["t"] = value', 'getopt(proc.args,nt:)[t] = value'],
    ['join("-", (fd.name, "lit", 12)) = x', 'join(-,(fd.name,lit,12)) = x'],
    ['join(", ", (fd.name)) = x', 'join(", ",(fd.name)) = x'],
    ['concat(fd.name, proc.name) = x', 'concat(fd.name,proc.name) = x'],
    ['some.field = val(test.field)', 'some.field = val(test.field)'],
    ['tolower(a.b) = b64(c.d)', 'tolower(a.b) = b64(c.d)'],
    ['proc.name == oneof (cat, nginx)', 'proc.name == oneof (cat, nginx)'],
    ['proc.name == oneof my_list', 'proc.name == oneof my_list'],
    ['proc.name == oneof ()', 'proc.name == oneof ()'],
    ['proc.name == oneof', 'proc.name == oneof'],
    ['a.b in ()', 'a.b in ()'],
    ['a.b in my_list', 'a.b in my_list'],
    ["a.b in ('x y', \"z\", w)", 'a.b in ("x y", z, w)'],
    ['a.b pmatch (/a, /b)', 'a.b pmatch (/a, /b)'],
    ['a.b exists', 'a.b exists'],
    ['a.b = "it\'"', 'a.b = "it\'"'],
    ['a.b = "tab\\there"', 'a.b = "tab\\there"'],
    ['a.b = "q\\"uote"', 'a.b = "q\\"uote"'],
    ['a.b = "back\\\\slash"', 'a.b = "back\\\\slash"'],
    ['a.b = "a=b"', 'a.b = "a=b"'],
    ['a.b = ""', 'a.b = ""'],
  ])('%s', (input, printed) => {
    expect(print(parse(input))).toBe(printed);
  });

  it('escapes values the libsinsp way', () => {
    expect(escapeValue('plain/path*')).toBe('plain/path*');
    expect(escapeValue('\b\f\n\r\t')).toBe('"\\b\\f\\n\\r\\t"');
    expect(escapeValue("sp ace")).toBe('"sp ace"');
    expect(escapeValue("it's")).toBe('"it\'s"');
    expect(escapeValue('nul\0')).toBe('"nul\0"');
  });

  it('prints built nodes', () => {
    const ast = build.and([
      build.binary(build.field('proc.name'), 'in', build.list(['a b', 'c'])),
      build.not(build.unary(build.field('evt.arg', 'fd'), 'exists')),
    ]);
    expect(print(ast)).toBe('(proc.name in ("a b", c) and not evt.arg[fd] exists)');
  });

  it('parse(print(ast)) prints the same again', () => {
    for (const input of ['a.b in ("x y", "q\\"", "t\\tt")', 'not (a or b) and c.d[k] startswith "a b"']) {
      const once = print(parse(input));
      expect(print(parse(once))).toBe(once);
    }
  });
});
