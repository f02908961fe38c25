import { compile, compileCondition, FilterCompileError, FilterSyntaxError, MapFieldRegistry, parse } from '@falco-ts/filter-lang';
import { registry, type TestEvent } from './helpers/registry';

const run = (cond: string, event: TestEvent): boolean => compileCondition(cond, registry).predicate(event);

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('compile: operators by type', () => {
  const ev: TestEvent = {
    name: 'nginx',
    path: '/etc/nginx/nginx.conf',
    pid: 42,
    ts: 1700000000000000000n,
    ok: true,
    buf: bytes('GET /index.html'),
    ip: '10.1.2.3',
    net: '192.168.1.7',
    args: ['-g', 'daemon off;'],
    cmdline: 'nginx -g x -t',
    env: { HOME: '/root' },
  };
  const cases: [string, boolean][] = [
    // strings
    ['proc.name = nginx', true],
    ['proc.name == nginx', true],
    ['proc.name = cat', false],
    ['proc.name != cat', true],
    ['proc.name != nginx', false],
    ['proc.name > 1', true],
    ['proc.name >= 1', true],
    ['proc.name < 1', false],
    ['proc.name <= 1', false],
    ['proc.name contains gin', true],
    ['proc.name icontains GIN', true],
    ['proc.name contains GIN', false],
    ['proc.name startswith ngi', true],
    ['proc.name endswith inx', true],
    ['proc.name glob ng*', true],
    ['proc.name glob ng?nx', true],
    ['proc.name glob "[mn]ginx"', true],
    ['proc.name glob "[!n]ginx"', false],
    ['proc.name iglob NG*', true],
    ['proc.name glob NG*', false],
    ['fd.name glob /etc*.conf', true],
    ["proc.name regex 'ng.*x'", true],
    ["proc.name regex 'gin'", false],
    ['proc.name in (cat, nginx)', true],
    ['proc.name in (cat, sh)', false],
    ['proc.name intersects (nginx)', true],
    ['fd.name pmatch (/etc/nginx)', true],
    ['fd.name pmatch (/etc/ngin)', false],
    ['fd.name pmatch (/usr, /etc/)', true],
    ['proc.name exists', true],
    // numbers (number and bigint mix)
    ['proc.pid = 42', true],
    ['proc.pid != 42', false],
    ['proc.pid < 43', true],
    ['proc.pid <= 41', false],
    ['proc.pid > 41', true],
    ['proc.pid >= 43', false],
    ['proc.pid in (1, 42)', true],
    ['proc.pid = 0x2a', true],
    ['evt.rawtime = 1700000000000000000', true],
    ['evt.rawtime > 1699999999999999999', true],
    ['evt.rawtime in (1700000000000000000)', true],
    // bool
    ['evt.is_io = true', true],
    ['evt.is_io != true', false],
    ['evt.is_io in (false)', false],
    // bytes
    ['evt.buffer contains index', true],
    ['evt.buffer startswith GET', true],
    ['evt.buffer endswith html', true],
    ['evt.buffer = "GET /index.html"', true],
    ['evt.buffer bcontains 696e646578', true],
    ['evt.buffer bstartswith 474554', true],
    ['evt.buffer bstartswith 4745', true],
    ['evt.buffer bcontains 00', false],
    // addresses and networks
    ['fd.ip = 10.1.2.3', true],
    ['fd.ip = 10.0.0.0/8', true],
    ['fd.ip != 10.1.2.4', true],
    ['fd.ip in (192.168.0.0/16, 10.1.0.0/16)', true],
    ['fd.net = 192.168.0.0/16', true],
    ['fd.net = 192.168.2.0/24', false],
    // arguments
    ['proc.env[HOME] = /root', true],
    ['proc.aname[1] = "daemon off;"', true],
    ['proc.aname = nginx', true],
  ];
  it.each(cases)('%s → %s', (cond, expected) => {
    expect(run(cond, ev)).toBe(expected);
  });
});

describe('compile: lazy predicates', () => {
  it('give the verdicts of eager ones, building the function on the first call only', () => {
    const ev: TestEvent = { name: 'nginx', path: '/etc/passwd', pid: 42, ts: 1n, ok: true, buf: bytes(''), ip: '10.1.2.3', net: '10.0.0.1', args: [], cmdline: 'nginx', env: {} };
    const cond = 'proc.name in (nginx, httpd) and (fd.name startswith /etc or proc.pid > 100)';
    const eager = compile(parse(cond), registry);
    const calls: string[] = [];
    const RealFunction = Function;
    const spy = jest.spyOn(globalThis, 'Function').mockImplementation((...args: string[]) => {
      calls.push('built');
      return new RealFunction(...args);
    });
    try {
      const lazy = compile(parse(cond), registry, { lazy: true });
      expect(calls).toEqual([]);
      expect(lazy.code).toBe(eager.code);
      expect(lazy.warnings).toEqual(eager.warnings);
      expect(lazy.predicate(ev)).toBe(true);
      expect(lazy.predicate({ ...ev, name: 'cat' })).toBe(false);
      expect(lazy.predicate({ ...ev, path: '/tmp/x', pid: 7 })).toBe(false);
      expect(calls).toEqual(['built']);
    } finally {
      spy.mockRestore();
    }
    expect(eager.predicate(ev)).toBe(true);
  });

  it('still report type errors when compiled, not when first called', () => {
    expect(() => compile(parse('proc.nme = x'), registry, { lazy: true })).toThrow(FilterCompileError);
  });
});

describe('compile: integer constants', () => {
  interface Nums { v?: number | bigint }
  const nums = new MapFieldRegistry<Nums>(
    (['uint8', 'int8', 'uint16', 'uint64', 'int64'] as const).map((type) => ({ name: `n.${type}`, type, extract: (e: Nums) => e.v })),
  );
  const reason = (cond: string): string | undefined => {
    try {
      compileCondition(cond, nums);
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(FilterCompileError);
      return (e as FilterCompileError).reason;
    }
  };
  it.each([
    ['n.uint8 = 255', undefined],
    ['n.uint8 = 256', "'256' is out of range for type uint8"],
    ['n.uint8 = -1', "'-1' is out of range for type uint8"],
    ['n.uint8 in (1, 2, 0300)', "'0300' is out of range for type uint8"],
    ['n.int8 = -128', undefined],
    ['n.int8 = -129', "'-129' is out of range for type int8"],
    ['n.int8 = 127', undefined],
    ['n.int8 = +128', "'+128' is out of range for type int8"],
    ['n.uint16 = 65535', undefined],
    ['n.uint16 = 0x10000', "'0x10000' is out of range for type uint16"],
    ['n.uint64 = 18446744073709551615', undefined],
    ['n.uint64 = 18446744073709551616', "'18446744073709551616' is out of range for type uint64"],
    ['n.int64 = -9223372036854775808', undefined],
    ['n.int64 = 9223372036854775808', "'9223372036854775808' is out of range for type int64"],
  ])('%s', (cond, expected) => {
    expect(reason(cond)).toBe(expected);
  });
  it('reads short and long decimals to the same values', () => {
    const match = (cond: string, v: number | bigint): boolean => compileCondition(cond, nums).predicate({ v });
    expect(match('n.uint8 = -0', 0)).toBe(true);
    expect(match('n.uint8 = 007', 7)).toBe(true);
    expect(match('n.int64 = 123456789012345', 123456789012345)).toBe(true);
    expect(match('n.int64 = 1234567890123456', 1234567890123456)).toBe(true);
    expect(match('n.int64 in (-5, 9007199254740993)', 9007199254740993n)).toBe(true);
    expect(match('n.int64 in (-5, 9007199254740993)', -5)).toBe(true);
  });
});

describe('compile: missing fields', () => {
  const ops = [
    'proc.name = x', 'proc.name != x', 'proc.name < 1', 'proc.name contains x', 'proc.name icontains x',
    'proc.name startswith x', 'proc.name endswith x', 'proc.name glob *', 'proc.name iglob *',
    "proc.name regex '.*'", 'proc.name in (x)', 'proc.name intersects (x)', 'fd.name pmatch (/)',
    'proc.pid != 1', 'proc.pid < 1', 'evt.is_io != true', 'evt.buffer bcontains 00', 'fd.ip != 1.2.3.4',
    'proc.args in (a)', 'proc.args intersects (a)', 'proc.name exists', 'tolower(proc.name) != x',
    'len(proc.name) != 1', 'proc.name != val(fd.name)',
  ];
  it.each(ops)('%s is false on an event without the field', (cond) => {
    expect(run(cond, {})).toBe(false);
  });
  it('not of a missing-field check is true', () => {
    expect(run('not proc.name != x', {})).toBe(true);
  });
});

describe('compile: list-valued fields', () => {
  it('in requires every value to be in the set, intersects any', () => {
    expect(run('proc.args in (-g, x, y)', { args: ['-g', 'x'] })).toBe(true);
    expect(run('proc.args in (-g)', { args: ['-g', 'x'] })).toBe(false);
    expect(run('proc.args intersects (x, z)', { args: ['-g', 'x'] })).toBe(true);
    expect(run('proc.args intersects (z)', { args: ['-g', 'x'] })).toBe(false);
  });
  it('rejects scalar operators on list fields', () => {
    expect(() => compileCondition('proc.args = x', registry)).toThrow(FilterCompileError);
  });
});

describe('compile: modifiers', () => {
  const ev = { name: 'nginx' };
  it.each([
    ['proc.name == oneof (cat, nginx)', true],
    ['proc.name == anyof (cat, nginx)', true],
    ['proc.name == allof (cat, nginx)', false],
    ['proc.name contains allof (ng, nx)', true],
    ['proc.name contains oneof (ng, nx)', false],
    ['proc.name contains anyof (zz, nx)', true],
    ['proc.name != anyof (cat, nginx)', true],
    ['proc.name != allof (cat, nginx)', false],
    ['proc.name startswith anyof (ng, ca)', true],
    ['proc.name glob oneof (ng*, *x)', false],
    ['proc.name == oneof ()', false],
  ] as [string, boolean][])('%s → %s', (cond, expected) => {
    expect(run(cond, ev)).toBe(expected);
  });
});

describe('compile: transformers', () => {
  const ev: TestEvent = { name: 'NgInx', path: '/var/log/app.log', args: ['a', 'b'], cmdline: 'tool -n 3 -t target -v' };
  it.each([
    ['tolower(proc.name) = nginx', true],
    ['toupper(proc.name) = NGINX', true],
    ['basename(fd.name) = app.log', true],
    ['len(proc.name) = 5', true],
    ['len(proc.args) = 2', true],
    ['b64(proc.name) exists', false],
    ['join("-", (proc.name, fd.name)) = NgInx-/var/log/app.log', true],
    ['join(",", (proc.args, "x")) = "a,b,x"', true],
    ['concat(proc.name, "@", fd.name) = NgInx@/var/log/app.log', true],
    ['getopt(proc.cmdline, "n:t:v")[t] = target', true],
    ['getopt(proc.cmdline, "n:t:v")[v] = ""', true],
    ['getopt(proc.cmdline, "n:t:v")[x] exists', false],
    ['tolower(toupper(proc.name)) = nginx', true],
    ['proc.name = toupper(proc.name)', false],
    ['tolower(proc.name) = tolower(proc.name)', true],
    ['fd.name contains val(fd.name)', true],
    ['proc.name = val(fd.name)', false],
  ] as [string, boolean][])('%s → %s', (cond, expected) => {
    expect(run(cond, ev)).toBe(expected);
  });
  it('b64 decodes base64', () => {
    expect(run('b64(proc.name) = hello', { name: 'aGVsbG8=' })).toBe(true);
  });
});

describe('compile: glob, pmatch and regex semantics', () => {
  it('glob * crosses / (no FNM_PATHNAME)', () => {
    expect(run('fd.name glob /etc/*', { path: '/etc/ssh/sshd_config' })).toBe(true);
    expect(run('fd.name glob "/etc/\\\\*"', { path: '/etc/*' })).toBe(true);
    expect(run('fd.name glob "/etc/\\\\*"', { path: '/etc/x' })).toBe(false);
  });
  it('glob does not blow up on many stars', () => {
    const start = Date.now();
    expect(run(`proc.name glob ${'*a'.repeat(30)}b`, { name: 'a'.repeat(5000) })).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });
  it('iglob and icontains fold ASCII case, classes included', () => {
    expect(run('proc.name iglob "[N]GI?X"', { name: 'nginx' })).toBe(true);
    expect(run('proc.name iglob "[a-m]*"', { name: 'Nginx' })).toBe(false);
    expect(run('proc.name iglob "[a-n]*"', { name: 'Nginx' })).toBe(true);
    expect(run('proc.name icontains GiN', { name: 'xNgINx' })).toBe(true);
    expect(run('proc.name icontains GiNz', { name: 'xNgINx' })).toBe(false);
    expect(run('proc.name icontains ""', { name: 'x' })).toBe(true);
  });
  it('pmatch matches whole path components', () => {
    expect(run('fd.name pmatch (/var/lib)', { path: '/var/lib' })).toBe(true);
    expect(run('fd.name pmatch (/var/lib)', { path: '/var/library' })).toBe(false);
    expect(run('fd.name pmatch (/)', { path: '/anything' })).toBe(true);
  });
  it('regex is an anchored full match with RE2 semantics', () => {
    expect(run("proc.name regex 'b'", { name: 'abc' })).toBe(false);
    expect(run("proc.name regex '.*b.*'", { name: 'abc' })).toBe(true);
    expect(run("proc.name regex '(a|ab)(c|bcd)(d*)'", { name: 'abcd' })).toBe(true);
    // RE2 has no backreferences: rejected at compile time, as in libsinsp.
    expect(() => compileCondition("proc.name regex '(a)\\\\1'", registry)).toThrow(FilterCompileError);
    // No catastrophic backtracking.
    const start = Date.now();
    expect(run("proc.name regex '(a+)+$'", { name: `${'a'.repeat(40)}!` })).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('compile: errors', () => {
  const fails = (cond: string, code: string, reason?: string): void => {
    let error: unknown;
    try {
      compileCondition(cond, registry);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterCompileError);
    expect((error as FilterCompileError).code).toBe(code);
    if (reason) expect((error as FilterCompileError).reason).toBe(reason);
  };
  it('unknown field', () => fails('proc.nme = x', 'FILTER_UNKNOWN_FIELD', 'filter_check called with nonexistent field proc.nme'));
  it('operator not allowed for the type', () => {
    fails('proc.pid contains 1', 'FILTER_OPERATOR', "operator 'contains' not supported on field type int64");
    fails('evt.is_io < 1', 'FILTER_OPERATOR');
    fails('evt.buffer glob x', 'FILTER_OPERATOR');
    fails('fd.ip contains 1', 'FILTER_OPERATOR');
    fails('proc.name bcontains 00', 'FILTER_OPERATOR');
    fails('evt.type contains x', 'FILTER_OPERATOR', "operator 'contains' is not supported by field evt.type");
  });
  it('values that do not parse as the field type', () => {
    fails('proc.pid = abc', 'FILTER_VALUE');
    fails('proc.pid = 1.0', 'FILTER_VALUE');
    fails('evt.is_io = yes', 'FILTER_VALUE');
    fails('fd.ip = 300.1.1.1', 'FILTER_VALUE');
    fails('fd.ip = 10.0.0.0/33', 'FILTER_VALUE');
    fails('evt.buffer bcontains 0g', 'FILTER_VALUE');
    fails('evt.buffer bcontains 123', 'FILTER_VALUE');
    fails("proc.name regex '('", 'FILTER_VALUE');
  });
  it('field arguments', () => {
    fails('proc.env = x', 'FILTER_FIELD_ARG');
    fails('proc.name[1] = x', 'FILTER_FIELD_ARG');
    fails('proc.aname[x] = y', 'FILTER_FIELD_ARG');
  });
  it('transformer misuse', () => {
    fails('tolower(proc.pid) = 1', 'FILTER_TRANSFORMER');
    fails('getopt(proc.cmdline, "t:") = x', 'FILTER_TRANSFORMER');
  });
  it('an unexpanded macro', () => fails('some_macro and proc.name = x', 'FILTER_UNRESOLVED', "Undefined macro 'some_macro' used in filter."));
  it('errors carry the position and a code frame', () => {
    try {
      compileCondition('proc.name = x and\n  proc.nme = y', registry);
      throw new Error('unreachable');
    } catch (e) {
      const err = e as FilterCompileError;
      expect(err.position).toEqual({ offset: 20, line: 2, column: 3 });
      expect(err.message).toBe(
        '2:3: filter_check called with nonexistent field proc.nme\n' +
          '  1 | proc.name = x and\n' +
          '> 2 |   proc.nme = y\n' +
          '    |   ^',
      );
    }
  });
  it('syntax errors surface as FilterSyntaxError', () => {
    expect(() => compileCondition('proc.name = ', registry)).toThrow(FilterSyntaxError);
  });
});

describe('compile: warnings', () => {
  const warnings = (cond: string): string[] => compileCondition(cond, registry).warnings.map((w) => w.code);
  it('a bare value that names a field', () => {
    expect(warnings('proc.name = fd.name')).toEqual(['FIELD_NAME_AS_VALUE']);
    expect(warnings("proc.name = 'tolower(fd.name)'")).toEqual(['FIELD_NAME_AS_VALUE']);
    expect(warnings('proc.name = tolower(fd.name)')).toEqual([]);
    expect(warnings('proc.name = val(fd.name)')).toEqual([]);
    expect(warnings('proc.name = not.a.field')).toEqual([]);
  });
  it('words them as Falco does, ignoring surrounding blanks', () => {
    const messages = (cond: string): string[] => compileCondition(cond, registry).warnings.map((w) => w.message);
    expect(messages('proc.name = fd.name')).toEqual(["'fd.name' may be a valid field misused as a const string value"]);
    expect(messages('proc.name = "fd.name "')).toEqual(["'fd.name ' may be a valid field misused as a const string value"]);
    expect(messages('proc.name = "toupper( fd.name)"')).toEqual([
      "'toupper( fd.name)' may be a valid field transformer misused as a const string value",
    ]);
  });
  it.each([
    ['syscall', 1], ['^syscall$', 1], ['.*syscall.*', 1], ['.+syscall', 1], ['syscall.?', 1],
    ['syscall.{1}', 0], ['syscall\\\\.*', 0], ['s.*l', 0], ['syscal[l]?', 0],
  ] as [string, number][])('regex %s gives %d warning(s)', (pattern, n) => {
    expect(warnings(`proc.name regex '${pattern}'`).length).toBe(n);
  });
});

describe('compile: field-to-field comparisons and field flags', () => {
  const flagged = new MapFieldRegistry<TestEvent>([
    { name: 'syscall.type', type: 'charbuf', extract: (e) => e.name },
    { name: 'evt.is_wait', type: 'bool', extract: (e) => e.ok },
    { name: 'evt.around', type: 'uint64', noRhs: true, arg: { kind: 'required', form: 'index' }, extract: () => undefined },
    { name: 'evt.buflen.in', type: 'uint64', extract: () => 1 },
    { name: 'evt.rawarg.res', type: 'int64', noTransformer: true, extract: () => -1 },
  ]);
  const fails = (cond: string): void => {
    expect(() => compileCondition(cond, flagged)).toThrow(FilterCompileError);
  };
  it('rejects comparing fields of different types', () => fails('syscall.type = val(evt.is_wait)'));
  it('rejects val() on a field that refuses it, on either side', () => {
    fails('evt.buflen.in = val(evt.around[1404996934793590564])');
    fails('evt.around[1404996934793590564] = val(evt.buflen.in)');
  });
  it('rejects transformers on a field that refuses them', () => {
    fails('toupper(evt.rawarg.res) = -1');
    fails('len(evt.rawarg.res) = 1');
  });
  it('accepts same-class comparisons', () => {
    expect(compileCondition('syscall.type = val(syscall.type)', flagged).predicate({ name: 'x' })).toBe(true);
    expect(compileCondition('syscall.type = syscall.type', flagged).predicate({ name: 'x' })).toBe(false);
  });
  it('custom checks still get their values type-checked', () => {
    const custom = new MapFieldRegistry<TestEvent>([
      { name: 'c.buffer', type: 'bytebuf', extract: () => undefined, customCheck: () => () => false },
    ]);
    expect(() => compileCondition('c.buffer bcontains 12ab001fc5', custom)).not.toThrow();
    for (const bad of ['g', '123Z', 'abc_1']) {
      expect(() => compileCondition(`c.buffer bstartswith ${bad}`, custom)).toThrow(FilterCompileError);
    }
  });
});
