/**
 * Table-driven loader tests: each case is a rules file and what loading it must give (Falco's
 * codes and messages, positions, compiled conditions and outputs).
 */
import { Engine } from '../../src/engine';
import type { LoadResult } from '../../src/loader/result';
import { testSource } from '../test-source';

export interface ExpectedDiagnostic {
  code: string;
  message: string;
  /** 0-based, as Falco reports them. */
  line?: number;
  column?: number;
  itemType?: string;
  itemName?: string;
}

export interface LoaderCase {
  yaml: string;
  ok?: boolean;
  errors?: ExpectedDiagnostic[];
  warnings?: ExpectedDiagnostic[];
  /** Warning codes that must not appear. */
  noWarnings?: string[];
  compiled?: Record<string, string>;
  outputs?: Record<string, string>;
}

export function load(yaml: string, name = 'rules.yaml'): { engine: Engine; result: LoadResult } {
  const engine = new Engine([testSource() as never]);
  const result = engine.loadRules(yaml, name);
  return { engine, result };
}

function check(actual: LoadResult['errors'] | LoadResult['warnings'], expected: ExpectedDiagnostic[]): void {
  for (const want of expected) {
    const found = actual.find((d) => d.code === want.code && d.message.includes(want.message));
    expect({ found: !!found, want, have: actual.map((d) => `${d.code}: ${d.message}`) }).toMatchObject({ found: true });
    const last = found!.context.last;
    if (want.line !== undefined) expect(last.position.line).toBe(want.line);
    if (want.column !== undefined) expect(last.position.column).toBe(want.column);
    if (want.itemType !== undefined) expect(found!.context.locations.some((l) => l.itemType === want.itemType)).toBe(true);
    if (want.itemName !== undefined) expect(found!.context.locations.some((l) => l.itemName === want.itemName)).toBe(true);
  }
}

export function run(title: string, cases: Record<string, LoaderCase>): void {
  describe(title, () => {
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const { engine, result } = load(c.yaml);
        if (c.ok !== undefined) expect({ ok: result.successful, errors: result.errors.map((e) => e.message) }).toMatchObject({ ok: c.ok });
        check(result.errors, c.errors ?? []);
        check(result.warnings, c.warnings ?? []);
        for (const code of c.noWarnings ?? []) expect(result.warnings.map((w) => w.code)).not.toContain(code);
        if (c.compiled) {
          const rules = engine.describe().rules;
          for (const [rule, cond] of Object.entries(c.compiled)) {
            expect(rules.find((r) => r.info.name === rule)?.details.condition_compiled).toBe(cond);
          }
        }
        for (const [rule, out] of Object.entries(c.outputs ?? {})) expect(engine.rule(rule)?.output).toBe(out);
      });
    }
  });
}
