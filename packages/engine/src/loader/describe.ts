/**
 * The engine description `falco -L`/`--list` prints as JSON: required versions, and for every
 * rule, macro and list its definition (`info`) and what compilation made of it (`details`). Keys
 * are in alphabetical order, as Falco's JSON library emits them.
 */
import { NodeType, parse, print, walk, type Ast, type Node } from '@falco-ts/filter-lang';
import type { EventSource } from '../source';
import type { Collector } from './collector';
import type { CompileOutput, CompiledMacro, CompiledRule } from './compiler';
import { eventCodesOf } from '../ruleset/evttypes';
import { priorityName } from '@falco-ts/alert';
import { formatVersion } from './versions';

export interface RuleDescription {
  details: {
    condition_compiled: string;
    condition_fields: string[];
    condition_operators: string[];
    events: string[];
    exception_fields: string[];
    exception_names: string[];
    exception_operators: string[];
    extra_output_formatted_fields: Record<string, string>;
    lists: string[];
    macros: string[];
    output_compiled: string;
    output_fields: string[];
    plugins: string[];
  };
  info: {
    capture: boolean;
    capture_duration: number;
    condition: string;
    description: string;
    enabled: boolean;
    name: string;
    output: string;
    priority: string;
    source: string;
    tags: string[];
  };
}

export interface MacroDescription {
  details: {
    condition_compiled: string;
    condition_fields: string[];
    condition_operators: string[];
    events: string[];
    lists: string[];
    macros: string[];
    plugins: string[];
    used: boolean;
  };
  info: { condition: string; name: string };
}

export interface ListDescription {
  details: { items_compiled: string[]; lists: string[]; plugins: string[]; used: boolean };
  info: { items: string[]; name: string };
}

export interface EngineDescription {
  lists: ListDescription[];
  macros: MacroDescription[];
  required_engine_version: string;
  required_plugin_versions: { alternatives: { name: string; version: string }[]; name: string; version: string }[];
  rules: RuleDescription[];
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Fields and operators of a (compiled) condition. */
function conditionDetails(ast: Ast): { fields: string[]; operators: string[] } {
  const fields: string[] = [];
  const operators: string[] = [];
  walk(ast, (n: Node) => {
    if (n.type === NodeType.Field) fields.push(n.arg === undefined ? n.name : `${n.name}[${n.arg}]`);
    if (n.type === NodeType.BinaryCheck) operators.push(n.modifier ? `${n.operator} ${n.modifier}` : n.operator);
    if (n.type === NodeType.UnaryCheck) operators.push(n.operator);
  });
  return { fields: sorted(fields), operators: sorted(operators) };
}

/** Macro and list names referenced by the condition as written. */
function references(condition: string, collector: Collector): { macros: string[]; lists: string[] } {
  const macros: string[] = [];
  const lists: string[] = [];
  let ast: Ast;
  try {
    ast = parse(condition, { maxDepth: 1000 });
  } catch {
    return { macros, lists };
  }
  walk(ast, (n: Node) => {
    if (n.type === NodeType.Identifier && collector.macros.get(n.name)) macros.push(n.name);
    if (n.type === NodeType.Value && !n.quoted && collector.lists.get(n.value)) lists.push(n.value);
  });
  return { macros: sorted(macros), lists: sorted(lists) };
}

/**
 * What a loaded plugin contributes, for `details.plugins`: the source it implements (if any) and
 * the fields it extracts. The built-in container, k8saudit and json support is described this way.
 */
export interface DescribedPlugin {
  readonly name: string;
  readonly source?: string;
  readonly fields: readonly string[];
}

/**
 * Event names a rule can match. Sources with event types list them (plus `asyncevent`, which
 * every such rule may also see); others list the plugin and async event types, as Falco does.
 */
function eventNames(ast: Ast, source: EventSource<unknown> | undefined): string[] {
  if (!source || source.eventTypeFields.length === 0) return ['asyncevent', 'pluginevent'];
  const names = eventCodesOf(ast, source).map((c) => source.eventTypes.nameOfCode(c) ?? String(c));
  return sorted([...names, 'asyncevent']);
}

/** Plugins a rule uses: the one implementing its source, or those extracting one of its fields. */
function usedPlugins(source: string, fields: readonly string[], plugins: readonly DescribedPlugin[]): string[] {
  const names = new Set(fields.map((f) => f.replace(/\[.*$/s, '')));
  const used: string[] = [];
  for (const p of plugins) {
    if (p.source === source || p.fields.some((f) => names.has(f))) used.push(p.name);
  }
  return sorted(used);
}

function describeRule(
  r: CompiledRule,
  collector: Collector,
  sources: ReadonlyMap<string, EventSource<unknown>>,
  plugins: readonly DescribedPlugin[],
): RuleDescription {
  const refs = references(r.info.cond, collector);
  const cond = conditionDetails(r.ast);
  const exceptionOperators: string[] = [];
  for (const e of r.info.exceptions) {
    if (!e.comps) continue;
    if (e.comps.isList) for (const c of e.comps.items) exceptionOperators.push(...(c.isList ? c.items.map((i) => i.item) : [c.item]));
    else exceptionOperators.push(e.comps.item);
  }
  const extra: Record<string, string> = {};
  for (const [name, f] of [...r.extraFields.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) extra[name] = f.format;
  return {
    details: {
      condition_compiled: print(r.ast),
      condition_fields: cond.fields,
      condition_operators: cond.operators,
      events: eventNames(r.ast, sources.get(r.source)),
      exception_fields: sorted(r.exceptionFields),
      exception_names: sorted(r.info.exceptions.map((e) => e.name)),
      exception_operators: sorted(exceptionOperators),
      extra_output_formatted_fields: extra,
      lists: refs.lists,
      macros: refs.macros,
      output_compiled: r.output,
      output_fields: [...r.format.fieldNames],
      plugins: usedPlugins(r.source, [...cond.fields, ...r.format.fieldNames], plugins),
    },
    info: {
      capture: r.capture,
      capture_duration: r.captureDuration,
      condition: r.info.cond,
      description: r.description,
      enabled: r.info.enabled,
      name: r.name,
      output: r.info.output,
      priority: priorityName(r.priority),
      source: r.source,
      tags: [...r.tags],
    },
  };
}

function describeMacro(m: CompiledMacro, collector: Collector, sources: ReadonlyMap<string, EventSource<unknown>>): MacroDescription {
  const refs = references(m.info.cond, collector);
  const cond = conditionDetails(m.ast);
  return {
    details: {
      condition_compiled: print(m.ast),
      condition_fields: cond.fields,
      condition_operators: cond.operators,
      events: eventNames(m.ast, sources.get('syscall')),
      lists: refs.lists,
      macros: refs.macros,
      plugins: [],
      used: m.used,
    },
    info: { condition: m.info.cond, name: m.name },
  };
}

export function describeEngine(
  collector: Collector,
  compiled: CompileOutput,
  sources: ReadonlyMap<string, EventSource<unknown>>,
  plugins: readonly DescribedPlugin[] = [],
): EngineDescription {
  const v = collector.requiredEngineVersion;
  return {
    lists: compiled.lists.map((l) => {
      const items: string[] = [];
      const lists: string[] = [];
      for (const i of l.info.items) {
        if (!l.items.includes(i)) lists.push(i);
        else items.push(i);
      }
      return {
        details: { items_compiled: [...l.items], lists: sorted(lists), plugins: [], used: l.used },
        info: { items, name: l.name },
      };
    }),
    macros: compiled.macros.map((m) => describeMacro(m, collector, sources)),
    required_engine_version: v ? formatVersion(v) : '0.0.0',
    required_plugin_versions: collector.pluginRequirements.map((req) => ({
      alternatives: req.slice(1).map((a) => ({ name: a.name, version: a.version })),
      name: req[0]!.name,
      version: req[0]!.version,
    })),
    rules: compiled.rules.map((r) => describeRule(r, collector, sources, plugins)),
  };
}
