import { build, NodeType, parse, print, transform, VISITOR_KEYS, walk, walkChecks, type Expr, type Node } from '@falco-ts/filter-lang';

describe('transform', () => {
  it('substitutes macros and shares untouched subtrees', () => {
    const macros = new Map<string, Expr>([['is_shell', parse('proc.name in (bash, sh)')]]);
    const ast = parse('is_shell and not fd.name startswith /tmp');
    const out = transform(ast, { Identifier: (n) => macros.get(n.name) });
    expect(print(out)).toBe('(proc.name in (bash, sh) and not fd.name startswith /tmp)');
    expect(print(ast)).toBe('(is_shell and not fd.name startswith /tmp)');
    if (ast.type !== NodeType.And || out.type !== NodeType.And) throw new Error('shape');
    expect(out.children[1]).toBe(ast.children[1]);
  });

  it('substitutes list references on the right-hand side', () => {
    const ast = parse('proc.name in (shells, ksh) or proc.name in shells');
    const lists = new Map([['shells', ['bash', 'sh']]]);
    const out = transform(ast, {
      List: (n) => build.list(n.items.flatMap((v) => lists.get(v.value) ?? [v.value]), n),
      BinaryCheck: (n) => {
        if (n.right.type === NodeType.Value && !n.right.quoted && lists.has(n.right.value)) {
          return { ...n, right: build.list(lists.get(n.right.value)!, n.right) };
        }
        return undefined;
      },
    });
    expect(print(out)).toBe('(proc.name in (bash, sh, ksh) or proc.name in (bash, sh))');
  });

  it('rejects a replacement that does not fit its place', () => {
    expect(() => transform(parse('a and b'), { Identifier: () => build.value('x') })).toThrow(TypeError);
  });

  it('returns the same node when nothing changes', () => {
    const ast = parse('a and b.c = d');
    expect(transform(ast, {})).toBe(ast);
  });
});

describe('walkChecks', () => {
  it('visits the checks in the order walk meets them', () => {
    const ast = parse('not (a.b in (x, y) and c.d exists) or (e.f = 1 and not (g.h = val(i.j) or k.l contains m))');
    const viaWalk: Node[] = [];
    walk(ast, (n: Node) => {
      if (n.type === NodeType.BinaryCheck || n.type === NodeType.UnaryCheck) viaWalk.push(n);
    });
    const viaChecks: Node[] = [];
    walkChecks(ast, (n) => viaChecks.push(n));
    expect(viaChecks).toEqual(viaWalk);
    expect(viaChecks.map((n) => (n as { left: { name: string } }).left.name)).toEqual(['a.b', 'c.d', 'e.f', 'g.h', 'k.l']);
  });
});

describe('walk and visitor keys', () => {
  it('visits every node in source order', () => {
    const types: string[] = [];
    walk(parse('not a.b in (x) or tolower(c.d) = val(e.f)'), (n: Node) => types.push(n.type));
    expect(types).toEqual([
      'Or', 'Not', 'BinaryCheck', 'Field', 'List', 'Value', 'BinaryCheck', 'Transformer', 'Field', 'Transformer', 'Field',
    ]);
  });
  it('lists keys for every node type', () => {
    expect(Object.keys(VISITOR_KEYS).sort()).toEqual(Object.values(NodeType).sort());
  });
});
