/**
 * Accumulates lists, macros and rules across the files of one engine, applying redefinitions,
 * appends and selective replaces with Falco's rules. A redefinition keeps the position (index) of
 * the first definition; every definition or update moves the item's visibility forward, which
 * decides which lists and macros it may refer to.
 */
import type { LoadContext } from './context';
import { LoadError } from './load-error';
import { ENGINE_VERSION, formatVersion, isCompatible, parseVersion, type Version } from './versions';
import { MSG } from './messages';
import {
  entryIsValid,
  type ExceptionInfo,
  type ListInfo,
  type MacroInfo,
  type PluginRequirement,
  type PluginVersionInfo,
  type RuleInfo,
  type RuleUpdateInfo,
} from './infos';
import { isSupportedComparison } from './operators';

/** What the collector needs to know about the sources the engine has. */
export interface SourceCatalog {
  has(source: string): boolean;
  isFieldDefined(source: string, field: string): boolean;
}

class OrderedMap<T extends { name: string }> {
  private readonly byName = new Map<string, T>();
  private readonly order: T[] = [];
  get(name: string): T | undefined {
    return this.byName.get(name);
  }
  insert(item: T): void {
    this.byName.set(item.name, item);
    this.order.push(item);
  }
  replace(prev: T, item: T): void {
    const i = this.order.indexOf(prev);
    this.order[i] = item;
    this.byName.set(item.name, item);
  }
  values(): readonly T[] {
    return this.order;
  }
}

export class Collector {
  private index = 0;
  readonly lists = new OrderedMap<ListInfo>();
  readonly macros = new OrderedMap<MacroInfo>();
  readonly rules = new OrderedMap<RuleInfo>();
  readonly pluginRequirements: PluginRequirement[][] = [];
  requiredEngineVersion: Version | undefined;

  constructor(private readonly sources: SourceCatalog) {}

  private define<T extends ListInfo | MacroInfo | RuleInfo>(map: OrderedMap<T>, info: T): void {
    const id = this.index++;
    const prev = map.get(info.name);
    if (prev) {
      info.index = prev.index;
      info.visibility = id;
      map.replace(prev, info);
    } else {
      info.index = id;
      info.visibility = id;
      map.insert(info);
    }
  }

  defineEngineVersion(version: Version, ctx: LoadContext): void {
    const engine = parseVersion(ENGINE_VERSION)!;
    if (!isCompatible(engine, version)) {
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        `Rules require engine version ${formatVersion(version)}, but engine version is ${ENGINE_VERSION}`,
        ctx,
      );
    }
    if (!this.requiredEngineVersion || compare(this.requiredEngineVersion, version) < 0) {
      this.requiredEngineVersion = version;
    }
  }

  definePluginVersions(info: PluginVersionInfo): void {
    const seen = new Set<string>();
    for (const req of info.alternatives) {
      if (!parseVersion(req.version)) {
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          `Invalid required version '${req.version}' for plugin '${req.name}'`,
          info.ctx,
        );
      }
      if (seen.has(req.name)) {
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          `Defined multiple alternative version requirements for plugin '${req.name}'`,
          info.ctx,
        );
      }
      seen.add(req.name);
    }
    this.pluginRequirements.push(info.alternatives);
  }

  defineList(info: ListInfo): void {
    this.define(this.lists, info);
  }

  appendList(info: ListInfo): void {
    const prev = this.lists.get(info.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', MSG.noPreviousList, info.ctx);
    prev.items.push(...info.items);
    prev.visibility = this.index++;
  }

  defineMacro(info: MacroInfo): void {
    this.define(this.macros, info);
  }

  appendMacro(info: MacroInfo): void {
    const prev = this.macros.get(info.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', MSG.noPreviousMacro, info.ctx);
    prev.cond += ' ' + info.cond;
    prev.visibility = this.index++;
  }

  defineRule(info: RuleInfo): void {
    const prev = this.rules.get(info.name);
    if (prev && prev.source !== info.source) {
      throw new LoadError('LOAD_ERR_VALIDATE', 'Rule has been re-defined with a different source', info.ctx);
    }
    const known = this.sources.has(info.source);
    if (!known) info.unknownSource = true;
    for (const ex of info.exceptions) {
      if (!entryIsValid(ex.fields)) {
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          'Rule exception item must have fields property with a list of fields',
          ex.ctx,
        );
      }
      this.validateException(known ? info.source : undefined, ex);
    }
    this.define(this.rules, info);
  }

  /** Reports the unknown-source warning once the rule is accepted (the reader owns the result). */
  isKnownSource(source: string): boolean {
    return this.sources.has(source);
  }

  appendRule(info: RuleUpdateInfo): void {
    const prev = this.rules.get(info.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', MSG.noPreviousRuleAppend, info.ctx);
    checkSameSource(prev, info);
    if (!hasAnyValue(info)) {
      throw new LoadError('LOAD_ERR_VALIDATE', 'Appended rule must have exceptions or condition property', info.ctx);
    }
    const source = prev.unknownSource ? undefined : prev.source;
    if (info.cond !== undefined && info.cond !== '') prev.cond += ' ' + info.cond;
    if (info.output !== undefined && info.output !== '') prev.output += ' ' + info.output;
    if (info.desc !== undefined && info.desc !== '') prev.desc += ' ' + info.desc;
    if (info.tags) prev.tags = sortedUnique([...prev.tags, ...info.tags]);
    if (info.exceptions) {
      for (const ex of info.exceptions) {
        const prevEx = prev.exceptions.find((e) => e.name === ex.name);
        if (!prevEx) {
          if (!entryIsValid(ex.fields)) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              'Rule exception must have fields property with a list of fields',
              ex.ctx,
            );
          }
          if (ex.values.length === 0) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              'Rule exception must have values property with a list of values',
              ex.ctx,
            );
          }
          this.validateException(source, ex);
          prev.exceptions.push(ex);
        } else {
          if (entryIsValid(ex.fields)) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              'Can not append exception fields to existing exception, only values',
              ex.ctx,
            );
          }
          if (entryIsValid(ex.comps)) {
            throw new LoadError(
              'LOAD_ERR_VALIDATE',
              'Can not append exception comps to existing exception, only values',
              ex.ctx,
            );
          }
          prevEx.values.push(...ex.values);
        }
      }
    }
    prev.visibility = this.index++;
  }

  replaceRule(info: RuleUpdateInfo): void {
    const prev = this.rules.get(info.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', MSG.noPreviousRuleReplace, info.ctx);
    checkSameSource(prev, info);
    if (!hasAnyValue(info)) {
      throw new LoadError('LOAD_ERR_VALIDATE', 'The rule must have at least one field that can be replaced', info.ctx);
    }
    const source = prev.unknownSource ? undefined : prev.source;
    if (info.cond !== undefined) prev.cond = info.cond;
    if (info.output !== undefined) prev.output = info.output;
    if (info.desc !== undefined) prev.desc = info.desc;
    if (info.tags !== undefined) prev.tags = sortedUnique(info.tags);
    if (info.exceptions !== undefined) {
      for (const ex of info.exceptions) this.validateException(source, ex);
      prev.exceptions = info.exceptions;
    }
    if (info.priority !== undefined) prev.priority = info.priority;
    if (info.enabled !== undefined) prev.enabled = info.enabled;
    if (info.warnEvttypes !== undefined) prev.warnEvttypes = info.warnEvttypes;
    if (info.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = info.skipIfUnknownFilter;
    if (info.capture !== undefined) prev.capture = info.capture;
    if (info.captureDuration !== undefined) prev.captureDuration = info.captureDuration;
    prev.visibility = this.index++;
  }

  /** The deprecated form: a rule item with only `enabled` toggles an earlier rule. */
  enableRule(name: string, enabled: boolean, ctx: LoadContext): void {
    const prev = this.rules.get(name);
    if (!prev) {
      throw new LoadError('LOAD_ERR_VALIDATE', "Rule has 'enabled' key but no rule by that name already exists", ctx);
    }
    prev.enabled = enabled;
  }

  private validateException(source: string | undefined, ex: ExceptionInfo): void {
    const fields = ex.fields;
    if (!fields) return;
    if (fields.isList) {
      if (!entryIsValid(ex.comps)) {
        ex.comps = { isList: true, item: '', items: fields.items.map(() => ({ isList: false, item: '=', items: [] })) };
      }
      const comps = ex.comps!;
      if (fields.items.length !== comps.items.length) {
        throw new LoadError('LOAD_ERR_VALIDATE', 'Fields and comps lists must have equal length', ex.ctx);
      }
      for (const c of comps.items) {
        if (!isSupportedComparison(c.item)) {
          throw new LoadError('LOAD_ERR_VALIDATE', `'${c.item}' is not a supported comparison operator`, ex.ctx);
        }
      }
      if (source !== undefined) {
        for (const f of fields.items) {
          if (!this.sources.isFieldDefined(source, exceptionFieldName(f.item))) {
            throw new LoadError('LOAD_ERR_VALIDATE', `'${f.item}' is not a supported filter field`, ex.ctx);
          }
        }
      }
    } else {
      if (!entryIsValid(ex.comps)) ex.comps = { isList: false, item: 'in', items: [] };
      const comps = ex.comps!;
      if (comps.isList) {
        throw new LoadError('LOAD_ERR_VALIDATE', 'Fields and comps must both be strings', ex.ctx);
      }
      if (comps.item !== 'in' && comps.item !== 'pmatch' && comps.item !== 'intersects') {
        throw new LoadError(
          'LOAD_ERR_VALIDATE',
          'When fields is a single value, comps must be one of (in, pmatch, intersects)',
          ex.ctx,
        );
      }
      if (source !== undefined && !this.sources.isFieldDefined(source, exceptionFieldName(fields.item))) {
        throw new LoadError('LOAD_ERR_VALIDATE', `'${fields.item}' is not a supported filter field`, ex.ctx);
      }
    }
  }
}

const TRANSFORMER_CALL = /^\s*(tolower|toupper|b64|basename|len)\s*\(\s*(.*?)\s*\)\s*$/s;

/** The field an exception's `fields` entry names, looking through transformers. */
export function exceptionFieldName(expr: string): string {
  let e = expr;
  for (let m = TRANSFORMER_CALL.exec(e); m; m = TRANSFORMER_CALL.exec(e)) e = m[2]!;
  return e.trim();
}

function checkSameSource(prev: RuleInfo, info: RuleUpdateInfo): void {
  if (info.source !== undefined && info.source !== prev.source) {
    throw new LoadError('LOAD_ERR_VALIDATE', 'Rule has been re-defined with a different source', info.ctx);
  }
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function hasAnyValue(info: RuleUpdateInfo): boolean {
  return (
    info.cond !== undefined ||
    info.output !== undefined ||
    info.desc !== undefined ||
    info.tags !== undefined ||
    info.exceptions !== undefined ||
    info.priority !== undefined ||
    info.enabled !== undefined ||
    info.warnEvttypes !== undefined ||
    info.skipIfUnknownFilter !== undefined ||
    info.capture !== undefined ||
    info.captureDuration !== undefined
  );
}

export function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
