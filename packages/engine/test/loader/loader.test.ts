import { run, load } from './rule-tester';

const rule = (name: string, condition: string, extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: out %proc.name\n  priority: INFO\n${extra}`;

run('lists', {
  'are substituted textually and nested lists expand': {
    yaml: `- list: a\n  items: [x, "y z"]\n- list: b\n  items: [a, w]\n${rule('r', 'evt.type = open and proc.name in (b)')}`,
    ok: true,
    compiled: { r: '(evt.type = open and proc.name in (x, "y z", w))' },
  },
  'an empty list leaves no dangling comma': {
    yaml: `- list: empty\n  items: []\n${rule('r', 'evt.type = open and proc.name in (sh, empty)')}`,
    compiled: { r: '(evt.type = open and proc.name in (sh))' },
  },
  'replace the name even where it is meant as a value (Falco quirk)': {
    yaml: `- list: cat\n  items: [dog]\n${rule('r', 'evt.type = open and proc.name = cat')}`,
    compiled: { r: '(evt.type = open and proc.name = dog)' },
  },
  'append with override and the unused-list warning': {
    yaml: `- list: l\n  items: [a]\n- list: l\n  items: [b]\n  override:\n    items: append\n- list: unused\n  items: [z]\n${rule('r', 'evt.type = open and proc.name in (l)')}`,
    compiled: { r: '(evt.type = open and proc.name in (a, b))' },
    warnings: [{ code: 'LOAD_UNUSED_LIST', message: 'List not referred to by any other rule/macro', line: 6, column: 2, itemName: 'unused' }],
  },
  'append to a missing list is an error': {
    yaml: `- list: l\n  items: [a]\n  append: true\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: "List uses 'append' or 'override.items: append' but no list by that name already exists" }],
    warnings: [{ code: 'LOAD_DEPRECATED_ITEM', message: "'append' key is deprecated" }],
  },
  'invalid list names warn': {
    yaml: `- list: "bad name"\n  items: [a]\n`,
    warnings: [{ code: 'LOAD_INVALID_LIST_NAME', message: 'List has an invalid name' }],
  },
});

run('macros', {
  'are substituted on the AST': {
    yaml: `- macro: m\n  condition: proc.name = a or proc.name = b\n${rule('r', 'evt.type = open and m')}`,
    compiled: { r: '(evt.type = open and (proc.name = a or proc.name = b))' },
  },
  'only see macros defined before them': {
    yaml: `- macro: first\n  condition: second\n- macro: second\n  condition: proc.name = a\n${rule('r', 'first')}`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: "Undefined macro 'second' used in filter.", itemName: 'first' }],
  },
  'undefined macros in rules point into the condition': {
    yaml: rule('r', 'evt.type = open and nope'),
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: "Undefined macro 'nope' used in filter.", itemType: 'condition expression' }],
  },
  'unused macros warn': {
    yaml: `- macro: m\n  condition: proc.name = a\n${rule('r', 'evt.type = open')}`,
    warnings: [{ code: 'LOAD_UNUSED_MACRO', message: 'Macro not referred to by any other rule/macro', itemName: 'm' }],
  },
  'condition append keeps the first definition position': {
    yaml: `- macro: m\n  condition: proc.name = a\n${rule('r', 'evt.type = open and m')}- macro: m\n  condition: or proc.name = b\n  override:\n    condition: append\n`,
    compiled: { r: '(evt.type = open and (proc.name = a or proc.name = b))' },
  },
  'syntax errors are compile-condition errors': {
    yaml: `- macro: m\n  condition: proc.name = = a\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_COMPILE_CONDITION', message: '', itemType: 'condition expression' }],
  },
});

run('rules', {
  'missing output is a YAML validation error': {
    yaml: `- rule: r\n  desc: d\n  condition: evt.type = open\n  priority: INFO\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_YAML_VALIDATE', message: "Item has no mapping for key 'output'", itemType: 'rule', itemName: 'r', line: 0, column: 2 }],
  },
  'priorities accept every spelling': {
    yaml: ['EMERGENCY', 'alert', 'Critical', 'error', 'warning', 'NOTICE', 'info', 'informational', 'Debug']
      .map((p, i) => `- rule: r${i}\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: ${p}\n`)
      .join(''),
    ok: true,
  },
  'a bad priority points at the value': {
    yaml: `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: LOUD\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_YAML_VALIDATE', message: 'Invalid priority', itemType: 'rule priority', line: 4, column: 12 }],
  },
  'unknown keys warn with the key position': {
    yaml: `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  typo: 1\n`,
    warnings: [{ code: 'LOAD_UNKNOWN_KEY', message: "Unknown key 'typo'", line: 5, column: 2 }],
  },
  'broad conditions warn, narrow and never-true ones do not': {
    yaml: rule('broad', 'proc.name = a') + rule('narrow', 'evt.type in (open, close)') + rule('never', 'evt.num = 0'),
    warnings: [{ code: 'LOAD_NO_EVTTYPE', message: 'Rule matches too many evt.type values', itemName: 'broad' }],
  },
  'unknown fields are errors unless skip-if-unknown-filter': {
    yaml: rule('r', 'evt.type = open and proc.nobody = 1', '  skip-if-unknown-filter: true\n'),
    ok: true,
    warnings: [{ code: 'LOAD_UNKNOWN_FILTER', message: 'proc.nobody' }],
  },
  'unknown event types are errors': {
    yaml: rule('r', 'evt.type = nosuchevent'),
    ok: false,
    errors: [{ code: 'LOAD_ERR_COMPILE_CONDITION', message: 'unknown event type nosuchevent' }],
  },
  'output tokens must name fields': {
    yaml: `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: x=%proc.nobody\n  priority: INFO\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_COMPILE_OUTPUT', message: 'invalid formatting token proc.nobody', itemType: 'rule output' }],
  },
  'override append/replace of several keys': {
    yaml: rule('r', 'evt.type = open') + `- rule: r\n  condition: and proc.name = a\n  output: more\n  priority: ERROR\n  override:\n    condition: append\n    output: append\n    priority: replace\n`,
    compiled: { r: '(evt.type = open and proc.name = a)' },
    outputs: { r: 'out %proc.name more' },
  },
  'override of an undefined key is an error': {
    yaml: rule('r', 'evt.type = open') + `- rule: r\n  override:\n    enabled: replace\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_YAML_VALIDATE', message: "An replace override for 'enabled' was specified but 'enabled' is not defined" }],
  },
  'keys without an override entry are errors in an override item': {
    yaml: rule('r', 'evt.type = open') + `- rule: r\n  desc: x\n  condition: and proc.name = a\n  override:\n    condition: append\n`,
    ok: false,
    errors: [{ code: 'LOAD_ERR_YAML_VALIDATE', message: "Unexpected key 'desc': no corresponding entry under 'override' is defined." }],
  },
  'a rule redefined with another source is an error': {
    yaml: rule('r', 'evt.type = open') + rule('r', 'evt.type = open', '  source: other\n'),
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: 'Rule has been re-defined with a different source' }],
  },
  'rules of unknown sources are skipped with a warning': {
    yaml: rule('r', 'ka.verb = GET', '  source: k8s_audit\n'),
    ok: true,
    warnings: [{ code: 'LOAD_UNKNOWN_SOURCE', message: 'Unknown source k8s_audit, skipping' }],
  },
  'container.info is dropped from outputs with a deprecation warning': {
    yaml: `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: a (%container.info)\n  priority: INFO\n`,
    outputs: { r: 'a ()' },
    warnings: [{ code: 'LOAD_DEPRECATED_ITEM', message: '%container.info is deprecated' }],
  },
  'evt.dir in a condition is deprecated': {
    yaml: rule('r', 'evt.type = open and evt.dir = <'),
    warnings: [{ code: 'LOAD_DEPRECATED_ITEM', message: "'evt.dir = <' always evaluates to true" }],
  },
  '<NA> comparisons are unsafe': {
    yaml: rule('r', 'evt.type = open and proc.name != "<NA>"'),
    warnings: [{ code: 'LOAD_UNSAFE_NA_CHECK', message: 'Comparing a field value with <NA> is unsafe' }],
  },
});

run('exceptions', {
  'list form with comps and values': {
    yaml: rule(
      'r',
      'evt.type = open',
      '  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=, in]\n      values:\n        - [a, /tmp]\n        - [b c, [x, y]]\n',
    ),
    compiled: { r: '(evt.type = open and not ((proc.name = a and fd.name in (/tmp)) or (proc.name = "b c" and fd.name in (x, y))))' },
  },
  'scalar form defaults to in': {
    yaml: rule('r', 'evt.type = open or evt.type = close', '  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a, b]\n'),
    compiled: { r: '((evt.type = open or evt.type = close) and not proc.name in (a, b))' },
  },
  'comps must be operators': {
    yaml: rule('r', 'evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [like]\n      values: [[a]]\n'),
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: "'like' is not a supported comparison operator", itemType: 'exception', itemName: 'e' }],
  },
  'fields and values must have equal length': {
    yaml: rule('r', 'evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n'),
    ok: false,
    errors: [{ code: 'LOAD_ERR_VALIDATE', message: 'Fields and values lists must have equal length' }],
  },
  'appended values join the existing exception': {
    yaml:
      rule('r', 'evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[a]]\n') +
      `- rule: r\n  exceptions:\n    - name: e\n      values: [[b]]\n  override:\n    exceptions: append\n`,
    compiled: { r: '(evt.type = open and not (proc.name = a or proc.name = b))' },
  },
});

describe('YAML and schema', () => {
  it('reports a YAML syntax error with its position', () => {
    const { result } = load('- rule: r\n  desc: [unclosed\n');
    expect(result.successful).toBe(false);
    expect(result.errors[0]!.code).toBe('LOAD_ERR_YAML_PARSE');
    expect(result.errors[0]!.message).toMatch(/^yaml-cpp: error at line \d+, column \d+: /);
  });

  // falcosecurity/testing tests/falco/legacy_test.go TestFalco_Legacy_InvalidYamlParseError: yaml-cpp
  // fails on the `:` that starts a second map value on one line (ErrorMsg::MAP_VALUE).
  it.each([
    ['this : is : not : yaml', 'yaml-cpp: error at line 1, column 11: illegal map value'],
    ['a: b: c', 'yaml-cpp: error at line 1, column 5: illegal map value'],
  ])('words %j as yaml-cpp does', (content, message) => {
    const { result } = load(content);
    expect(result.errors[0]).toMatchObject({ code: 'LOAD_ERR_YAML_PARSE', message });
  });

  it('rejects content that is not a sequence of items', () => {
    const { result } = load('rule: r\n');
    expect(result.errors[0]).toMatchObject({ code: 'LOAD_ERR_YAML_VALIDATE', message: 'Rules content is not yaml array of objects' });
  });

  it('validates against the rules schema with weak scalar typing', () => {
    expect(load('- required_engine_version: 26\n').result.schemaValidation).toBe('ok');
    expect(load(rule('r', 'evt.type = open', '  capture: "yes"\n')).result.schemaValidation).toMatch(/^failed/);
  });

  it('checks the engine version', () => {
    expect(load('- required_engine_version: 0.10.0\n').result.successful).toBe(true);
    const { result } = load('- required_engine_version: 1.0.0\n');
    expect(result.errors[0]!.message).toBe('Rules require engine version 1.0.0, but engine version is 0.57.0');
    expect(load('- required_engine_version: seven\n').result.errors[0]!.message).toBe(
      'Unable to parse engine version \'seven\' as a semver string. Expected "x.y.z" semver format.',
    );
  });
});

describe('load result rendering', () => {
  it('prints the -V JSON shape with sorted keys, locations and a snippet', () => {
    const { result } = load(`- rule: r\n  desc: d\n  condition: evt.type = open\n  priority: INFO\n`, 'f.yaml');
    const json = result.toJSON();
    expect(Object.keys(json)).toEqual(['errors', 'name', 'successful', 'warnings']);
    const err = json.errors[0]!;
    expect(Object.keys(err)).toEqual(['code', 'codedesc', 'context', 'message']);
    expect(err).toMatchObject({
      code: 'LOAD_ERR_YAML_VALIDATE',
      codedesc: 'Error validating internal structure of YAML file',
      message: "Item has no mapping for key 'output'",
    });
    expect(err.context.locations).toEqual([
      { item_name: '', item_type: 'rules content', position: { column: 0, line: 0, name: 'f.yaml', offset: 0 } },
      { item_name: 'r', item_type: 'rule', position: { column: 2, line: 0, name: 'f.yaml', offset: 2 } },
    ]);
    expect(err.context.snippet).toBe('- rule: r\n  ^\n');
  });

  it('summarises like Falco', () => {
    const { result } = load(`- macro: m\n  condition: proc.name = a\n`, 'f.yaml');
    expect(result.summary()).toBe('f.yaml: Ok, with warnings\n 1 warnings: [LOAD_UNUSED_MACRO (Unused macro)]');
    expect(result.verbose()).toContain("In rules content: (f.yaml:0:0)\n    macro 'm': (f.yaml:0:2)\n------\n- macro: m\n  ^\n------\nLOAD_UNUSED_MACRO (Unused macro): Macro not referred to by any other rule/macro\n");
  });
});

describe('plugin requirements', () => {
  const yaml = `- required_plugin_versions:\n  - name: k8saudit\n    version: 0.5.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.2.0\n`;
  it('accepts a compatible plugin or alternative', () => {
    const { engine } = load(yaml);
    expect(engine.checkPluginRequirements([{ name: 'k8saudit', version: '0.6.1' }])).toEqual({ ok: true });
    expect(engine.checkPluginRequirements([{ name: 'k8saudit-eks', version: '0.2.0' }])).toEqual({ ok: true });
  });
  it('rejects missing, older and other-major plugins', () => {
    const { engine } = load(yaml);
    expect(engine.checkPluginRequirements([])).toEqual({
      ok: false,
      error: 'Plugin requirement not satisfied, must load one of: k8saudit (>= 0.5.0), k8saudit-eks (>= 0.2.0)',
    });
    expect(engine.checkPluginRequirements([{ name: 'k8saudit', version: '0.4.9' }]).ok).toBe(false);
    expect(engine.checkPluginRequirements([{ name: 'k8saudit', version: '1.5.0' }]).ok).toBe(false);
  });
});

const exceptionRule = (value: string, fields = '[proc.name]'): string =>
  `- rule: test_rule\n  desc: d\n  condition: evt.type = open\n  output: command=%proc.cmdline\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: [=]\n      values:\n        - [${value}]\n`;

run('exception values that look like fields', {
  'a bare field name warns': {
    yaml: exceptionRule('proc.pname'),
    compiled: { test_rule: '(evt.type = open and not proc.name = proc.pname)' },
    warnings: [{ code: 'LOAD_COMPILE_CONDITION', message: "'proc.pname' may be a valid field misused as a const string value" }],
  },
  'a YAML-quoted field name warns the same': {
    yaml: exceptionRule('"proc.pname"'),
    compiled: { test_rule: '(evt.type = open and not proc.name = proc.pname)' },
    warnings: [{ code: 'LOAD_COMPILE_CONDITION', message: "'proc.pname' may be a valid field misused as a const string value" }],
  },
  'a transformer call becomes a transformer': {
    yaml: exceptionRule('toupper(proc.pname)'),
    compiled: { test_rule: '(evt.type = open and not proc.name = toupper(proc.pname))' },
  },
  'a transformer call with a space stays a string and warns': {
    yaml: exceptionRule('toupper( proc.pname)'),
    compiled: { test_rule: '(evt.type = open and not proc.name = "toupper( proc.pname)")' },
    warnings: [{ code: 'LOAD_COMPILE_CONDITION', message: "'toupper( proc.pname)' may be a valid field transformer misused as a const string value" }],
  },
  'transformers in fields': {
    yaml: exceptionRule('test', '["tolower( proc.name)"]'),
    compiled: { test_rule: '(evt.type = open and not tolower(proc.name) = test)' },
    noWarnings: ['LOAD_COMPILE_CONDITION'],
  },
});

run('YAML aliases', {
  'read as the node they refer to': {
    yaml: `- list: shells\n  items: &sh [bash, sh]\n- list: copy\n  items: *sh\n${rule('r', 'evt.type = open and proc.name in (copy)')}`,
    ok: true,
    compiled: { r: '(evt.type = open and proc.name in (bash, sh))' },
  },
});
