import { RulesLoadError, decodeEvent, expandTemplate, eventVariables, loadRules, respond, valueText } from '@falco-ts/response';

const load = (...contents: string[]) => loadRules(contents.map((content, i) => ({ name: `f${i}.yaml`, content })));

function loadError(...contents: string[]): RulesLoadError {
  try {
    load(...contents);
  } catch (err) {
    if (err instanceof RulesLoadError) return err;
    throw err;
  }
  throw new Error('loaded');
}

const event = (over: Record<string, unknown> = {}) =>
  decodeEvent(JSON.stringify({ rule: 'Shell', priority: 'Warning', output: 'x', time: '2024-05-01T10:00:00Z', output_fields: { 'k8s.ns.name': 'default', 'proc.pid': 42 }, ...over }));

describe('loading', () => {
  it('names the file and line of a YAML syntax error', () => {
    const err = loadError('- rule: R\n  match: [\n');
    expect(err.problems[0]!.message).toMatch(/^wrong syntax for the rule file 'f0\.yaml': yaml: line \d+: /);
  });

  it('reports a list where text is expected as Go YAML does', () => {
    const err = loadError('- rule: R\n  continue: [a]\n  actions:\n    - action: L\n      actionner: kubernetes:label\n');
    expect(err.message).toContain('line 2: cannot unmarshal !!seq into string');
  });

  it('keeps the written form of a scalar, so `True` is not a boolean for continue', () => {
    const err = loadError('- rule: R\n  continue: True\n  actions:\n    - action: L\n      actionner: kubernetes:label\n');
    expect(err.problems.map((p) => p.message)).toEqual(["'continue' setting can be 'true' or 'false' only"]);
    expect(err.problems[0]).toMatchObject({ rule: 'R', file: 'f0.yaml', line: 1 });
  });

  it('reports every rule problem, then catalogue problems only when rules are well formed', () => {
    const err = loadError('- rule: R\n  match:\n    priority: Severe\n    tags: [a-b]\n  actions:\n    - action: X\n      actionner: nope\n');
    expect(err.problems.map((p) => p.message)).toEqual(['incorrect actionner', "incorrect priority 'Severe'", "incorrect tag 'a-b'"]);
    expect(loadError('- rule: R\n  actions:\n    - action: X\n      actionner: kubernetes:nope\n').shortMessage).toBe('unknown actionner');
  });

  it('merges a block redefined in a later file and resolves the rule action from it', () => {
    const loaded = load(
      '- action: Kill\n  actionner: container:kill\n  parameters:\n    signal: TERM\n',
      '- action: Kill\n  parameters:\n    signal: KILL\n- rule: R\n  actions:\n    - action: Kill\n',
    );
    expect(loaded.rules[0]!.actions[0]).toMatchObject({ actionner: 'container:kill', parameters: { signal: 'KILL' }, continues: true });
  });
});

describe('walking', () => {
  const rules = load(
    [
      '- rule: First',
      '  continue: false',
      '  match: { rules: [Shell], priority: ">=Warning", output_fields: ["k8s.ns.name!=kube-system"] }',
      '  actions:',
      '    - action: Pause',
      '      actionner: container:pause',
      '    - action: Terminate',
      '      actionner: kubernetes:terminate',
      '    - action: Never',
      '      actionner: kubernetes:label',
      '- rule: Second',
      '  actions:',
      '    - action: Label',
      '      actionner: kubernetes:label',
    ].join('\n'),
  ).rules;

  it('stops the action list at a non-continuing actionner and the walk at continue: false', async () => {
    const ran: string[] = [];
    const d = await respond(rules, event(), async (_r, a) => {
      ran.push(a.name);
      return { status: 'success' };
    });
    expect(d.matched.map((r) => r.name)).toEqual(['First', 'Second']);
    expect(d.triggered.map((r) => r.name)).toEqual(['First']);
    expect(ran).toEqual(['Pause', 'Terminate']);
  });

  it('does not match a protected namespace or a lower priority', async () => {
    expect((await respond(rules, event({ output_fields: { 'k8s.ns.name': 'kube-system' } }), async () => ({ status: 'success' }))).matched.map((r) => r.name)).toEqual(['Second']);
    expect((await respond(rules, event({ priority: 'Notice' }), async () => ({ status: 'success' }))).matched.map((r) => r.name)).toEqual(['Second']);
  });
});

describe('events and templates', () => {
  it('decodes keys case-insensitively and defaults the source', () => {
    const e = decodeEvent('{"Rule":"R","PRIORITY":"Error","output_fields":{"a.b":1}}');
    expect(e).toMatchObject({ rule: 'R', priority: 'Error', source: 'syscall' });
  });

  it('rejects a wrongly typed key with its name', () => {
    expect(() => decodeEvent('{"rule": 5}')).toThrow("'rule' must be a string");
    expect(() => decodeEvent('[1]')).toThrow('not a JSON object');
  });

  it("prints values as Go's %v and expands ${VAR} from the event only", () => {
    expect(valueText(null)).toBe('<nil>');
    expect(valueText(['a', 1])).toBe('[a 1]');
    const vars = eventVariables(event({ output_fields: { 'proc.aname[2]': 'bash', 'fd.name': '/etc/shadow' } }));
    expect(expandTemplate('cat ${FD_NAME} $PROC_ANAME_2 ${HOME}', vars)).toBe('cat /etc/shadow bash ');
  });
});
