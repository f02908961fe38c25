/**
 * Loads Talon rules files, in order, the way Talon does:
 *  1. decode every file (a YAML problem fails the load, naming the file);
 *  2. fold same-name `action` blocks and same-name rules into their first definition;
 *  3. let each rule's action take from the block it names what it does not set;
 *  4. check each rule (Talon's wording), then check every actionner and output target against
 *     the catalogue. Any problem fails the load; every problem found is reported.
 * Parameter values are checked by the actionners themselves; problems they find are returned as
 * warnings (Talon rejects them at start-up; here a misconfigured action fails when it runs and
 * the rest keep working).
 */
import { readFileSync } from 'node:fs';
import { findActionner, OUTPUT_TARGETS, type ActionnerInfo } from '../catalogue';
import { RulesLoadError, type RulesProblem } from '../errors';
import { PRIORITY_SYNTAX } from '../priority';
import { FileSyntaxError, decodeRulesFile } from './decode';
import { compileMatch, splitOutputFieldParts, splitTags, type CompiledMatch } from './match';
import { foldSameName, inheritFromBlock, overrideAction, overrideRule } from './merge';
import type { ActionSpec, Params, RuleSpec, RulesSource } from './model';

export interface ResolvedAction {
  readonly name: string;
  readonly description: string;
  readonly actionner: string;
  readonly info: ActionnerInfo;
  readonly parameters: Params;
  readonly output: { readonly target: string; readonly parameters: Params } | undefined;
  readonly additionalContexts: readonly string[];
  /** Whether the rule's next action runs after this one (the action's `continue`, else the actionner's default). */
  readonly continues: boolean;
  /** Whether the rule's next action runs after this one failed. */
  readonly ignoreErrors: boolean;
  readonly file: string;
  readonly line: number;
}

export interface TalonRule {
  readonly name: string;
  readonly description: string;
  /** False when `continue: false`: no later Talon rule runs once this one was triggered. */
  readonly continues: boolean;
  readonly dryRun: boolean;
  readonly notifiers: readonly string[];
  readonly actions: readonly ResolvedAction[];
  readonly match: CompiledMatch;
  /** The merged definition as written (raw strings), for printing and tests. */
  readonly spec: RuleSpec;
}

export interface LoadedRules {
  readonly rules: readonly TalonRule[];
  /** The reusable blocks after merging. */
  readonly actions: readonly ActionSpec[];
  readonly warnings: readonly RulesProblem[];
}

/** Validates one action's parameters; returns problems in words (for warnings). */
export type ParameterCheck = (actionner: string, parameters: Params) => readonly string[];

export interface LoadOptions {
  readonly checkParameters?: ParameterCheck;
}

const ACTIONNER_SYNTAX = /[a-z]+:[a-z]+/;
const TAG_SYNTAX = /^[a-z_0-9.]*[a-z0-9]$/i;
const OUTPUT_FIELD_SYNTAX = /^[a-z0-9.[\]]*(!)?(=)/i;
const BOOLEAN_TEXT = new Set(['', 'true', 'false']);

/** Steps 1-2: the merged blocks and rules, before resolution and checks (Talon's extract stage). */
export function extractRules(sources: readonly RulesSource[]): { actions: ActionSpec[]; rules: RuleSpec[] } {
  if (sources.length === 0) throw new RulesLoadError([{ message: 'no rule file is provided' }]);
  const actions: ActionSpec[] = [];
  const rules: RuleSpec[] = [];
  for (const source of sources) {
    try {
      const decoded = decodeRulesFile(source);
      actions.push(...decoded.actions);
      rules.push(...decoded.rules);
    } catch (err) {
      if (!(err instanceof FileSyntaxError)) throw err;
      throw new RulesLoadError([
        { message: `wrong syntax for the rule file '${source.name}': ${err.message}`, file: source.name, ...(err.line !== undefined ? { line: err.line } : {}) },
      ]);
    }
  }
  return { actions: foldSameName(actions, overrideAction), rules: foldSameName(rules, overrideRule) };
}

function checkRule(rule: RuleSpec, problems: RulesProblem[]): void {
  const at = { rule: rule.name, file: rule.file, line: rule.line };
  const report = (message: string, extra: Partial<RulesProblem> = {}) => problems.push({ message, ...at, ...extra });
  if (rule.name === '') report('all rules must have a name');
  if (!BOOLEAN_TEXT.has(rule.continue)) report("'continue' setting can be 'true' or 'false' only");
  if (!BOOLEAN_TEXT.has(rule.dryRun)) report("'dry_run' setting can be 'true' or 'false' only");
  if (rule.actions.length === 0) report('no action specified');
  for (const a of rule.actions) {
    const where = { action: a.name, actionner: a.actionner, line: a.line, file: a.file };
    if (a.name === '') report('action without a name', where);
    if (a.actionner === '') report('missing actionner', where);
    if (!ACTIONNER_SYNTAX.test(a.actionner)) report('incorrect actionner', where);
    if (!BOOLEAN_TEXT.has(a.continue)) report("'continue' setting can be 'true' or 'false' only", where);
    if (!BOOLEAN_TEXT.has(a.ignoreErrors)) report("'ignore_errors' setting can be 'true' or 'false' only", where);
    if (a.output.target !== '' && Object.keys(a.output.parameters ?? {}).length === 0) report("missing 'parameters' for the output", { ...where, target: a.output.target });
  }
  if (!PRIORITY_SYNTAX.test(rule.match.priority)) report(`incorrect priority '${rule.match.priority}'`);
  for (const entry of rule.match.tags) for (const tag of splitTags(entry)) if (!TAG_SYNTAX.test(tag)) report(`incorrect tag '${tag}'`);
  for (const entry of rule.match.outputFields) {
    for (const part of splitOutputFieldParts(entry)) if (!OUTPUT_FIELD_SYNTAX.test(part)) report(`incorrect output field key '${part}'`);
  }
}

function checkCatalogue(rule: RuleSpec, problems: RulesProblem[], warnings: RulesProblem[], checkParameters: ParameterCheck | undefined): void {
  for (const a of rule.actions) {
    const where = { rule: rule.name, action: a.name, actionner: a.actionner, file: a.file, line: a.line };
    const info = findActionner(a.actionner);
    if (!info) {
      problems.push({ message: 'unknown actionner', ...where });
      continue;
    }
    for (const message of checkParameters?.(a.actionner, a.parameters ?? {}) ?? []) warnings.push({ message, ...where });
    const hasOutput = a.output.target !== '' || Object.keys(a.output.parameters ?? {}).length > 0;
    if (!hasOutput) {
      if (info.requireOutput) problems.push({ message: 'an output is required', ...where });
      continue;
    }
    if (!OUTPUT_TARGETS.includes(a.output.target)) {
      problems.push({ message: 'unknown target', ...where, target: a.output.target });
      continue;
    }
    if (Object.keys(a.output.parameters ?? {}).length === 0) problems.push({ message: 'missing parameters for the output', ...where, target: a.output.target });
  }
}

function resolveAction(a: ActionSpec): ResolvedAction {
  const info = findActionner(a.actionner)!;
  const hasOutput = a.output.target !== '' || Object.keys(a.output.parameters ?? {}).length > 0;
  return {
    name: a.name,
    description: a.description,
    actionner: a.actionner,
    info,
    parameters: a.parameters ?? {},
    output: hasOutput ? { target: a.output.target, parameters: a.output.parameters ?? {} } : undefined,
    additionalContexts: a.additionalContexts,
    continues: a.continue === 'true' || (a.continue !== 'false' && info.continue),
    ignoreErrors: a.ignoreErrors === 'true',
    file: a.file,
    line: a.line,
  };
}

/** Loads rules given as text; throws RulesLoadError listing every problem. */
export function loadRules(sources: readonly RulesSource[], options: LoadOptions = {}): LoadedRules {
  const { actions, rules } = extractRules(sources);
  const blocks = new Map(actions.map((a) => [a.name, a]));
  const warnings: RulesProblem[] = [];
  for (const rule of rules) {
    rule.actions = rule.actions.map((a) =>
      inheritFromBlock(a, blocks.get(a.name), (key) => warnings.push({ message: `mismatch of type for a parameter '${key}'`, rule: rule.name, action: a.name, file: a.file, line: a.line })),
    );
  }
  const problems: RulesProblem[] = [];
  for (const rule of rules) checkRule(rule, problems);
  if (problems.length > 0) throw new RulesLoadError(problems);
  for (const rule of rules) checkCatalogue(rule, problems, warnings, options.checkParameters);
  if (problems.length > 0) throw new RulesLoadError(problems);
  return {
    actions,
    warnings,
    rules: rules.map((spec) => ({
      name: spec.name,
      description: spec.description,
      continues: spec.continue !== 'false',
      dryRun: spec.dryRun === 'true',
      notifiers: [...spec.notifiers],
      actions: spec.actions.map(resolveAction),
      match: compileMatch(spec.match),
      spec,
    })),
  };
}

/** Loads rules files from disk, in order (later files override earlier ones). */
export function loadRulesFiles(paths: readonly string[], options: LoadOptions = {}): LoadedRules {
  const sources = paths.map((path) => {
    try {
      return { name: path, content: readFileSync(path, 'utf8') };
    } catch (err) {
      throw new RulesLoadError([{ message: err instanceof Error ? err.message : String(err), file: path }]);
    }
  });
  return loadRules(sources, options);
}
