/**
 * Turns the collected lists, macros and rules into compiled rules, as Falco's rule compiler does:
 * lists are substituted textually into every condition, macros are parsed once and substituted on
 * the AST (a macro sees the macros defined before its last definition; rules see all), exceptions
 * are appended as text, and the result is compiled against the rule's source. Warnings (unused
 * items, broad event types, deprecated fields, compiler warnings) go to the load result; the first
 * error is thrown as LoadError.
 */
import {
  NodeType,
  VISITOR_KEYS,
  FilterCompileError,
  FilterSyntaxError,
  parse,
  print,
  transform,
  walk,
  walkChecks,
  type Ast,
  type Expr,
  type FieldRegistry,
  type Node,
} from '@falco-ts/filter-lang';
import type { EventSource } from '../source';
import type { LoadContext } from './context';
import type { Collector } from './collector';
import { LoadError } from './load-error';
import { DEPRECATED_FIELDS, MSG } from './messages';
import type { LoadResult } from './result';
import type { ListInfo, MacroInfo, RuleInfo } from './infos';
import type { PriorityLevel } from '@falco-ts/alert';
import { appendExceptions, substituteList } from './text-expansion';
import { eventCodesOf } from '../ruleset/evttypes';
import { compileFormat, type CompiledFormat } from '../output/compiled-format';
import { compileCondition, type CompiledCondition, type ConditionPredicate } from './condition';
import { cachedByAst, type CompileCaches, type PositionedWarning, type UnknownEventType } from './compile-caches';
import { DEFAULT_LOAD_LIMITS, type LoadLimits } from './limits';

export type { Expansion } from './compile-caches';

/** The macros a condition may refer to: those first defined before its visibility. */
class VisibleMacros {
  constructor(
    private readonly byName: ReadonlyMap<string, CompiledMacro>,
    private readonly visibility: number,
  ) {}

  get(name: string): CompiledMacro | undefined {
    const m = this.byName.get(name);
    return m !== undefined && m.info.index < this.visibility ? m : undefined;
  }
}

/** True when every macro looked up before resolves to the same AST object now. */
function sameLookups(lookups: ReadonlyMap<string, Ast>, known: VisibleMacros): boolean {
  for (const [name, ast] of lookups) if (known.get(name)?.ast !== ast) return false;
  return true;
}

/** The delimiters of list substitution (see text-expansion.ts): blanks, parentheses, `,` and `=`. */
function isDelimiter(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x28 || code === 0x29 || code === 0x2c || code === 0x3d;
}

function isWord(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (isDelimiter(name.charCodeAt(i))) return false;
  return true;
}

export interface ExtraOutputFormat {
  format: string;
  /** Empty: every source. */
  source: string;
  /** The rule must have all of these tags. */
  tags: readonly string[];
  /** Empty: every rule. */
  rule: string;
}

export interface ExtraOutputField extends ExtraOutputFormat {
  name: string;
  /** Keep the raw (untyped string) value in `output_fields`. */
  raw?: boolean;
}

export interface CompileOptions {
  extraOutputs: readonly ExtraOutputFormat[];
  extraOutputFields: readonly ExtraOutputField[];
  /** Results of earlier loads of the same engine (see CompileCaches); none: compute everything. */
  caches?: CompileCaches;
  /** Bounds on expansion and nesting (the defaults when absent). */
  limits?: LoadLimits;
}

/** The size of an expanded AST counted as a tree (shared subtrees once per use). */
interface Extent {
  readonly nodes: number;
  readonly depth: number;
}

/**
 * Node count and depth of `ast` as a tree, memoised per node in `known`. Expansion shares macro
 * bodies between the conditions that use them (a macro is expanded once), so the tree a rule
 * compiles to can be exponentially larger than the DAG held in memory; this counts it in time
 * linear in the DAG, without recursion.
 */
function extentOf(ast: Node, known: WeakMap<Node, Extent>): Extent {
  const stack: { node: Node; expanded: boolean }[] = [{ node: ast, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (known.has(top.node)) {
      stack.pop();
      continue;
    }
    const children = childrenOf(top.node);
    if (!top.expanded) {
      top.expanded = true;
      for (const c of children) if (!known.has(c)) stack.push({ node: c, expanded: false });
      continue;
    }
    let nodes = 1;
    let depth = 0;
    for (const c of children) {
      const e = known.get(c)!;
      nodes += e.nodes;
      if (e.depth + 1 > depth) depth = e.depth + 1;
    }
    known.set(top.node, { nodes, depth });
    stack.pop();
  }
  return known.get(ast)!;
}

function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of VISITOR_KEYS[node.type] as readonly string[]) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) out.push(...(child as Node[]));
    else if (child) out.push(child as Node);
  }
  return out;
}

export interface CompiledList {
  name: string;
  items: string[];
  used: boolean;
  info: ListInfo;
}

export interface CompiledMacro {
  name: string;
  ast: Ast;
  used: boolean;
  info: MacroInfo;
}

export interface CompiledRule {
  id: number;
  name: string;
  source: string;
  description: string;
  priority: PriorityLevel;
  tags: readonly string[];
  enabled: boolean;
  capture: boolean;
  captureDuration: number;
  /** Condition text after exceptions were appended (before list/macro expansion). */
  conditionText: string;
  /** Condition AST after list and macro expansion. */
  ast: Ast;
  predicate: ConditionPredicate<unknown>;
  /** Event type codes the rule can match, sorted; every code of the source when unrestricted. */
  eventCodes: readonly number[];
  output: string;
  format: CompiledFormat<unknown>;
  extraFields: ReadonlyMap<string, { format: string; compiled: CompiledFormat<unknown>; raw: boolean }>;
  exceptionFields: ReadonlySet<string>;
  info: RuleInfo;
}

export interface CompileOutput {
  lists: CompiledList[];
  macros: CompiledMacro[];
  rules: CompiledRule[];
}

const CONTAINER_INFO = '%container.info';
const TRANSFORMER_VALUE = /^(tolower|toupper|b64|basename|len|join|concat|getopt|val)\s*\(.*\)$/s;

function hasAllTags(ruleTags: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((t) => ruleTags.includes(t));
}

export class RulesCompiler {
  constructor(
    private readonly sources: ReadonlyMap<string, EventSource<unknown>>,
    private readonly result: LoadResult,
    private readonly options: CompileOptions,
  ) {
    this.limits = options.limits ?? DEFAULT_LOAD_LIMITS;
  }

  private readonly limits: LoadLimits;
  /** Sizes of expanded ASTs met in this compilation. */
  private readonly extents = new WeakMap<Node, Extent>();
  /** Macros whose `ast` is already their expansion: a reference shares it as it is. */
  private readonly expandedMacros = new Set<CompiledMacro>();

  /** Compiles everything; records the first error in the result and returns undefined then. */
  compile(collector: Collector): CompileOutput | undefined {
    const steps = this.compileSteps(collector);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** compile, a step per macro and rule (and one for the lists), for loads that share the event loop. */
  *compileSteps(collector: Collector): Generator<void, CompileOutput | undefined> {
    const out: CompileOutput = { lists: [], macros: [], rules: [] };
    try {
      this.compileLists(collector, out);
      yield;
      yield* this.compileMacros(collector, out);
      yield* this.compileRules(collector, out);
    } catch (e) {
      if (e instanceof LoadError) {
        this.result.addError(e.code, e.message, e.context);
        return undefined;
      }
      throw e;
    }
    for (const m of out.macros) {
      if (!m.used) this.result.addWarning('LOAD_UNUSED_MACRO', MSG.unusedMacro, m.info.ctx);
    }
    for (const l of out.lists) {
      if (!l.used) this.result.addWarning('LOAD_UNUSED_LIST', MSG.unusedList, l.info.ctx);
    }
    return out;
  }

  /** Position in the list order, by name, of the lists whose names contain no delimiter. */
  private readonly wordLists = new Map<string, number>();
  /** Positions of the lists whose names contain a delimiter (only warned about): always tried. */
  private readonly scannedLists: number[] = [];

  private compileLists(collector: Collector, out: CompileOutput): void {
    const usedNames = new Set<string>();
    for (const list of collector.lists.values()) {
      const items: string[] = [];
      for (const item of list.items) {
        const ref = collector.lists.get(item);
        if (ref && ref.index < list.visibility) {
          usedNames.add(ref.name);
          if (items.length + ref.items.length > this.limits.maxExpansionNodes) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              `List expands to more than ${this.limits.maxExpansionNodes} items (the expansion limit)`,
              list.ctx,
            );
          }
          for (const x of ref.items) items.push(x);
        } else {
          items.push(item);
        }
      }
      if (isWord(list.name)) this.wordLists.set(list.name, out.lists.length);
      else this.scannedLists.push(out.lists.length);
      out.lists.push({ name: list.name, items, used: false, info: list });
    }
    const byName = new Map(out.lists.map((l) => [l.name, l]));
    for (const name of usedNames) {
      const l = byName.get(name);
      if (l) l.used = true;
    }
  }

  /**
   * The first list at or after position `from` in the list order that substitution could change
   * `text` with, or -1: a list whose name is one of the words of the text (the maximal runs of
   * non-delimiters, which is where substitution replaces a name without delimiters), or a list
   * whose name has delimiters. Every list in between would leave the text as it is.
   */
  private nextListIn(text: string, from: number): number {
    let best = -1;
    for (const i of this.scannedLists) {
      if (i >= from) {
        best = i;
        break;
      }
    }
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length || isDelimiter(text.charCodeAt(i))) {
        if (start !== -1) {
          const at = this.wordLists.get(text.slice(start, i));
          if (at !== undefined && at >= from && (best === -1 || at < best)) best = at;
          start = -1;
        }
      } else if (start === -1) {
        start = i;
      }
    }
    return best;
  }

  /** Lists substituted (in list order, as Falco does), then parsed; syntax errors point into the condition. */
  private parseCondition(condition: string, lists: CompiledList[], ctx: LoadContext): Ast {
    let text = condition;
    let items = 0;
    // The items of a list may bring in names of lists later in the order; those are substituted too.
    for (let next = this.nextListIn(text, 0); next !== -1; next = this.nextListIn(text, next + 1)) {
      const l = lists[next]!;
      const r = substituteList(text, l.name, l.items);
      text = r.text;
      if (r.replaced === 0) continue;
      l.used = true;
      // Each item substituted becomes a node of the condition: bounded before the text grows
      // further (lists naming lists can double it at each one).
      items += r.replaced * l.items.length;
      if (items > this.limits.maxExpansionNodes) {
        throw new LoadError(
          'LOAD_ERR_COMPILE_CONDITION',
          `Condition expands to more than ${this.limits.maxExpansionNodes} list items (the expansion limit)`,
          ctx,
        );
      }
    }
    const cached = this.options.caches?.parsed.get(text);
    if (cached) return cached;
    try {
      const ast = parse(text, { maxDepth: this.limits.maxConditionDepth });
      this.options.caches?.parsed.set(text, ast);
      return ast;
    } catch (e) {
      if (e instanceof FilterSyntaxError) {
        throw new LoadError('LOAD_ERR_COMPILE_CONDITION', e.reason, ctx.inCondition(e.position, text));
      }
      throw e;
    }
  }

  private *compileMacros(collector: Collector, out: CompileOutput): Generator<void, void> {
    const infos = collector.macros.values();
    for (const m of infos) {
      out.macros.push({ name: m.name, ast: this.parseCondition(m.cond, out.lists, m.condCtx), used: false, info: m });
      yield;
    }
    this.macrosByName = new Map(out.macros.map((m) => [m.name, m]));
    for (const m of out.macros) {
      m.ast = this.resolveMacros(m.ast, m.info.cond, m.info.visibility, m.info.ctx);
      this.expandedMacros.add(m);
      extentOf(m.ast, this.extents);
      yield;
    }
  }

  /** The compiled macros by name (collector names are unique), set by compileMacros. */
  private macrosByName: ReadonlyMap<string, CompiledMacro> = new Map();

  /**
   * Replaces macro references with the macro's (already expanded) AST. Only macros whose first
   * definition comes before `visibility` are known. The first unknown macro is an error.
   */
  private resolveMacros(ast: Ast, condition: string, visibility: number, ctx: LoadContext): Ast {
    const known = new VisibleMacros(this.macrosByName, visibility);
    const cached = this.options.caches?.expansions.get(ast);
    if (cached && sameLookups(cached.lookups, known)) {
      for (const name of cached.lookups.keys()) known.get(name)!.used = true;
      return cached.result;
    }
    const lookups = new Map<string, Ast>();
    const result = this.expand(ast, known, lookups, condition, ctx);
    this.options.caches?.expansions.set(ast, { lookups, result });
    return result;
  }

  private expand(ast: Ast, known: VisibleMacros, lookups: Map<string, Ast>, condition: string, ctx: LoadContext): Ast {
    // A macro defined later than the one being expanded (visible to it through an append) is
    // expanded in place, once per expansion; every other macro is already expanded and shared.
    const inPlace = new Map<CompiledMacro, Ast>();
    const resolve = (node: Ast, stack: readonly string[]): Ast =>
      transform(node, {
        [NodeType.Identifier]: (id) => {
          const macro = known.get(id.name);
          if (!macro) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              `Undefined macro '${id.name}' used in filter.`,
              ctx.inCondition(id.loc.start, condition),
            );
          }
          if (stack.includes(id.name)) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              `Reference loop in macro '${id.name}'`,
              ctx.inCondition(id.loc.start, condition),
            );
          }
          macro.used = true;
          lookups.set(id.name, macro.ast);
          if (this.expandedMacros.has(macro)) return macro.ast;
          let body = inPlace.get(macro);
          if (body === undefined) {
            body = resolve(macro.ast, [...stack, id.name]);
            inPlace.set(macro, body);
          }
          return body;
        },
      }) as Ast;
    return resolve(ast, []);
  }

  private *compileRules(collector: Collector, out: CompileOutput): Generator<void, void> {
    for (const r of collector.rules.values()) {
      yield;
      if (r.unknownSource) continue;
      const source = this.sources.get(r.source);
      if (!source) throw new LoadError('LOAD_ERR_VALIDATE', `Unknown source at compile-time${r.source}`, r.ctx);

      let conditionText = r.cond;
      let exceptionFields = new Set<string>();
      if (r.exceptions.length > 0) {
        const ex = appendExceptions(r.cond, r.exceptions);
        conditionText = ex.condition;
        exceptionFields = ex.fields;
      }

      let output = r.output;
      for (const extra of this.options.extraOutputs) {
        if (extra.source !== '' && extra.source !== r.source) continue;
        if (!hasAllTags(r.tags, extra.tags)) continue;
        if (extra.rule !== '' && extra.rule !== r.name) continue;
        output = `${output} ${extra.format}`;
      }
      if (output.includes(CONTAINER_INFO)) {
        this.result.addWarning('LOAD_DEPRECATED_ITEM', MSG.containerInfoDeprecated, r.ctx);
        output = output.split(CONTAINER_INFO).join('');
      }

      const extraFields = new Map<string, { format: string; compiled: CompiledFormat<unknown>; raw: boolean }>();
      const extraFieldFormats: [string, string, boolean][] = [];
      for (const extra of this.options.extraOutputFields) {
        if (extra.source !== '' && extra.source !== r.source) continue;
        if (!hasAllTags(r.tags, extra.tags)) continue;
        if (extra.rule !== '' && extra.rule !== r.name) continue;
        extraFieldFormats.push([extra.name, extra.format, extra.raw ?? false]);
      }

      let format: CompiledFormat<unknown>;
      try {
        format = this.compileFormatCached(output, source);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (r.skipIfUnknownFilter && isUnknownTypeOrField(message)) {
          this.result.addWarning('LOAD_UNKNOWN_FILTER', message, r.outputCtx);
          continue;
        }
        throw new LoadError('LOAD_ERR_COMPILE_OUTPUT', message, r.outputCtx);
      }
      this.warnDeprecatedInOutput(output, r.outputCtx);
      for (const [name, fmt, raw] of extraFieldFormats) {
        try {
          extraFields.set(name, { format: fmt, compiled: this.compileFormatCached(fmt, source), raw });
        } catch (e) {
          throw new LoadError('LOAD_ERR_COMPILE_OUTPUT', e instanceof Error ? e.message : String(e), r.outputCtx);
        }
        this.warnDeprecatedInOutput(fmt, r.outputCtx);
      }

      let ast = this.parseCondition(conditionText, out.lists, r.condCtx);
      ast = this.resolveMacros(ast, conditionText, Number.MAX_SAFE_INTEGER, r.ctx);
      this.checkExpansion(ast, r.condCtx);
      this.report(this.conditionWarnings(ast), conditionText, r.condCtx);

      const checks = this.sourceChecks(ast, source);
      const unknownType = checks.unknownType;
      let predicate: ConditionPredicate<unknown>;
      try {
        if (unknownType) throw new FilterCompileError('FILTER_VALUE', `unknown event type ${unknownType.name}`, unknownType.position, conditionText);
        const compiled = this.compileCached(ast, source.fields as FieldRegistry<unknown>);
        predicate = compiled.predicate;
        this.report(checks.valueWarnings, conditionText, r.condCtx);
        for (const w of compiled.warnings) {
          // Falco words this one itself (see warnValuesLookingLikeFields).
          if (w.code === 'FIELD_NAME_AS_VALUE') continue;
          this.result.addWarning('LOAD_COMPILE_CONDITION', w.message, r.condCtx.inCondition(w.position, conditionText));
        }
      } catch (e) {
        if (!(e instanceof FilterCompileError)) throw e;
        const ctx = r.condCtx.inCondition(e.position, conditionText);
        if (isUnknownTypeOrField(e.reason) && r.skipIfUnknownFilter) {
          this.result.addWarning('LOAD_UNKNOWN_FILTER', e.reason, ctx);
          continue;
        }
        throw new LoadError('LOAD_ERR_COMPILE_CONDITION', e.reason, ctx);
      }

      const codes = cachedByAst(this.options.caches?.eventCodes, ast, source, () => eventCodesOf(ast, source));
      if (source.eventTypeFields.length > 0 && codes.length > 100 && r.warnEvttypes) {
        this.result.addWarning('LOAD_NO_EVTTYPE', MSG.noEvttype, r.ctx);
      }

      out.rules.push({
        id: out.rules.length,
        name: r.name,
        source: r.source,
        description: r.desc,
        priority: r.priority,
        tags: r.tags,
        enabled: r.enabled,
        capture: r.capture,
        captureDuration: r.captureDuration,
        conditionText,
        ast,
        predicate,
        eventCodes: codes as number[],
        output,
        format,
        extraFields,
        exceptionFields,
        info: r,
      });
    }
  }

  /** A rule's expanded condition within the expansion and depth limits, before anything walks it. */
  private checkExpansion(ast: Ast, ctx: LoadContext): void {
    const { nodes, depth } = extentOf(ast, this.extents);
    if (nodes > this.limits.maxExpansionNodes) {
      throw new LoadError(
        'LOAD_ERR_COMPILE_CONDITION',
        `Condition expands to ${nodes} nodes, more than ${this.limits.maxExpansionNodes} (the expansion limit)`,
        ctx,
      );
    }
    if (depth > this.limits.maxConditionDepth) {
      throw new LoadError(
        'LOAD_ERR_COMPILE_CONDITION',
        `Condition nests ${depth} levels deep once its macros are expanded, more than ${this.limits.maxConditionDepth} (the nesting limit)`,
        ctx,
      );
    }
  }

  /** compileCondition, reusing the result for an expanded AST compiled before (in an earlier load). */
  private compileCached(ast: Ast, registry: FieldRegistry<unknown>): CompiledCondition<unknown> {
    return cachedByAst(this.options.caches?.conditions, ast, registry, () => compileCondition(ast, registry));
  }

  /** compileFormat, reusing an earlier successful compilation of the same text for the source. */
  private compileFormatCached(format: string, source: EventSource<unknown>): CompiledFormat<unknown> {
    const caches = this.options.caches;
    if (!caches) return compileFormat(format, source);
    let bySource = caches.formats.get(source);
    const hit = bySource?.get(format);
    if (hit) return hit;
    const compiled = compileFormat(format, source);
    if (!bySource) {
      bySource = new Map();
      caches.formats.set(source, bySource);
    }
    bySource.set(format, compiled);
    return compiled;
  }

  /** Adds positioned condition warnings to the result, in the rule's condition context. */
  private report(warnings: readonly PositionedWarning[], condition: string, ctx: LoadContext): void {
    for (const w of warnings) this.result.addWarning(w.code, w.message, ctx.inCondition(w.position, condition));
  }

  private conditionWarnings(ast: Ast): readonly PositionedWarning[] {
    const cache = this.options.caches?.conditionWarnings;
    let warnings = cache?.get(ast);
    if (!warnings) {
      warnings = findConditionWarnings(ast);
      cache?.set(ast, warnings);
    }
    return warnings;
  }

  private sourceChecks(ast: Ast, source: EventSource<unknown>): { valueWarnings: readonly PositionedWarning[]; unknownType: UnknownEventType | undefined } {
    return cachedByAst(this.options.caches?.sourceChecks, ast, source, () => ({
      valueWarnings: findValuesLookingLikeFields(ast, source),
      unknownType: findUnknownEventType(ast, source),
    }));
  }

  private warnDeprecatedInOutput(format: string, ctx: LoadContext): void {
    for (const field of DEPRECATED_FIELDS.keys()) {
      if (format.includes(field)) {
        this.result.addWarning(
          'LOAD_DEPRECATED_ITEM',
          `usage of deprecated field '${field}' has been detected in the rule output`,
          ctx,
        );
      }
    }
  }

}

/**
 * Deprecated fields and `<NA>` comparisons in a (resolved) condition, in the order a walk of the
 * whole tree meets them: each check, then the fields of its operands. (Fields stand only in
 * checks' operands, so list items are never visited.)
 */
function findConditionWarnings(ast: Ast): PositionedWarning[] {
  const out: PositionedWarning[] = [];
  const seen = new Set<string>();
  const deprecated = (node: Node): void => {
    if (node.type === NodeType.Field && DEPRECATED_FIELDS.has(node.name) && !seen.has(node.name)) {
      seen.add(node.name);
      out.push({ code: 'LOAD_DEPRECATED_ITEM', message: DEPRECATED_FIELDS.get(node.name)!, position: node.loc.start });
    }
  };
  walkChecks(ast, (node) => {
    if (node.type === NodeType.BinaryCheck) {
      const r = node.right;
      const isNa =
        (r.type === NodeType.Value && r.value === '<NA>') ||
        (r.type === NodeType.List && r.items.some((i) => i.value === '<NA>'));
      if (isNa) {
        out.push({
          code: 'LOAD_UNSAFE_NA_CHECK',
          message:
            "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
          position: node.loc.start,
        });
      }
      walk(node.left, deprecated);
      if (r.type === NodeType.Transformer) walk(r, deprecated);
    } else {
      walk(node.left, deprecated);
    }
  });
  return out;
}

/**
 * A right-hand value that reads as a field name (or a transformer call) was probably meant as
 * one; Falco warns, checking the value with surrounding blanks removed.
 */
function findValuesLookingLikeFields(ast: Ast, source: EventSource<unknown>): PositionedWarning[] {
  const out: PositionedWarning[] = [];
  walkChecks(ast, (node) => {
    if (node.type !== NodeType.BinaryCheck) return;
    const values = node.right.type === NodeType.Value ? [node.right] : node.right.type === NodeType.List ? node.right.items : [];
    for (const v of values) {
      const stripped = v.value.trim();
      if (stripped === '') continue;
      const bare = stripped.replace(/\[.*\]$/s, '');
      if (source.fields.get(stripped) !== undefined || (bare !== stripped && source.fields.get(bare) !== undefined)) {
        out.push({ code: 'LOAD_COMPILE_CONDITION', message: `'${v.value}' may be a valid field misused as a const string value`, position: v.loc.start });
      } else if (TRANSFORMER_VALUE.test(stripped)) {
        out.push({
          code: 'LOAD_COMPILE_CONDITION',
          message: `'${v.value}' may be a valid field transformer misused as a const string value`,
          position: v.loc.start,
        });
      }
    }
  });
  return out;
}

/** The first `evt.type` comparison value that names no event type of the source. */
function findUnknownEventType(ast: Ast, source: EventSource<unknown>): UnknownEventType | undefined {
  if (source.eventTypeFields.length === 0) return undefined;
  let found: UnknownEventType | undefined;
  walkChecks(ast, (node) => {
    if (found || node.type !== NodeType.BinaryCheck) return;
    if (node.left.type !== NodeType.Field || !source.eventTypeFields.includes(node.left.name)) return;
    const values =
      node.right.type === NodeType.Value ? [node.right] : node.right.type === NodeType.List ? node.right.items : [];
    for (const v of values) {
      if (source.eventTypes.codesForName(v.value).length === 0) {
        found = { name: v.value, position: v.loc.start };
        return;
      }
    }
  });
  return found;
}

function isUnknownTypeOrField(message: string): boolean {
  return (
    message.includes('nonexistent field') ||
    message.includes('invalid formatting token') ||
    message.includes('unknown event type')
  );
}

/** The compiled (expanded) condition as Falco prints it in `condition_compiled`. */
export function printCondition(ast: Expr): string {
  return print(ast);
}
