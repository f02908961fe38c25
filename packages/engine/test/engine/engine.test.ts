import { Engine } from '../../src/engine';
import { formatJson } from '@falco-ts/alert';
import { testSource, type TestEvent } from '../test-source';

const RULES = `
- macro: opening
  condition: evt.type in (open, openat)
- rule: open by cat
  desc: d
  condition: opening and proc.name = cat
  output: cat opened %fd.name (pid=%proc.pid)
  priority: WARNING
  tags: [file, cat]
- rule: any open
  desc: d
  condition: opening
  output: open %fd.name
  priority: DEBUG
- rule: exec
  desc: d
  condition: evt.type = execve
  output: exec %proc.name
  priority: NOTICE
  enabled: false
`;

function engine(): Engine {
  const e = new Engine([testSource() as never]);
  const res = e.loadRules(RULES, 'rules.yaml');
  expect(res.errors).toEqual([]);
  return e;
}

const catOpen: TestEvent = { type: 'open', time: 1_000_000_000n, values: { 'proc.name': 'cat', 'fd.name': '/etc/passwd', 'proc.pid': 7n } };

describe('Engine.processEvent', () => {
  it('returns the first matching rule by default, all of them with matching=all', () => {
    const e = engine();
    expect(e.processEvent('syscall', catOpen).map((r) => r.name)).toEqual(['open by cat']);
    expect(e.processEvent('syscall', catOpen, { matching: 'all' }).map((r) => r.name)).toEqual(['open by cat', 'any open']);
  });

  it('only evaluates rules indexed under the event type', () => {
    const e = engine();
    expect(e.processEvent('syscall', { ...catOpen, type: 'close' })).toEqual([]);
  });

  it('honours disabled rules, rulesets and the minimum priority', () => {
    const e = engine();
    const exec: TestEvent = { type: 'execve', values: { 'proc.name': 'sh' } };
    expect(e.processEvent('syscall', exec)).toEqual([]);
    e.enableRuleExact('exec', true);
    expect(e.processEvent('syscall', exec).map((r) => r.name)).toEqual(['exec']);
    e.enableRuleByTag(['cat'], true, 'cats');
    expect(e.processEvent('syscall', catOpen, { ruleset: 'cats', matching: 'all' }).map((r) => r.name)).toEqual(['open by cat']);
    e.setMinPriority(4);
    expect(e.processEvent('syscall', { ...catOpen, values: { 'proc.name': 'ls' } })).toEqual([]);
    expect(e.enabledRuleCount()).toBe(3);
  });

  it('builds the alert', () => {
    const e = engine();
    const [rule] = e.processEvent('syscall', catOpen);
    const alert = e.alert(rule!, catOpen, 'h');
    expect(formatJson(alert, { utcOffsetMinutes: 0 })).toBe(
      '{"hostname":"h","output":"00:00:01.000000000: Warning cat opened /etc/passwd (pid=7)",' +
        '"output_fields":{"evt.time":1000000000,"fd.name":"/etc/passwd","proc.pid":7},"priority":"Warning","rule":"open by cat",' +
        '"source":"syscall","tags":["cat","file"],"time":"1970-01-01T00:00:01.000000000Z"}',
    );
  });

  it('appends extra outputs and extra fields to matching rules', () => {
    const e = new Engine([testSource() as never]);
    e.addExtraOutput('user=%user.name', '', ['cat']);
    e.addExtraOutputField('who', '%proc.name!', 'syscall');
    e.loadRules(RULES, 'rules.yaml');
    expect(e.rule('open by cat')!.output).toBe('cat opened %fd.name (pid=%proc.pid) user=%user.name');
    expect(e.rule('any open')!.output).toBe('open %fd.name');
    const alert = e.alert(e.rule('any open')!, catOpen, 'h');
    expect(alert.outputFields['who']).toBe('cat!');
  });

  it('rejects unknown sources', () => {
    expect(() => engine().processEvent('k8s_audit', {})).toThrow('Unknown event source k8s_audit');
  });
});
