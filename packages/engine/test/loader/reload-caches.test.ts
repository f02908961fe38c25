/**
 * Every load recompiles all files so far, reusing parsed conditions, macro expansions and
 * compiled conditions from earlier loads. A later file that changes a macro must still change
 * every rule using it, including rules of earlier files and macros using that macro; and every
 * load reports the warnings of all rules so far, cached or not.
 */
import { print } from '@falco-ts/filter-lang';
import { Engine } from '../../src/engine';
import { SyscallSource } from '../../src/syscall/source';

const FIRST = `
- macro: inner
  condition: proc.name = a
- macro: outer
  condition: inner and evt.type = open
- rule: r1
  desc: d
  condition: outer
  output: x
  priority: INFO
- rule: r2
  desc: d
  condition: evt.type = close and proc.name = z
  output: x
  priority: INFO
`;

function newEngine(): Engine {
  const engine = new Engine();
  engine.addSource(new SyscallSource({ hostname: 'test' }));
  return engine;
}

function conditions(engine: Engine): Record<string, string> {
  return Object.fromEntries(engine.rules().map((r) => [r.name, print(r.ast)]));
}

describe('loading several files', () => {
  it('reuses unchanged rules and recompiles the ones whose macros changed', () => {
    const engine = newEngine();
    expect(engine.loadRules(FIRST, 'first.yaml').successful).toBe(true);
    const before = engine.rules();
    expect(conditions(engine)).toEqual({ r1: '(proc.name = a and evt.type = open)', r2: '(evt.type = close and proc.name = z)' });

    const second = `- macro: inner\n  condition: proc.name = b\n`;
    expect(engine.loadRules(second, 'second.yaml').successful).toBe(true);
    expect(conditions(engine)).toEqual({ r1: '(proc.name = b and evt.type = open)', r2: '(evt.type = close and proc.name = z)' });
    const after = engine.rules();
    // The unchanged rule keeps its compiled predicate; the changed one gets a new one.
    expect(after[1]!.predicate).toBe(before[1]!.predicate);
    expect(after[0]!.predicate).not.toBe(before[0]!.predicate);
  });

  it('gives the same rules as loading everything into a fresh engine', () => {
    const appended = `- macro: outer\n  condition: or evt.type = connect\n  override:\n    condition: append\n`;
    const incremental = newEngine();
    incremental.loadRules(FIRST, 'first.yaml');
    incremental.loadRules(appended, 'second.yaml');
    const fresh = newEngine();
    fresh.loadRules(FIRST + appended, 'all.yaml');
    expect(conditions(incremental)).toEqual(conditions(fresh));
    expect(conditions(incremental)['r1']).toBe('((proc.name = a and evt.type = open) or evt.type = connect)');
  });

  it('reports an undefined macro even when the rule compiled before', () => {
    const engine = newEngine();
    engine.loadRules(`- macro: m\n  condition: proc.name = a\n- rule: r\n  desc: d\n  condition: m\n  output: x\n  priority: INFO\n`, 'a.yaml');
    engine.clear();
    const result = engine.loadRules(`- rule: r\n  desc: d\n  condition: m\n  output: x\n  priority: INFO\n`, 'b.yaml');
    expect(result.successful).toBe(false);
    expect(result.errors[0]!.message).toBe("Undefined macro 'm' used in filter.");
  });

  it('reports the condition warnings of earlier rules again on every load, at the same positions', () => {
    const rules = `- rule: na
  desc: d
  condition: evt.type = open and proc.name = <NA> and fd.name = proc.name
  output: x %proc.name
  priority: INFO
`;
    const engine = newEngine();
    const first = engine.loadRules(rules, 'first.yaml').toJSON();
    const second = engine.loadRules(`- list: unrelated\n  items: [a]\n`, 'second.yaml').toJSON();
    expect(first.warnings.map((w) => w.code)).toEqual(['LOAD_UNSAFE_NA_CHECK', 'LOAD_COMPILE_CONDITION']);
    expect(second.warnings.filter((w) => w.code !== 'LOAD_UNUSED_LIST')).toEqual(first.warnings);
    expect(second.warnings.map((w) => w.code)).toContain('LOAD_UNUSED_LIST');
  });

  it('substitutes a list that a later file defines into a condition of an earlier file, and lists named by list items', () => {
    const engine = newEngine();
    const first = `- list: shells
  items: [bash, more_shells]
- rule: r
  desc: d
  condition: evt.type = execve and proc.name in (shells)
  output: x
  priority: INFO
`;
    engine.loadRules(first, 'first.yaml');
    expect(conditions(engine)['r']).toBe('(evt.type = execve and proc.name in (bash, more_shells))');
    const second = `- list: more_shells
  items: [zsh, fish]
`;
    const result = engine.loadRules(second, 'second.yaml');
    expect(result.successful).toBe(true);
    // Lists are substituted in definition order: more_shells comes after shells, so the name that
    // shells brought in is replaced too.
    expect(conditions(engine)['r']).toBe('(evt.type = execve and proc.name in (bash, zsh, fish))');
    expect(result.warnings.map((w) => w.code)).not.toContain('LOAD_UNUSED_LIST');
  });

  it('shares a compiled output format between rules and loads with the same output', () => {
    const engine = newEngine();
    const rule = (name: string) => `- rule: ${name}
  desc: d
  condition: evt.type = open
  output: opened %fd.name by %proc.name
  priority: INFO
`;
    engine.loadRules(rule('a') + rule('b'), 'first.yaml');
    const [a, b] = engine.rules();
    expect(a!.format).toBe(b!.format);
    engine.loadRules(rule('c'), 'second.yaml');
    expect(engine.rules()[0]!.format).toBe(a!.format);
    expect(engine.rules()[2]!.format.fieldNames).toEqual(['fd.name', 'proc.name']);
  });

  it('substitutes a list whose name contains a delimiter (only warned about), as the scan always did', () => {
    const engine = newEngine();
    const rules = `- list: test list\n  items: [open, openat]\n- rule: r\n  desc: d\n  condition: evt.type in (test list)\n  output: x\n  priority: INFO\n`;
    const result = engine.loadRules(rules, 'first.yaml');
    expect(result.successful).toBe(true);
    expect(conditions(engine)['r']).toBe('evt.type in (open, openat)');
  });
});
