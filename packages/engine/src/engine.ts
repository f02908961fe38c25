/**
 * The rules engine: load rules files (Falco 0.44 semantics), keep rulesets, and evaluate events
 * of each registered source against the enabled rules whose event types include the event's.
 *
 * Hot path (`processEvent`): one type-code lookup into a per-ruleset index built when rulesets
 * change, then the compiled predicates in rule definition order. No allocation per event: the
 * returned match list is a reused array.
 */
import { createAlert, priorityName, type Alert, type PriorityLevel } from '@falco-ts/alert';
import type { EventSource } from './source';
import { Collector } from './loader/collector';
import { LoadContext } from './loader/context';
import { RulesCompiler, type CompileOutput, type CompiledRule, type ExtraOutputField, type ExtraOutputFormat } from './loader/compiler';
import { CompileCaches } from './loader/compile-caches';
import { LoadError } from './loader/load-error';
import { RulesReader } from './loader/reader';
import { LoadResult } from './loader/result';
import { validateRulesDocuments } from './loader/schema';
import { parseYaml } from './loader/yaml-nodes';
import { loadLimits, type LoadLimits } from './loader/limits';
import { checkPluginRequirements, type LoadedPlugin } from './loader/versions';
import { describeEngine, type DescribedPlugin, type EngineDescription } from './loader/describe';
import { DEFAULT_RULESET, Rulesets, type RuleSelector } from './ruleset/rulesets';
import { EngineUsageError, LoadAbandoned, RulesLoadError } from './errors';

export type RuleMatching = 'first' | 'all';

export interface ProcessOptions {
  readonly ruleset?: string;
  readonly matching?: RuleMatching;
}

const NO_OPTIONS: ProcessOptions = {};

/** Per source and ruleset: rule lists by event type code. */
interface EvalIndex {
  version: number;
  minPriority: PriorityLevel;
  byCode: (CompiledRule[] | undefined)[];
}

export class Engine {
  private readonly sources = new Map<string, EventSource<unknown>>();
  private collector: Collector;
  private readonly contents = new Map<string, string>();
  private compiled: CompileOutput | undefined;
  private readonly rulesets = new Rulesets();
  /** source → ruleset → index; nested so that a lookup builds no key string per event. */
  private readonly indexes = new Map<string, Map<string, EvalIndex>>();
  private readonly extraOutputs: ExtraOutputFormat[] = [];
  private readonly extraOutputFields: ExtraOutputField[] = [];
  private minPriority: PriorityLevel = 7;
  private limits: LoadLimits = loadLimits();
  private readonly matches: CompiledRule[] = [];
  // Every load recompiles all files so far; these let unchanged lists, macros and rules skip
  // parsing, expansion, checks and compilation on the second and later loads.
  private caches = new CompileCaches();
  private readonly fieldOrder = new WeakMap<CompiledRule, readonly string[]>();
  private lastIndex: EvalIndex | undefined;
  private lastSource = '';
  private lastRuleset = '';
  private lastEventSource: EventSource<unknown> | undefined;

  constructor(sources: readonly EventSource<unknown>[] = []) {
    for (const s of sources) this.addSource(s);
    this.collector = this.newCollector();
  }

  private newCollector(): Collector {
    return new Collector({
      has: (name) => this.sources.has(name),
      isFieldDefined: (name, field) => {
        const registry = this.sources.get(name)?.fields;
        if (!registry) return false;
        const m = /^([^[]+)\[(.*)\]$/s.exec(field);
        const [base, arg] = m ? [m[1]!, m[2]] : [field, undefined];
        const def = registry.resolve ? registry.resolve(base, arg) : registry.get(base);
        return def !== undefined && !('error' in def);
      },
    });
  }

  addSource<E>(source: EventSource<E>): void {
    if (this.sources.has(source.name)) {
      throw new EngineUsageError('ENGINE_DUPLICATE_SOURCE', `Source ${source.name} is already registered`, { source: source.name });
    }
    this.sources.set(source.name, source as unknown as EventSource<unknown>);
    this.lastIndex = undefined;
  }

  hasSource(name: string): boolean {
    return this.sources.has(name);
  }

  /** `append_output`: appended (after a space) to the output of the matching rules. */
  addExtraOutput(format: string, source = '', tags: readonly string[] = [], rule = ''): void {
    this.extraOutputs.push({ format, source, tags, rule });
  }

  /** `append_output` with `extra_output_fields`: an extra named entry of `output_fields`. */
  addExtraOutputField(name: string, format: string, source = '', tags: readonly string[] = [], rule = '', raw = false): void {
    this.extraOutputFields.push({ name, format, source, tags, rule, raw });
  }

  /** Bounds on the cost of loading one rules file (see limits.ts); unset entries keep their default. */
  setLoadLimits(limits: Partial<LoadLimits>): void {
    this.limits = loadLimits(limits);
  }

  /** Rules less severe than this are not evaluated (`priority` config key). */
  setMinPriority(priority: PriorityLevel): void {
    this.minPriority = priority;
  }

  /**
   * Loads one rules file on top of what is already loaded, as Falco's `load_rules`: the file is
   * read into the collected definitions and then everything is compiled again. Never throws for
   * bad rules; inspect the result.
   */
  loadRules(content: string, name: string): LoadResult {
    const steps = this.loadSteps(content, name);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `loadRules` in slices of about `sliceMs` of work, giving the event loop back between them, so
   * a reload prepared while detection runs never holds it for longer than one slice (plus the
   * YAML reading, linear in the file). Past `deadline` (a `Date.now()` value) or once `abandon`
   * says so, the load stops with a LoadAbandoned error; the engine is then left half-loaded and
   * must be discarded.
   */
  async loadRulesSliced(content: string, name: string, options: { sliceMs?: number; deadline?: number; abandon?: () => boolean } = {}): Promise<LoadResult> {
    const sliceMs = options.sliceMs ?? 10;
    const steps = this.loadSteps(content, name);
    let sliceEnd = Date.now() + sliceMs;
    for (let n = 0; ; n++) {
      const step = steps.next();
      if (step.done) return step.value;
      // The clock is read every few steps: a step is one rules item, macro or rule.
      if ((n & 15) !== 0) continue;
      const now = Date.now();
      if (options.deadline !== undefined && now > options.deadline) throw new LoadAbandoned(`${name}: loading took longer than the time allowed`);
      if (now < sliceEnd) continue;
      await new Promise<void>((r) => setImmediate(r));
      if (options.abandon?.()) throw new LoadAbandoned(`${name}: loading abandoned`);
      sliceEnd = Date.now() + sliceMs;
    }
  }

  /** The steps of a load: one per rules item read, and one per list, macro and rule compiled. */
  private *loadSteps(content: string, name: string): Generator<void, LoadResult> {
    this.contents.set(name, content);
    const result = new LoadResult(name, this.contents);
    const fileCtx = LoadContext.forFile(name);
    const yaml = parseYaml(content, this.limits);
    if (yaml.error) {
      result.addError('LOAD_ERR_YAML_PARSE', yaml.error.message, fileCtx.child(yaml.error.position, 'value for'));
      return result;
    }
    yield;
    const documents = yaml.documents.filter((d) => d !== null);
    result.deferSchemaValidation(() => validateRulesDocuments(documents));
    const reader = new RulesReader(this.collector, result, yaml.positionOf);
    try {
      for (const doc of yaml.documents) {
        if (doc === null) continue;
        yield* reader.readDocumentSteps(doc, fileCtx);
      }
    } catch (e) {
      if (e instanceof LoadError) {
        result.addError(e.code, e.message, e.context);
        return result;
      }
      throw e;
    }
    const compiler = new RulesCompiler(this.sources, result, {
      extraOutputs: this.extraOutputs,
      extraOutputFields: this.extraOutputFields,
      caches: this.caches,
      limits: this.limits,
    });
    const out = yield* compiler.compileSteps(this.collector);
    if (!out) return result;
    this.compiled = out;
    this.rulesets.reset(out.rules.map((r) => ({ id: r.id, name: r.name, tags: r.tags, enabled: r.enabled })));
    this.indexes.clear();
    this.lastIndex = undefined;
    return result;
  }

  /** `loadRules`, throwing RulesLoadError when the file has an error. */
  loadRulesOrThrow(content: string, name: string): LoadResult {
    const result = this.loadRules(content, name);
    if (!result.successful) throw new RulesLoadError(result);
    return result;
  }

  /** Forgets every loaded rule, macro and list. */
  clear(): void {
    this.collector = this.newCollector();
    this.compiled = undefined;
    this.contents.clear();
    this.caches = new CompileCaches();
    this.rulesets.reset([]);
    this.indexes.clear();
    this.lastIndex = undefined;
  }

  /** Checks `required_plugin_versions` of the loaded files against the given plugins. */
  checkPluginRequirements(plugins: readonly LoadedPlugin[]): { ok: true } | { ok: false; error: string } {
    const error = checkPluginRequirements(this.collector.pluginRequirements, plugins);
    return error === undefined ? { ok: true } : { ok: false, error };
  }

  /** The loaded rules in definition order. */
  rules(): readonly CompiledRule[] {
    return this.compiled?.rules ?? [];
  }

  rule(name: string): CompiledRule | undefined {
    return this.compiled?.rules.find((r) => r.name === name);
  }

  /** Enables/disables rules whose name contains `substring` (empty: all). */
  enableRule(substring: string, enabled: boolean, ruleset: string = DEFAULT_RULESET): void {
    this.select({ kind: 'substring', text: substring }, enabled, ruleset);
  }

  enableRuleExact(name: string, enabled: boolean, ruleset: string = DEFAULT_RULESET): void {
    this.select({ kind: 'exact', name }, enabled, ruleset);
  }

  /** `*` matches any run of characters; the pattern must match the whole name. */
  enableRuleWildcard(pattern: string, enabled: boolean, ruleset: string = DEFAULT_RULESET): void {
    this.select({ kind: 'wildcard', pattern }, enabled, ruleset);
  }

  /** Rules carrying any of `tags`. */
  enableRuleByTag(tags: readonly string[], enabled: boolean, ruleset: string = DEFAULT_RULESET): void {
    this.select({ kind: 'tags', tags }, enabled, ruleset);
  }

  private select(selector: RuleSelector, enabled: boolean, ruleset: string): void {
    this.rulesets.set(selector, enabled, ruleset);
  }

  isRuleEnabled(name: string, ruleset: string = DEFAULT_RULESET): boolean {
    const r = this.rule(name);
    return !!r && this.rulesets.isEnabled(r.id, ruleset);
  }

  /** Enabled rules in a ruleset, optionally of one source only. */
  enabledRuleCount(ruleset: string = DEFAULT_RULESET, source?: string): number {
    const rules = this.rules();
    return this.rulesets.enabledCount(ruleset, source === undefined ? undefined : (id) => rules[id]?.source === source);
  }

  /**
   * The `-L`/`--list` JSON description of everything loaded. `plugins` (the loaded built-in
   * plugins and what they provide) fills each rule's `details.plugins`.
   */
  describe(plugins: readonly DescribedPlugin[] = []): EngineDescription {
    if (!this.compiled) throw new EngineUsageError('ENGINE_NOT_LOADED', 'rules must be loaded before describing them', {});
    return describeEngine(this.collector, this.compiled, this.sources, plugins);
  }

  private index(source: string, ruleset: string): EvalIndex {
    let bySet = this.indexes.get(source);
    if (!bySet) {
      bySet = new Map();
      this.indexes.set(source, bySet);
    }
    let idx = bySet.get(ruleset);
    if (idx && idx.version === this.rulesets.version && idx.minPriority === this.minPriority) return idx;
    const src = this.sources.get(source);
    if (!src) throw new EngineUsageError('ENGINE_UNKNOWN_SOURCE', `Unknown event source ${source}`, { source });
    const byCode: (CompiledRule[] | undefined)[] = [];
    for (const r of this.rules()) {
      if (r.source !== source || !this.rulesets.isEnabled(r.id, ruleset) || r.priority > this.minPriority) continue;
      for (const code of r.eventCodes) (byCode[code] ??= []).push(r);
    }
    idx = { version: this.rulesets.version, minPriority: this.minPriority, byCode };
    bySet.set(ruleset, idx);
    return idx;
  }

  /**
   * Evaluates one event of `source`. Returns the matching rules in definition order (only the
   * first with `matching: 'first'`, the default). The returned array is reused by the next call.
   */
  processEvent<E>(source: string, event: E, options: ProcessOptions = NO_OPTIONS): readonly CompiledRule[] {
    const ruleset = options.ruleset ?? DEFAULT_RULESET;
    let idx = this.lastIndex;
    // Replay and live loops evaluate one source and ruleset event after event: reuse the index
    // found for the previous event instead of two map lookups per event.
    if (
      idx === undefined ||
      this.lastSource !== source ||
      this.lastRuleset !== ruleset ||
      idx.version !== this.rulesets.version ||
      idx.minPriority !== this.minPriority
    ) {
      idx = this.index(source, ruleset);
      this.lastIndex = idx;
      this.lastSource = source;
      this.lastRuleset = ruleset;
      this.lastEventSource = this.sources.get(source);
    }
    const src = this.lastEventSource as EventSource<E>;
    const out = this.matches;
    out.length = 0;
    const candidates = idx.byCode[src.eventTypeOf(event)];
    if (!candidates) return out;
    const all = options.matching === 'all';
    for (let i = 0; i < candidates.length; i++) {
      const r = candidates[i]!;
      if (r.predicate(event)) {
        out.push(r);
        if (!all) break;
      }
    }
    return out;
  }

  /**
   * The names of a rule's `output_fields` in the order alerts list them (sorted), computed once per
   * rule: sorting them again for every alert was most of the cost of building one.
   */
  private sortedFieldNames(rule: CompiledRule): readonly string[] {
    let names = this.fieldOrder.get(rule);
    if (!names) {
      names = [...new Set([...rule.format.fieldNames, ...rule.extraFields.keys()])].sort();
      this.fieldOrder.set(rule, names);
    }
    return names;
  }

  /** Builds the alert for a rule that matched `event`. */
  alert<E>(rule: CompiledRule, event: E, hostname: string): Alert {
    const src = this.sources.get(rule.source) as EventSource<E>;
    // The format's fields come sorted already; only extra fields need merging into that order.
    let sorted = rule.format.fields(event);
    if (rule.extraFields.size > 0) {
      const fields = sorted;
      for (const [name, extra] of rule.extraFields) fields[name] = extra.compiled.render(event);
      sorted = {};
      for (const name of this.sortedFieldNames(rule)) sorted[name] = fields[name] ?? null;
    }
    return createAlert({
      timeNs: src.timestampOf(event),
      rule: rule.name,
      priority: priorityName(rule.priority),
      source: rule.source,
      hostname,
      output: rule.format.render(event),
      tags: rule.tags,
      outputFields: sorted,
    });
  }
}
