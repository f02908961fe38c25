/**
 * The YAML examples of docs/rules.md load, on top of the default rules, with zero errors and
 * warnings in the real engine, one after the other as a user would add them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Engine, SyscallSource } from '@falco-ts/engine';
import { RULES_FILE } from './support/rules-harness';

const DOC = path.resolve(__dirname, '../../../docs/rules.md');

describe('docs/rules.md examples', () => {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it('load in order on top of the default rules without errors or warnings', () => {
    const engine = new Engine();
    engine.addSource(new SyscallSource());
    const base = engine.loadRules(readFileSync(RULES_FILE, 'utf8'), 'falco_rules.yaml');
    expect(base.errors).toEqual([]);
    // The examples build on each other (a macro, then the rule using it), so they load as one file.
    const r = engine.loadRules(blocks.join('\n'), 'docs-examples.yaml');
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([]);
    expect(engine.rule('Archive of home directories')).toBeDefined();
    expect(engine.rule('Unexpected process in payments workload')).toBeDefined();
    expect(engine.isRuleEnabled('System binary outbound connection')).toBe(false);
  });
});
