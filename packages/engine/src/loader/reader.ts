/**
 * Reads the YAML of one rules file into the collector, item by item, with Falco's validation
 * rules and messages. The first error stops the file (thrown as LoadError); warnings are added to
 * the result as they are found.
 */
import type { YAMLMap } from 'yaml';
import type { LoadContext } from './context';
import type { Collector } from './collector';
import { sortedUnique } from './collector';
import { LoadError } from './load-error';
import { MSG, type ItemType } from './messages';
import { parsePriority, type PriorityLevel } from '@falco-ts/alert';
import type { LoadResult } from './result';
import type { ExceptionEntry, ExceptionInfo, ListInfo, MacroInfo, RuleInfo, RuleUpdateInfo } from './infos';
import { parseVersion, type Version } from './versions';
import {
  decodeBool,
  decodeInt,
  decodeUint,
  isMapNode,
  isNullNode,
  isScalarNode,
  isSeqNode,
  mapEntries,
  mapGet,
  scalarText,
  seqItems,
  type YamlNode,
} from './yaml-nodes';

const LIST_NAME_PATTERN = `([^()"'[:space:]=,]+)`;
const MACRO_NAME_PATTERN = '([a-zA-Z]+[a-zA-Z0-9_]*)';
const LIST_NAME_RE = /^[^()"'\s=,]+$/;
const MACRO_NAME_RE = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;

const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const RULE_KEYS = new Set([
  'rule', 'desc', 'condition', 'output', 'priority', 'source', 'enabled', 'tags', 'exceptions', 'append',
  'override', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration',
]);
const RULE_APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const RULE_REPLACEABLE = new Set([
  'condition', 'output', 'desc', 'priority', 'tags', 'exceptions', 'enabled', 'warn_evttypes',
  'skip-if-unknown-filter', 'capture', 'capture_duration',
]);

type PositionOf = (node: YamlNode | null | undefined) => { offset: number; line: number; column: number };

function fail(message: string, ctx: LoadContext): never {
  throw new LoadError('LOAD_ERR_YAML_VALIDATE', message, ctx);
}

export class RulesReader {
  constructor(
    private readonly collector: Collector,
    private readonly result: LoadResult,
    private readonly positionOf: PositionOf,
  ) {}

  private ctxOf(node: YamlNode | null | undefined, type: ItemType, name: string, parent: LoadContext): LoadContext {
    return parent.child(this.positionOf(node), type, name);
  }

  /** Reads a document's items. Throws LoadError at the first error. */
  readDocument(doc: YamlNode, fileCtx: LoadContext): void {
    for (const _ of this.readDocumentSteps(doc, fileCtx));
  }

  /** readDocument one item at a time (a step per item), for loads that share the event loop. */
  *readDocumentSteps(doc: YamlNode, fileCtx: LoadContext): Generator<void, void> {
    if (!isMapNode(doc) && !isSeqNode(doc)) fail('Rules content is not yaml', fileCtx);
    if (!isSeqNode(doc)) fail('Rules content is not yaml array of objects', fileCtx);
    for (const item of seqItems(doc)) {
      if (item === null || isNullNode(item)) continue;
      this.readItem(item, fileCtx);
      yield;
    }
  }

  private readItem(item: YamlNode, parent: LoadContext): void {
    if (!isMapNode(item)) {
      fail(
        'Unexpected element type. Each element should be a yaml associative array.',
        this.ctxOf(item, 'rules content item', '', parent),
      );
    }
    if (mapGet(item, 'required_engine_version') !== undefined) {
      this.readEngineVersion(item, parent);
    } else if (mapGet(item, 'required_plugin_versions') !== undefined) {
      this.readPluginVersions(item, parent);
    } else if (mapGet(item, 'list') !== undefined) {
      this.readList(item, parent);
    } else if (mapGet(item, 'macro') !== undefined) {
      this.readMacro(item, parent);
    } else if (mapGet(item, 'rule') !== undefined) {
      this.readRule(item, parent);
    } else {
      this.result.addWarning('LOAD_UNKNOWN_ITEM', 'Unknown top level item', this.ctxOf(item, 'rules content item', '', parent));
    }
  }

  // --- scalar decoding with Falco's messages -------------------------------------------------

  /** The text of a required (or, with `optional`, possibly absent) non-empty scalar. */
  private scalar(item: YAMLMap, key: string, ctx: LoadContext, optional: boolean): { text: string; node: YamlNode; ctx: () => LoadContext } | undefined {
    const val = mapGet(item, key);
    if (val === undefined) {
      if (optional) return undefined;
      fail(`Item has no mapping for key '${key}'`, ctx);
    }
    if (isNullNode(val)) fail(`Mapping for key '${key}' is empty`, ctx);
    // The value's context only when a diagnostic needs it (most scalars are fine).
    const valCtx = (): LoadContext => this.ctxOf(val, 'value for', key, ctx);
    if (!isScalarNode(val)) fail('Value is not a scalar value', valCtx());
    const text = scalarText(val);
    if (text === '') fail('Value must be non-empty', valCtx());
    return { text, node: val, ctx: valCtx };
  }

  private string(item: YAMLMap, key: string, ctx: LoadContext): string {
    return this.scalar(item, key, ctx, false)!.text;
  }

  private optionalString(item: YAMLMap, key: string, ctx: LoadContext): string | undefined {
    return this.scalar(item, key, ctx, true)?.text;
  }

  private optionalBool(item: YAMLMap, key: string, ctx: LoadContext): boolean | undefined {
    const s = this.scalar(item, key, ctx, true);
    if (!s) return undefined;
    const b = decodeBool(s.text);
    if (b === undefined) fail("Can't decode YAML scalar value", s.ctx());
    return b;
  }

  private bool(item: YAMLMap, key: string, ctx: LoadContext): boolean {
    const s = this.scalar(item, key, ctx, false)!;
    const b = decodeBool(s.text);
    if (b === undefined) fail("Can't decode YAML scalar value", s.ctx());
    return b;
  }

  private optionalInt(item: YAMLMap, key: string, ctx: LoadContext): number | undefined {
    const s = this.scalar(item, key, ctx, true);
    if (!s) return undefined;
    const n = decodeInt(s.text);
    if (n === undefined) fail("Can't decode YAML scalar value", s.ctx());
    return n;
  }

  /** A required sequence of scalars (`items`) or an optional one (`tags`). */
  private scalarSeq(item: YAMLMap, key: string, ctx: LoadContext, optional: boolean): string[] | undefined {
    const val = mapGet(item, key);
    if (val === undefined) {
      if (optional) return undefined;
      fail(`Item has no mapping for key '${key}'`, ctx);
    }
    const valCtx = this.ctxOf(val, 'value for', key, ctx);
    if (!isSeqNode(val)) fail('Value is not a sequence', valCtx);
    const out: string[] = [];
    for (const v of seqItems(val)) {
      // The item's context only when it is needed (lists have thousands of items).
      if (!isScalarNode(v)) fail('sequence value is not scalar', this.ctxOf(v, 'list item', '', valCtx));
      out.push(scalarText(v));
    }
    return out;
  }

  private warnUnknownKeys(item: YAMLMap, known: ReadonlySet<string>, ctx: LoadContext): void {
    for (const { key, keyNode } of mapEntries(item)) {
      if (!known.has(key)) {
        this.result.addWarning('LOAD_UNKNOWN_KEY', `Unknown key '${key}'`, this.ctxOf(keyNode, 'value for', key, ctx));
      }
    }
  }

  /** The `override` mapping: which keys are appended and which replaced. */
  private overrides(
    item: YAMLMap,
    appendable: ReadonlySet<string>,
    replaceable: ReadonlySet<string>,
    ctx: LoadContext,
  ): { append: Set<string>; replace: Set<string> } {
    const append = new Set<string>();
    const replace = new Set<string>();
    const val = mapGet(item, 'override');
    if (val === undefined) return { append, replace };
    const overrideCtx = this.ctxOf(item, 'overrides', '', ctx);
    if (!isMapNode(val)) fail('Value is not a map', this.ctxOf(val, 'value for', 'override', ctx));
    for (const { key, keyNode, value } of mapEntries(val)) {
      const op = value && isScalarNode(value) ? scalarText(value) : '';
      if (op === 'append') {
        if (!appendable.has(key)) {
          fail(`Key '${key}' cannot be appended to, use 'replace' instead`, this.ctxOf(keyNode, 'overrides', key, overrideCtx));
        }
        append.add(key);
      } else if (op === 'replace') {
        if (!replaceable.has(key)) fail(`Key '${key}' cannot be replaced`, this.ctxOf(keyNode, 'overrides', key, overrideCtx));
        replace.add(key);
      } else {
        let allowed = '';
        if (appendable.has(key)) allowed += 'append ';
        if (replaceable.has(key)) allowed += 'replace ';
        fail(
          `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`,
          this.ctxOf(value, 'value for', key, overrideCtx),
        );
      }
    }
    return { append, replace };
  }

  // --- items ------------------------------------------------------------------------------------

  private readEngineVersion(item: YAMLMap, parent: LoadContext): void {
    const ctx = this.ctxOf(item, 'required_engine_version', '', parent);
    const text = this.string(item, 'required_engine_version', ctx);
    let version: Version | undefined;
    const asInt = decodeUint(text);
    if (asInt !== undefined) {
      // Before semver, engine versions were plain integers: N means 0.N.0.
      version = { major: 0, minor: asInt, patch: 0 };
    } else {
      version = parseVersion(text);
      if (!version) {
        fail(`Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, ctx);
      }
    }
    this.warnUnknownKeys(item, new Set(['required_engine_version']), ctx);
    this.collector.defineEngineVersion(version, ctx);
  }

  private readPluginVersions(item: YAMLMap, parent: LoadContext): void {
    const reqs = mapGet(item, 'required_plugin_versions');
    const ctx = this.ctxOf(reqs, 'required plugin versions', '', parent);
    if (!isSeqNode(reqs)) fail('Value of required_plugin_versions must be a sequence', ctx);
    for (const plugin of seqItems(reqs)) {
      const tmp = this.ctxOf(plugin, 'required plugin versions entry', '', ctx);
      if (!isMapNode(plugin)) fail('Plugin version must be a mapping', tmp);
      const name = this.string(plugin, 'name', tmp);
      const pctx = this.ctxOf(plugin, 'required plugin versions entry', name, ctx);
      const version = this.string(plugin, 'version', pctx);
      const alternatives = [{ name, version }];
      const alts = mapGet(plugin, 'alternatives');
      if (alts !== undefined) {
        if (!isSeqNode(alts)) fail('Value of plugin version alternatives must be a sequence', pctx);
        for (const alt of seqItems(alts)) {
          const actx = this.ctxOf(alt, 'required plugin versions alternative', '', pctx);
          if (!isMapNode(alt)) fail('Plugin version alternative must be a mapping', actx);
          const altName = this.string(alt, 'name', actx);
          const altVersion = this.string(alt, 'version', this.ctxOf(alt, 'required plugin versions alternative', altName, pctx));
          alternatives.push({ name: altName, version: altVersion });
        }
      }
      this.collector.definePluginVersions({ ctx: pctx, alternatives });
    }
  }

  private readList(item: YAMLMap, parent: LoadContext): void {
    const name = this.string(item, 'list', this.ctxOf(item, 'list', '', parent));
    const ctx = this.ctxOf(item, 'list', name, parent);
    if (!LIST_NAME_RE.test(name)) {
      this.result.addWarning(
        'LOAD_INVALID_LIST_NAME',
        `List has an invalid name. List names should match a regular expression: ${LIST_NAME_PATTERN}`,
        ctx,
      );
    }
    const info: ListInfo = { name, items: this.scalarSeq(item, 'items', ctx, false)!, ctx, index: 0, visibility: 0 };
    let append = this.optionalBool(item, 'append', ctx) ?? false;
    if (append) this.result.addWarning('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
    const items = new Set(['items']);
    const ov = this.overrides(item, items, items, ctx);
    if (append && (ov.append.size > 0 || ov.replace.size > 0)) fail(MSG.overrideAndAppend, ctx);
    this.warnUnknownKeys(item, LIST_KEYS, ctx);
    append ||= ov.append.has('items');
    if (append) this.collector.appendList(info);
    else this.collector.defineList(info);
  }

  private readMacro(item: YAMLMap, parent: LoadContext): void {
    const name = this.string(item, 'macro', this.ctxOf(item, 'macro', '', parent));
    const ctx = this.ctxOf(item, 'macro', name, parent);
    if (!MACRO_NAME_RE.test(name)) {
      this.result.addWarning(
        'LOAD_INVALID_MACRO_NAME',
        `Macro has an invalid name. Macro names should match a regular expression: ${MACRO_NAME_PATTERN}`,
        ctx,
      );
    }
    const cond = this.string(item, 'condition', ctx);
    const condCtx = this.ctxOf(mapGet(item, 'condition'), 'macro condition', '', ctx);
    const info: MacroInfo = { name, cond, ctx, condCtx, index: 0, visibility: 0 };
    let append = this.optionalBool(item, 'append', ctx) ?? false;
    if (append) this.result.addWarning('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
    const condition = new Set(['condition']);
    const ov = this.overrides(item, condition, condition, ctx);
    if (append && (ov.append.size > 0 || ov.replace.size > 0)) fail(MSG.overrideAndAppend, ctx);
    this.warnUnknownKeys(item, MACRO_KEYS, ctx);
    append ||= ov.append.has('condition');
    if (append) this.collector.appendMacro(info);
    else this.collector.defineMacro(info);
  }

  private priority(item: YAMLMap, ctx: LoadContext): PriorityLevel {
    const text = this.string(item, 'priority', ctx);
    const p = parsePriority(text);
    if (p === undefined) fail('Invalid priority', this.ctxOf(mapGet(item, 'priority'), 'rule priority', '', ctx));
    return p;
  }

  private readRule(item: YAMLMap, parent: LoadContext): void {
    const name = this.string(item, 'rule', this.ctxOf(item, 'rule', '', parent));
    const ctx = this.ctxOf(item, 'rule', name, parent);
    const appendFlag = this.optionalBool(item, 'append', ctx) ?? false;
    if (appendFlag) this.result.addWarning('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
    const ov = this.overrides(item, RULE_APPENDABLE, RULE_REPLACEABLE, ctx);
    const hasOverrides = ov.append.size > 0 || ov.replace.size > 0;
    if (appendFlag && hasOverrides) fail(MSG.overrideAndAppend, ctx);
    this.warnUnknownKeys(item, RULE_KEYS, ctx);

    if (hasOverrides) {
      const expected = new Set<string>();
      for (const key of new Set([...RULE_APPENDABLE, ...RULE_REPLACEABLE])) {
        if (mapGet(item, key) !== undefined) expected.add(key);
      }
      const take = (set: Set<string>, kind: string, key: string): boolean => {
        if (!set.has(key)) return false;
        if (!expected.has(key)) fail(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
        expected.delete(key);
        return true;
      };
      if (ov.append.size > 0) {
        const v: RuleUpdateInfo = { name, ctx, ...this.updateSource(item) };
        if (take(ov.append, 'append', 'condition')) v.cond = this.string(item, 'condition', ctx);
        if (take(ov.append, 'append', 'exceptions')) v.exceptions = this.readExceptions(item, ctx, true);
        if (take(ov.append, 'append', 'output')) v.output = this.string(item, 'output', ctx);
        if (take(ov.append, 'append', 'desc')) v.desc = this.string(item, 'desc', ctx);
        if (take(ov.append, 'append', 'tags')) v.tags = this.scalarSeq(item, 'tags', ctx, true) ?? [];
        this.collector.appendRule(v);
      }
      if (ov.replace.size > 0) {
        const v: RuleUpdateInfo = { name, ctx, ...this.updateSource(item) };
        if (take(ov.replace, 'replace', 'condition')) v.cond = this.string(item, 'condition', ctx);
        if (take(ov.replace, 'replace', 'exceptions')) v.exceptions = this.readExceptions(item, ctx, false);
        if (take(ov.replace, 'replace', 'output')) v.output = this.string(item, 'output', ctx);
        if (take(ov.replace, 'replace', 'desc')) v.desc = this.string(item, 'desc', ctx);
        if (take(ov.replace, 'replace', 'tags')) v.tags = this.scalarSeq(item, 'tags', ctx, true) ?? [];
        if (take(ov.replace, 'replace', 'priority')) v.priority = this.priority(item, ctx);
        if (take(ov.replace, 'replace', 'enabled')) v.enabled = this.bool(item, 'enabled', ctx);
        if (take(ov.replace, 'replace', 'warn_evttypes')) v.warnEvttypes = this.bool(item, 'warn_evttypes', ctx);
        if (take(ov.replace, 'replace', 'skip-if-unknown-filter')) {
          v.skipIfUnknownFilter = this.bool(item, 'skip-if-unknown-filter', ctx);
        }
        if (take(ov.replace, 'replace', 'capture')) v.capture = this.bool(item, 'capture', ctx);
        if (take(ov.replace, 'replace', 'capture_duration')) v.captureDuration = this.optionalInt(item, 'capture_duration', ctx);
        this.collector.replaceRule(v);
      }
      for (const key of expected) {
        const keyCtx = this.ctxOf(mapGet(item, key), 'overrides', key, ctx);
        fail(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, keyCtx);
      }
      return;
    }

    if (appendFlag) {
      const v: RuleUpdateInfo = { name, ctx, ...this.updateSource(item) };
      if (mapGet(item, 'condition') !== undefined) v.cond = this.string(item, 'condition', ctx);
      if (mapGet(item, 'exceptions') !== undefined) v.exceptions = this.readExceptions(item, ctx, true);
      this.collector.appendRule(v);
      return;
    }

    const has = (k: string): boolean => mapGet(item, k) !== undefined;
    if (!has('condition') && !has('output') && !has('desc') && !has('priority')) {
      const enabled = this.bool(item, 'enabled', ctx);
      this.result.addWarning('LOAD_DEPRECATED_ITEM', MSG.enabledDeprecated, ctx);
      this.collector.enableRule(name, enabled, ctx);
      return;
    }

    const cond = this.string(item, 'condition', ctx);
    const condCtx = this.ctxOf(mapGet(item, 'condition'), 'rule condition', '', ctx);
    const output = this.string(item, 'output', ctx).trim();
    const outputCtx = this.ctxOf(mapGet(item, 'output'), 'rule output', '', ctx);
    const desc = this.string(item, 'desc', ctx);
    const priority = this.priority(item, ctx);
    const info: RuleInfo = {
      name,
      ctx,
      cond,
      condCtx,
      output,
      outputCtx,
      desc,
      priority,
      source: this.optionalString(item, 'source', ctx) ?? 'syscall',
      enabled: this.optionalBool(item, 'enabled', ctx) ?? true,
      warnEvttypes: this.optionalBool(item, 'warn_evttypes', ctx) ?? true,
      skipIfUnknownFilter: this.optionalBool(item, 'skip-if-unknown-filter', ctx) ?? false,
      capture: this.optionalBool(item, 'capture', ctx) ?? false,
      captureDuration: this.optionalInt(item, 'capture_duration', ctx) ?? 0,
      tags: sortedUnique(this.scalarSeq(item, 'tags', ctx, true) ?? []),
      exceptions: this.readExceptions(item, ctx, false),
      unknownSource: false,
      index: 0,
      visibility: 0,
    };
    if (!this.collector.isKnownSource(info.source)) {
      this.result.addWarning('LOAD_UNKNOWN_SOURCE', `Unknown source ${info.source}, skipping`, ctx);
    }
    this.collector.defineRule(info);
  }

  /** An update's `source`, when it gives a non-empty one (empty or null means "unchanged"). */
  private updateSource(item: YAMLMap): { source?: string } {
    const val = mapGet(item, 'source');
    if (val && isScalarNode(val) && scalarText(val) !== '') return { source: scalarText(val) };
    return {};
  }

  // --- exceptions -------------------------------------------------------------------------------

  private entry(val: YamlNode | null | undefined, key: string, ctx: LoadContext, optional: boolean): ExceptionEntry | undefined {
    if (val === undefined) {
      if (optional) return undefined;
      fail(`Item has no mapping for key '${key}'`, ctx);
    }
    const valCtx = this.ctxOf(val, 'value for', key, ctx);
    const out: ExceptionEntry = { isList: false, item: '', items: [] };
    if (isScalarNode(val)) {
      const text = scalarText(val);
      if (text === '') fail('Value must be non-empty', valCtx);
      out.item = text;
    } else if (isSeqNode(val)) {
      out.isList = true;
      for (const v of seqItems(val)) {
        const lctx = this.ctxOf(v, 'exception', '', valCtx);
        out.items.push(this.entry(v ?? null, '', lctx, false)!);
      }
    }
    return out;
  }

  private readExceptions(item: YAMLMap, parent: LoadContext, append: boolean): ExceptionInfo[] {
    const exs = mapGet(item, 'exceptions');
    const out: ExceptionInfo[] = [];
    if (exs === undefined || isNullNode(exs)) return out;
    const exesCtx = this.ctxOf(exs, 'exceptions', '', parent);
    if (!isSeqNode(exs)) fail('Rule exceptions must be a sequence', exesCtx);
    for (const ex of seqItems(exs)) {
      const tmp = this.ctxOf(ex, 'exception', '', exesCtx);
      if (!isMapNode(ex)) fail('Rule exception must be a mapping', tmp);
      const name = this.string(ex, 'name', tmp);
      const exCtx = this.ctxOf(ex, 'exception', name, parent);
      if (out.some((e) => e.name === name)) {
        this.result.addWarning(
          'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
          `Multiple definitions of exception '${name}' in the same rule`,
          exCtx,
        );
      }
      const info: ExceptionInfo = { name, ctx: exCtx, values: [] };
      info.fields = this.entry(mapGet(ex, 'fields'), 'fields', exCtx, append);
      info.comps = this.entry(mapGet(ex, 'comps'), 'comps', exCtx, true);
      const vals = mapGet(ex, 'values');
      if (vals !== undefined) {
        const valsCtx = this.ctxOf(vals, 'exception values', '', exCtx);
        if (!isSeqNode(vals)) fail('Rule exception values must be a sequence', valsCtx);
        for (const v of seqItems(vals)) {
          const vctx = this.ctxOf(v, 'exception value', '', valsCtx);
          info.values.push(this.entry(v ?? null, '', vctx, false)!);
        }
      } else if (append) {
        this.result.addWarning('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', exCtx);
      }
      out.push(info);
    }
    return out;
  }
}
