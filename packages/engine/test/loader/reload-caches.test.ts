/**
 * Every load recompiles all files so far, reusing parsed conditions, macro expansions and
 * compiled conditions from earlier loads. A later file that changes a macro must still change
 * every rule using it, including rules of earlier files and macros using that macro.
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
});
