/**
 * The `loader` suite: Falco's rule-loader unit expectations (`loader` records) run through the
 * engine. Each case gets a fresh Engine with the real `syscall` source (its field registry, the
 * driver's event types), or no source at all for plugin-requirement cases, as upstream's fixtures
 * do. The checks are driven by the record's `expect`, `setup` and `steps`; null/absent keys are
 * not asserted. Directories are searched for `*.jsonl` files; records of other suites are skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, syscallEventTypes, syscallFieldRegistry, type EventSource, type LoadResult } from '@falco-ts/engine';
import type { FieldRegistry } from '@falco-ts/filter-lang';
import type { Suite } from '../suite';

interface LoaderCase {
  id: string;
  suite: string;
  files: { name: string; content: string }[];
  setup?: {
    extra_output?: { format: string; source: string; tags: string[]; rule: string }[];
    extra_output_fields?: { name: string; format: string; source: string; tags: string[]; rule: string }[];
    plugins?: { name: string; version: string }[];
  };
  steps?: Step[];
  expect: Expect;
}

interface Step {
  op: 'load' | 'enable_rule' | 'enable_rule_exact' | 'enable_rule_wildcard' | 'enable_rule_by_tag';
  arg?: string | string[];
  enabled?: boolean;
  ruleset?: string;
  expect_enabled_counts?: Record<string, number>;
}

interface Expect {
  ok: boolean | null;
  schema_validation: string | null;
  errors: { message: string }[];
  warnings: { message: string }[];
  absent_errors: string[];
  absent_warnings: string[];
  has_warnings: boolean | null;
  compiled_conditions: Record<string, string>;
  compiled_outputs: Record<string, string>;
  compiled_outputs_not_contain?: Record<string, string[]>;
  compiled_output_fields?: Record<string, Record<string, string>>;
  rule_info?: Record<string, Record<string, unknown>>;
  enabled_rules?: number | null;
  first_error_snippet_contains?: string[];
  warning_snippets?: { select: { snippet_contains?: string; code?: string }; snippet_contains?: string[]; snippet_not_contains?: string[] }[];
  describe?: {
    counts?: { rules: number; macros: number; lists: number };
    first_list_details_sizes?: Record<string, number>;
    first_list_items_compiled?: string[];
  };
  plugin_requirements_ok?: boolean | null;
}

function* caseFiles(inputs: readonly string[]): Generator<string> {
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) {
        const path = join(input, name);
        if (name.endsWith('.jsonl')) yield path;
        else if (statSync(path).isDirectory() && name !== 'schema') yield* caseFiles([path]);
      }
    } else {
      yield input;
    }
  }
}

function* readCases(file: string): Generator<LoaderCase> {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as LoaderCase;
    if (record.suite === 'loader') yield record;
  }
}

function syscallSource(registry: FieldRegistry): EventSource<unknown> {
  return {
    name: 'syscall',
    fields: registry,
    eventTypes: syscallEventTypes(),
    eventTypeFields: ['evt.type'],
    eventTypeOf: () => 0,
    timestampOf: () => 0n,
  };
}

function runCase(c: LoaderCase, registry: FieldRegistry): string[] {
  const e = c.expect;
  const pluginCase = e.plugin_requirements_ok !== undefined && e.plugin_requirements_ok !== null;
  const engine = new Engine(pluginCase ? [] : [syscallSource(registry)]);
  for (const x of c.setup?.extra_output ?? []) engine.addExtraOutput(x.format, x.source, x.tags, x.rule);
  for (const x of c.setup?.extra_output_fields ?? []) engine.addExtraOutputField(x.name, x.format, x.source, x.tags, x.rule);
  let result: LoadResult | undefined;
  for (const f of c.files) result = engine.loadRules(f.content, f.name);
  if (!result) return ['case has no files'];
  const problems: string[] = [];
  const errors = result.errors.map((x) => x.message);
  const warnings = result.warnings.map((x) => x.message);
  const json = result.toJSON();

  if (e.ok !== null && e.ok !== result.successful) {
    problems.push(`load ${result.successful ? 'succeeded' : `failed (${errors.join('; ')})`}, expected ${e.ok ? 'success' : 'failure'}`);
  }
  if (e.schema_validation !== null && !result.schemaValidation.startsWith(e.schema_validation)) {
    problems.push(`schema validation ${JSON.stringify(result.schemaValidation)}, expected ${e.schema_validation}`);
  }
  for (const x of e.errors) if (!errors.some((m) => m.includes(x.message))) problems.push(`no error containing ${JSON.stringify(x.message)} (errors: ${JSON.stringify(errors)})`);
  for (const x of e.warnings) if (!warnings.some((m) => m.includes(x.message))) problems.push(`no warning containing ${JSON.stringify(x.message)} (warnings: ${JSON.stringify(warnings)})`);
  for (const x of e.absent_errors) if (errors.some((m) => m.includes(x))) problems.push(`unexpected error containing ${JSON.stringify(x)}`);
  for (const x of e.absent_warnings) if (warnings.some((m) => m.includes(x))) problems.push(`unexpected warning containing ${JSON.stringify(x)}`);
  if (e.has_warnings !== null && e.has_warnings !== result.hasWarnings) problems.push(`has_warnings ${result.hasWarnings} (${JSON.stringify(warnings)})`);

  const needsDescribe =
    Object.keys(e.compiled_conditions).length > 0 || e.rule_info !== undefined || e.describe !== undefined || e.compiled_output_fields !== undefined;
  const description = needsDescribe && result.successful ? engine.describe() : undefined;
  const ruleDesc = (name: string) => description?.rules.find((r) => r.info.name === name);
  for (const [rule, cond] of Object.entries(e.compiled_conditions)) {
    const got = ruleDesc(rule)?.details.condition_compiled;
    if (got !== cond) problems.push(`condition_compiled of ${rule}: ${JSON.stringify(got)}, expected ${JSON.stringify(cond)}`);
  }
  for (const [rule, out] of Object.entries(e.compiled_outputs)) {
    const got = engine.rule(rule)?.output;
    if (got !== out) problems.push(`output_compiled of ${rule}: ${JSON.stringify(got)}, expected ${JSON.stringify(out)}`);
  }
  for (const [rule, subs] of Object.entries(e.compiled_outputs_not_contain ?? {})) {
    const got = engine.rule(rule)?.output;
    if (got === undefined) problems.push(`rule ${rule} not loaded`);
    for (const s of subs) if (got?.includes(s)) problems.push(`output_compiled of ${rule} contains ${JSON.stringify(s)}`);
  }
  for (const [rule, fields] of Object.entries(e.compiled_output_fields ?? {})) {
    const got = ruleDesc(rule)?.details.extra_output_formatted_fields;
    if (JSON.stringify(got) !== JSON.stringify(fields)) problems.push(`extra fields of ${rule}: ${JSON.stringify(got)}, expected ${JSON.stringify(fields)}`);
  }
  for (const [rule, info] of Object.entries(e.rule_info ?? {})) {
    const got = ruleDesc(rule)?.info as Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(info)) {
      if (JSON.stringify(got?.[key]) !== JSON.stringify(value)) {
        problems.push(`info.${key} of ${rule}: ${JSON.stringify(got?.[key])}, expected ${JSON.stringify(value)}`);
      }
    }
  }
  if (e.enabled_rules !== undefined && e.enabled_rules !== null && engine.enabledRuleCount() !== e.enabled_rules) {
    problems.push(`${engine.enabledRuleCount()} enabled rules, expected ${e.enabled_rules}`);
  }
  for (const s of e.first_error_snippet_contains ?? []) {
    const snippet = json.errors[0]?.context.snippet ?? '';
    if (!snippet.includes(s)) problems.push(`first error snippet ${JSON.stringify(snippet)} lacks ${JSON.stringify(s)}`);
  }
  for (const ws of e.warning_snippets ?? []) {
    const w = json.warnings.find(
      (x) =>
        (ws.select.code === undefined || x.code === ws.select.code) &&
        (ws.select.snippet_contains === undefined || x.context.snippet.includes(ws.select.snippet_contains)),
    );
    if (!w) {
      problems.push(`no warning matching ${JSON.stringify(ws.select)}`);
      continue;
    }
    for (const s of ws.snippet_contains ?? []) if (!w.context.snippet.includes(s)) problems.push(`warning snippet ${JSON.stringify(w.context.snippet)} lacks ${JSON.stringify(s)}`);
    for (const s of ws.snippet_not_contains ?? []) if (w.context.snippet.includes(s)) problems.push(`warning snippet ${JSON.stringify(w.context.snippet)} contains ${JSON.stringify(s)}`);
  }
  if (e.describe) {
    const d = description;
    if (!d) problems.push('no description (load failed)');
    else {
      const counts = { rules: d.rules.length, macros: d.macros.length, lists: d.lists.length };
      if (e.describe.counts && JSON.stringify(counts) !== JSON.stringify(e.describe.counts)) problems.push(`describe counts ${JSON.stringify(counts)}`);
      const first = d.lists[0]?.details as Record<string, unknown> | undefined;
      for (const [key, size] of Object.entries(e.describe.first_list_details_sizes ?? {})) {
        const got = (first?.[key] as unknown[] | undefined)?.length;
        if (got !== size) problems.push(`lists[0].details.${key} has ${got} entries, expected ${size}`);
      }
      if (e.describe.first_list_items_compiled && JSON.stringify(d.lists[0]?.details.items_compiled) !== JSON.stringify(e.describe.first_list_items_compiled)) {
        problems.push(`lists[0].details.items_compiled ${JSON.stringify(d.lists[0]?.details.items_compiled)}`);
      }
    }
  }
  if (pluginCase) {
    const check = engine.checkPluginRequirements(c.setup?.plugins ?? []);
    const ok = result.successful && check.ok;
    if (ok !== e.plugin_requirements_ok) problems.push(`plugin requirements ${ok ? 'met' : `not met (${'error' in check ? check.error : errors.join('; ')})`}`);
  }
  for (const step of c.steps ?? []) {
    const ruleset = step.ruleset ?? 'falco-default-ruleset';
    const enabled = step.enabled ?? true;
    switch (step.op) {
      case 'load':
        break;
      case 'enable_rule':
        engine.enableRule(String(step.arg ?? ''), enabled, ruleset);
        break;
      case 'enable_rule_exact':
        engine.enableRuleExact(String(step.arg ?? ''), enabled, ruleset);
        break;
      case 'enable_rule_wildcard':
        engine.enableRuleWildcard(String(step.arg ?? ''), enabled, ruleset);
        break;
      case 'enable_rule_by_tag':
        engine.enableRuleByTag(Array.isArray(step.arg) ? step.arg : [String(step.arg)], enabled, ruleset);
        break;
    }
    for (const [name, count] of Object.entries(step.expect_enabled_counts ?? {})) {
      const got = engine.enabledRuleCount(name);
      if (got !== count) problems.push(`after ${step.op}(${JSON.stringify(step.arg ?? '')}): ${name} has ${got} enabled rules, expected ${count}`);
    }
  }
  return problems;
}

export const suite: Suite = {
  async *run(inputs) {
    // Loading compiles against the real syscall fields; no event is ever evaluated here.
    const registry = syscallFieldRegistry as unknown as FieldRegistry;
    for (const file of caseFiles(inputs)) {
      for (const c of readCases(file)) {
        let problems: string[];
        try {
          problems = runCase(c, registry);
        } catch (e) {
          problems = [`crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
        }
        yield problems.length === 0 ? { id: c.id, passed: true } : { id: c.id, passed: false, detail: problems.join('; ') };
      }
    }
  },
};
