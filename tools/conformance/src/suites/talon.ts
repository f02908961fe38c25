/**
 * The `talon` suite: Falco Talon rule-loading and rule-matching cases (format in the data's
 * README) run through `@falco-ts/response`. Each case's rules files are written to a fresh
 * directory under their own names and loaded from disk in order, as Talon loads them; a `match`
 * case then decodes its event as the receiver decodes a request body and walks the rules with an
 * executor that fails exactly the actions the case lists in `assume_failed_actions` (all others
 * succeed). Directories are searched for `*.jsonl` files; records without `kind` are skipped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RulesLoadError,
  decodeEvent,
  extractRules,
  loadRulesFiles,
  respond,
  type ActionSpec,
  type ActionStep,
  type RuleSpec,
} from '@falco-ts/response';
import type { Suite } from '../suite';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface TalonCase {
  id: string;
  kind: 'match' | 'load';
  rules_yaml: string | { name: string; content: string }[];
  stage?: 'extract';
  event?: Record<string, Json>;
  assume_failed_actions?: string[];
  expect: Record<string, Json>;
}

function* caseFiles(inputs: readonly string[]): Generator<string> {
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) {
        const path = join(input, name);
        if (name.endsWith('.jsonl')) yield path;
        else if (statSync(path).isDirectory()) yield* caseFiles([path]);
      }
    } else {
      yield input;
    }
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function actionRecord(a: ActionSpec): Record<string, unknown> {
  const hasOutput = a.output.target !== '' || Object.keys(a.output.parameters ?? {}).length > 0;
  return {
    action: a.name,
    actionner: a.actionner,
    description: a.description,
    continue: a.continue,
    ignore_errors: a.ignoreErrors,
    additional_contexts: a.additionalContexts,
    parameters: a.parameters ?? {},
    ...(hasOutput ? { output: { target: a.output.target, parameters: a.output.parameters ?? {} } } : {}),
  };
}

function ruleRecord(r: RuleSpec): Record<string, unknown> {
  return {
    name: r.name,
    description: r.description,
    continue: r.continue,
    dry_run: r.dryRun,
    notifiers: r.notifiers,
    match: { rules: r.match.rules, priority: r.match.priority, tags: r.match.tags, output_fields: r.match.outputFields, source: r.match.source },
    actions: r.actions.map((a) => a.name),
  };
}

/** The keys the expected entry lists, compared one by one. */
function subsetDiff(what: string, expected: Record<string, Json>, actual: Record<string, unknown> | undefined): string | undefined {
  if (!actual) return `${what}: not found`;
  for (const [k, v] of Object.entries(expected)) {
    if (!same(v, actual[k])) return `${what}.${k}: expected ${canonical(v)}, got ${canonical(actual[k])}`;
  }
  return undefined;
}

function stepRecord(step: ActionStep): Record<string, unknown> {
  const a = step.action;
  return {
    rule: step.rule.name,
    action: a.name,
    actionner: a.actionner,
    parameters: a.parameters,
    ...(a.output ? { output: a.output } : {}),
    ...(a.additionalContexts.length > 0 ? { additional_contexts: a.additionalContexts } : {}),
    ...(step.outcome.status === 'dry-run' ? { dry_run: true } : {}),
    ...(step.outcome.status === 'failure' ? { failed: true } : {}),
  };
}

function writeFiles(c: TalonCase, dir: string): string[] {
  const files = typeof c.rules_yaml === 'string' ? [{ name: 'rules.yaml', content: c.rules_yaml }] : c.rules_yaml;
  return files.map((f, i) => {
    const path = join(dir, `${i}-${f.name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    writeFileSync(path, f.content);
    return path;
  });
}

async function runCase(c: TalonCase, dir: string): Promise<string | undefined> {
  const paths = writeFiles(c, dir);
  const expectError = typeof c.expect.error === 'string' ? c.expect.error : undefined;
  let loaded: ReturnType<typeof loadRulesFiles> | undefined;
  let extracted: ReturnType<typeof extractRules> | undefined;
  try {
    if (c.stage === 'extract') {
      extracted = extractRules(paths.map((p) => ({ name: p, content: readFileSync(p, 'utf8') })));
    } else {
      loaded = loadRulesFiles(paths);
    }
  } catch (err) {
    if (!(err instanceof RulesLoadError)) throw err;
    if (expectError === undefined) return `load failed: ${err.message.split('\n').join(' | ')}`;
    return err.message.includes(expectError) ? undefined : `error ${JSON.stringify(err.message)} does not contain ${JSON.stringify(expectError)}`;
  }
  if (expectError !== undefined) return `loaded, expected error containing ${JSON.stringify(expectError)}`;
  const actions = extracted?.actions ?? [...loaded!.actions];
  const rules = extracted?.rules ?? loaded!.rules.map((r) => r.spec);

  if (c.kind === 'load') {
    const exp = c.expect.loaded as Record<string, Json>;
    if (exp.rule_count !== undefined && exp.rule_count !== rules.length) return `rule_count: expected ${exp.rule_count}, got ${rules.length}`;
    if (exp.action_count !== undefined && exp.action_count !== actions.length) return `action_count: expected ${exp.action_count}, got ${actions.length}`;
    if (exp.rule_names !== undefined && !same(exp.rule_names, rules.map((r) => r.name))) {
      return `rule_names: expected ${canonical(exp.rule_names)}, got ${canonical(rules.map((r) => r.name))}`;
    }
    if (Array.isArray(exp.actions)) {
      if (exp.actions.length !== actions.length) return `actions: expected ${exp.actions.length}, got ${actions.length}`;
      for (let i = 0; i < actions.length; i++) {
        const d = subsetDiff(`actions[${i}]`, exp.actions[i] as Record<string, Json>, actionRecord(actions[i]!));
        if (d) return d;
      }
    }
    for (const e of (exp.actions_subset as Record<string, Json>[] | undefined) ?? []) {
      const d = subsetDiff(`action '${String(e.action)}'`, e, actions.map(actionRecord).find((a) => a.action === e.action));
      if (d) return d;
    }
    for (const e of (exp.rules_subset as Record<string, Json>[] | undefined) ?? []) {
      const d = subsetDiff(`rule '${String(e.name)}'`, e, rules.map(ruleRecord).find((r) => r.name === e.name));
      if (d) return d;
    }
    return undefined;
  }

  if (!loaded) return 'a match case cannot use the extract stage';
  const failing = new Set(c.assume_failed_actions ?? []);
  const event = decodeEvent(JSON.stringify(c.event ?? {}));
  const decision = await respond(loaded.rules, event, async (_rule, action) =>
    failing.has(action.name) ? { status: 'failure', error: 'assumed to fail' } : { status: 'success' },
  );
  const exp = c.expect;
  const matched = decision.matched.map((r) => r.name);
  const triggered = decision.triggered.map((r) => r.name);
  if (exp.matched_rules !== undefined && !same(exp.matched_rules, matched)) return `matched_rules: expected ${canonical(exp.matched_rules)}, got ${canonical(matched)}`;
  if (exp.triggered_rules !== undefined && !same(exp.triggered_rules, triggered)) {
    return `triggered_rules: expected ${canonical(exp.triggered_rules)}, got ${canonical(triggered)}`;
  }
  const got = decision.steps.map(stepRecord);
  if (exp.actions !== undefined && !same(exp.actions, got)) return `actions: expected ${canonical(exp.actions)}, got ${canonical(got)}`;
  return undefined;
}

export const suite: Suite = {
  async *run(inputs) {
    for (const file of caseFiles(inputs)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const c = JSON.parse(line) as TalonCase;
        if (c.kind !== 'match' && c.kind !== 'load') continue;
        const dir = mkdtempSync(join(tmpdir(), 'talon-case-'));
        try {
          const detail = await runCase(c, dir);
          yield detail === undefined ? { id: c.id, passed: true } : { id: c.id, passed: false, detail };
        } catch (err) {
          yield { id: c.id, passed: false, detail: `crashed: ${err instanceof Error ? err.message : String(err)}` };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  },
};
