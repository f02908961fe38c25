/**
 * falcosecurity/rules 1.0.1, 3.2.0, 5.0.0 and 5.1.0 (in the shared conformance data) load with
 * zero errors against the real syscall source (its fields and event types), and produce exactly these
 * warnings (by code, per file; every load recompiles what was loaded before, as Falco does, so
 * warnings of earlier files are reported again).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine';
import { SyscallSource } from '../../src/syscall/source';

const RULES = join(__dirname, '../../../../../shared/conformance/rules');

function load(files: string[]): { file: string; ok: boolean; errors: string[]; warnings: Record<string, number> }[] {
  const engine = new Engine([new SyscallSource() as never]);
  return files.map((file) => {
    const result = engine.loadRules(readFileSync(join(RULES, file), 'utf8'), file);
    const warnings: Record<string, number> = {};
    for (const w of result.warnings) warnings[w.code] = (warnings[w.code] ?? 0) + 1;
    return { file, ok: result.successful, errors: result.errors.map((e) => e.message), warnings };
  });
}

const EXPECTED: Record<string, [string, Record<string, number>][]> = {
  '1.0.1': [
    ['falco-rules-1.0.1/rules/falco_rules.yaml', { LOAD_DEPRECATED_ITEM: 82, LOAD_UNSAFE_NA_CHECK: 6 }],
    ['falco-rules-1.0.1/rules/application_rules.yaml', { LOAD_DEPRECATED_ITEM: 82, LOAD_UNSAFE_NA_CHECK: 6, LOAD_UNUSED_MACRO: 12 }],
  ],
  '3.2.0': [
    ['falco-rules-3.2.0/rules/falco_rules.yaml', { LOAD_DEPRECATED_ITEM: 45, LOAD_UNSAFE_NA_CHECK: 3 }],
    ['falco-rules-3.2.0/rules/falco-incubating_rules.yaml', { LOAD_DEPRECATED_ITEM: 97, LOAD_UNSAFE_NA_CHECK: 5 }],
    ['falco-rules-3.2.0/rules/falco-sandbox_rules.yaml', { LOAD_DEPRECATED_ITEM: 145, LOAD_UNSAFE_NA_CHECK: 19 }],
    ['falco-rules-3.2.0/rules/falco-deprecated_rules.yaml', { LOAD_DEPRECATED_ITEM: 153, LOAD_UNSAFE_NA_CHECK: 19 }],
  ],
  '5.0.0': [
    ['falco-rules-5.0.0/rules/falco_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 3 }],
    ['falco-rules-5.0.0/rules/falco-incubating_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 5 }],
    ['falco-rules-5.0.0/rules/falco-sandbox_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 19 }],
  ],
  '5.1.0': [
    ['falco-rules-5.1.0/rules/falco_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 3 }],
    ['falco-rules-5.1.0/rules/falco-incubating_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 5 }],
    ['falco-rules-5.1.0/rules/falco-sandbox_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 19 }],
    ['falco-rules-5.1.0/archive/falco-deprecated_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 19, LOAD_DEPRECATED_ITEM: 12 }],
    ['falco-rules-5.1.0/archive/application_rules.yaml', { LOAD_UNSAFE_NA_CHECK: 19, LOAD_DEPRECATED_ITEM: 12, LOAD_UNUSED_MACRO: 12 }],
  ],
};

describe('upstream rules', () => {
  for (const [version, files] of Object.entries(EXPECTED)) {
    it(`falcosecurity/rules ${version} loads with zero errors and the listed warnings`, () => {
      const results = load(files.map(([f]) => f));
      expect(results).toEqual(files.map(([file, warnings]) => ({ file, ok: true, errors: [], warnings })));
    });
  }
});
