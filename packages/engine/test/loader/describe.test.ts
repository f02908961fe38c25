import { load } from './rule-tester';

const RULES = `
- required_engine_version: 0.11.0
- required_plugin_versions:
  - name: json
    version: 0.1.0
- list: cat_binaries
  items: [cat]
- list: cat_capable_binaries
  items: [cat_binaries]
- macro: is_cat
  condition: proc.name in (cat_capable_binaries)
- rule: open_from_cat
  desc: A process named cat does an open
  condition: evt.type=open and is_cat
  output: "An open was seen (command=%proc.cmdline)"
  priority: WARNING
- rule: open_from_cat
  condition: and proc.args = "test"
  override:
    condition: append
`;

describe('describe (falco -L JSON)', () => {
  const { engine, result } = load(RULES);
  const d = engine.describe([{ name: 'json', fields: ['proc.args'] }]);

  it('loads', () => expect(result.errors).toEqual([]));

  it('lists required versions', () => {
    expect(d.required_engine_version).toBe('0.11.0');
    expect(d.required_plugin_versions).toEqual([{ alternatives: [], name: 'json', version: '0.1.0' }]);
  });

  it('describes lists with resolved list references', () => {
    expect(d.lists).toEqual([
      { details: { items_compiled: ['cat'], lists: [], plugins: [], used: true }, info: { items: ['cat'], name: 'cat_binaries' } },
      {
        details: { items_compiled: ['cat'], lists: ['cat_binaries'], plugins: [], used: true },
        info: { items: [], name: 'cat_capable_binaries' },
      },
    ]);
  });

  it('describes macros', () => {
    expect(d.macros[0]).toMatchObject({
      info: { name: 'is_cat', condition: 'proc.name in (cat_capable_binaries)' },
      details: {
        used: true,
        macros: [],
        lists: ['cat_capable_binaries'],
        condition_operators: ['in'],
        condition_fields: ['proc.name'],
        condition_compiled: 'proc.name in (cat)',
        plugins: [],
      },
    });
    expect(d.macros[0]!.details.events.length).toBeGreaterThan(0);
  });

  it('describes rules with their compiled condition, fields, events and plugins', () => {
    const r = d.rules[0]!;
    expect(r.info).toEqual({
      capture: false,
      capture_duration: 0,
      condition: 'evt.type=open and is_cat and proc.args = "test"',
      description: 'A process named cat does an open',
      enabled: true,
      name: 'open_from_cat',
      output: 'An open was seen (command=%proc.cmdline)',
      priority: 'Warning',
      source: 'syscall',
      tags: [],
    });
    expect(r.details).toMatchObject({
      condition_compiled: '(evt.type = open and proc.name in (cat) and proc.args = test)',
      condition_fields: ['evt.type', 'proc.args', 'proc.name'],
      condition_operators: ['=', 'in'],
      events: ['asyncevent', 'open'],
      macros: ['is_cat'],
      lists: [],
      output_fields: ['proc.cmdline'],
      output_compiled: 'An open was seen (command=%proc.cmdline)',
      plugins: ['json'],
      exception_fields: [],
      exception_names: [],
      exception_operators: [],
    });
    expect(Object.keys(r.details)).toEqual([...Object.keys(r.details)].sort());
  });
});
