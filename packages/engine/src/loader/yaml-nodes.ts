/**
 * YAML access with the semantics the rules loader needs: every scalar is kept as its text (the
 * loader decides how to read it, as Falco's YAML library does), null detection by YAML's null
 * spellings, and positions as 0-based line/column plus offset.
 *
 * The `yaml` package is loaded only for files the fast reader leaves to it (~45 ms of start-up
 * otherwise paid on every run). Node kinds are recognised by the global symbols `yaml` marks its
 * nodes with (`Symbol.for('yaml.node.type')`, the protocol behind its own `isMap` and friends),
 * which the fast reader's nodes carry too.
 */
import type * as YamlModule from 'yaml';
import type { Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { SourcePosition } from './context';
import { DEFAULT_LOAD_LIMITS, type LoadLimits } from './limits';
import { NODE_KIND, NODE_TYPE, lineColumn, parseYamlFast } from './yaml-fast';
import { wordYamlError } from './yaml-errors';

export type { YamlNode };

export interface ParsedYaml {
  /** The root of each document (null for an empty document). */
  readonly documents: readonly (YamlNode | null)[];
  /** The first syntax error, if any; no documents are returned then. */
  readonly error?: { readonly message: string; readonly position: SourcePosition };
  readonly positionOf: (node: YamlNode | null | undefined) => SourcePosition;
}

const NULL_SPELLINGS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE_SPELLINGS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_SPELLINGS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/**
 * The documents of a rules file. Files in the YAML subset rules files are written in are read by
 * the fast reader (same nodes, much faster); the rest, and every file with a syntax error, by
 * `yaml`. The document size, nesting depth and alias expansion are bounded by `limits`; past a
 * bound the file gets a positioned error, as for a syntax error.
 */
export function parseYaml(content: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): ParsedYaml {
  if (content.length > limits.maxDocumentBytes) {
    const origin = { offset: 0, line: 0, column: 0 };
    return {
      documents: [],
      error: { message: `rules file of ${content.length} bytes is larger than the limit of ${limits.maxDocumentBytes} bytes`, position: origin },
      positionOf: () => origin,
    };
  }
  const fast = parseYamlFast(content, limits.maxYamlDepth);
  if (fast !== undefined) {
    const positionOf = (node: YamlNode | null | undefined): SourcePosition => {
      if (!node?.range) return { offset: 0, line: 0, column: 0 };
      const offset = node.range[0];
      const { line, column } = lineColumn(fast.lineStarts, offset);
      return { offset, line, column };
    };
    if (!fast.hasAliases) return { documents: fast.documents, positionOf };
    const roots: (YamlNode | null)[] = [];
    for (const doc of fast.documents) {
      const resolved = resolveAliases(doc, limits);
      if ('error' in resolved) {
        const position = positionOf({ range: [resolved.offset, resolved.offset, resolved.offset] } as YamlNode);
        return { documents: [], error: { message: `error at line ${position.line + 1}, column ${position.column + 1}: ${resolved.error}`, position }, positionOf };
      }
      roots.push(resolved.root);
    }
    return { documents: roots, positionOf };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LineCounter, parseAllDocuments } = require('yaml') as typeof YamlModule;
  const lineCounter = new LineCounter();
  const positionAt = (offset: number): SourcePosition => {
    const lp = lineCounter.linePos(offset);
    return { offset, line: lp.line - 1, column: lp.col - 1 };
  };
  const positionOf = (node: YamlNode | null | undefined): SourcePosition =>
    node?.range ? positionAt(node.range[0]) : { offset: 0, line: 0, column: 0 };
  const failAt = (offset: number, text: string): ParsedYaml => {
    const position = positionAt(offset);
    return {
      documents: [],
      error: { message: `error at line ${position.line + 1}, column ${position.column + 1}: ${text}`, position },
      positionOf,
    };
  };
  // `yaml` reads flow collections recursively: past a few hundred levels it stops with a stack
  // overflow it reports itself, after seconds on a large file. Deeper brackets than the limit
  // are refused first.
  const deepAt = flowDepthExceeded(content, limits.maxYamlDepth);
  if (deepAt !== -1) {
    // Before `yaml` has run, its line counter knows no lines yet.
    lineCounter.addNewLine(0);
    for (let i = content.indexOf('\n'); i !== -1 && i < deepAt; i = content.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return failAt(deepAt, `collections nested deeper than ${limits.maxYamlDepth} levels (the nesting limit)`);
  }
  const docs = parseAllDocuments(content, {
    lineCounter,
    schema: 'failsafe',
    uniqueKeys: false,
    strict: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const firstLine = err.message.split('\n')[0] ?? err.message;
      // `yaml` reports its own stack overflow on deep nesting below the nesting limit.
      const message = /call stack/i.test(firstLine) ? 'collections nested too deeply to read' : firstLine;
      const worded = wordYamlError(content, { code: err.code, offset: err.pos[0], message }, positionAt);
      return {
        documents: [],
        error: { message: worded.message, position: positionAt(worded.offset) },
        positionOf,
      };
    }
  }
  const roots: (YamlNode | null)[] = [];
  for (const doc of list) {
    const resolved = resolveAliases(doc.contents as YamlNode | null, limits);
    if ('error' in resolved) return failAt(resolved.offset, resolved.error);
    roots.push(resolved.root);
  }
  return { documents: roots, positionOf };
}

/**
 * The offset of the first flow bracket (`[`, `{`) nested more than `limit` deep, or -1. Quoted
 * scalars and comments are skipped; a stray bracket in a plain scalar only counts towards a
 * depth no real file comes near.
 */
function flowDepthExceeded(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x23 && (i === 0 || text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x0a)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
    } else if ((c === 0x22 || c === 0x27) && (i === 0 || /[\s[{,:-]/.test(text[i - 1]!))) {
      // A quoted scalar: to its closing quote (`\"` and `''` escapes kept inside).
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (c === 0x22 && d === 0x5c) j++;
        else if (d === c) {
          if (c === 0x27 && text.charCodeAt(j + 1) === 0x27) j++;
          else break;
        }
      }
      i = j;
    }
  }
  return -1;
}

interface Extent {
  /** Nodes under this one, aliases counted as the nodes they stand for. */
  nodes: number;
  /** Levels of collections under this one (0 for a scalar). */
  depth: number;
}

/**
 * Replaces each alias (`*name`) of a document with the node its anchor names, as Falco's YAML
 * library presents them, and checks the document against the limits, in one pass over the
 * nodes as written (no recursion, so no nesting the file controls can exhaust the stack). An
 * alias names the last anchor of that name before it; the node it stands for is shared, never
 * copied, so a chain of aliases costs what its text costs, and its expansion is only counted.
 */
function resolveAliases(root: YamlNode | null, limits: LoadLimits): { root: YamlNode | null } | { error: string; offset: number } {
  if (root === null) return { root };
  const anchors = new Map<string, YamlNode>();
  const extents = new Map<YamlNode, Extent>();
  /** Collections being walked, with what their children have added so far. */
  const open: { node: YamlNode; extent: Extent }[] = [];
  let aliased = 0;
  type Slot = { node: YamlNode | null; set: (n: YamlNode) => void };
  // The walk: `enter` items, then an `exit` marker for each collection after its children.
  const work: (Slot | { exit: YamlNode })[] = [{ node: root, set: (n) => (root = n) }];
  const offsetOf = (n: YamlNode): number => n.range?.[0] ?? 0;
  const addToParent = (e: Extent): void => {
    const parent = open[open.length - 1];
    if (!parent) return;
    parent.extent.nodes += e.nodes;
    if (e.depth + 1 > parent.extent.depth) parent.extent.depth = e.depth + 1;
  };
  while (work.length > 0) {
    const item = work.pop()!;
    if ('exit' in item) {
      const done = open.pop()!;
      extents.set(done.node, done.extent);
      addToParent(done.extent);
      continue;
    }
    const node = item.node;
    if (node === null) continue;
    if (kindOf(node) === NODE_KIND.alias) {
      const name = String((node as unknown as { source: string }).source);
      const target = anchors.get(name);
      if (target === undefined) return { error: `unresolved alias *${name}`, offset: offsetOf(node) };
      const extent = extents.get(target);
      if (extent === undefined) return { error: `alias *${name} refers to a node that contains it`, offset: offsetOf(node) };
      aliased += extent.nodes;
      if (aliased > limits.maxExpansionNodes) {
        return { error: `aliases expand to more than ${limits.maxExpansionNodes} nodes (the expansion limit)`, offset: offsetOf(node) };
      }
      if (open.length + extent.depth > limits.maxYamlDepth) {
        return { error: `alias *${name} nests collections deeper than ${limits.maxYamlDepth} levels (the nesting limit)`, offset: offsetOf(node) };
      }
      item.set(target);
      addToParent(extent);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) anchors.set(anchor, node);
    if (isMap(node) || isSeq(node)) {
      if (open.length + 1 > limits.maxYamlDepth) {
        return { error: `collections nested deeper than ${limits.maxYamlDepth} levels (the nesting limit)`, offset: offsetOf(node) };
      }
      open.push({ node, extent: { nodes: 1, depth: 0 } });
      work.push({ exit: node });
      // Children in reverse, so they are taken in document order (anchors before their aliases).
      const items = node.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) {
        const child = items[i];
        if (isMap(node)) {
          const pair = child as Pair<YamlNode | null, YamlNode | null>;
          work.push({ node: pair.value ?? null, set: (n) => (pair.value = n) });
          work.push({ node: pair.key ?? null, set: (n) => (pair.key = n) });
        } else {
          work.push({ node: (child as YamlNode | null) ?? null, set: (n) => (items[i] = n) });
        }
      }
    } else {
      const extent = { nodes: 1, depth: 0 };
      extents.set(node, extent);
      addToParent(extent);
    }
  }
  return { root };
}

function kindOf(node: unknown): symbol | undefined {
  return node !== null && typeof node === 'object' ? (node as Record<symbol, symbol | undefined>)[NODE_TYPE] : undefined;
}

function isMap(node: unknown): node is YAMLMap {
  return kindOf(node) === NODE_KIND.map;
}

function isSeq(node: unknown): node is YAMLSeq {
  return kindOf(node) === NODE_KIND.seq;
}

function isScalar(node: unknown): node is Scalar {
  return kindOf(node) === NODE_KIND.scalar;
}

export function isNullNode(node: YamlNode | null | undefined): boolean {
  if (node === null) return true;
  if (node === undefined) return false;
  return isScalar(node) && node.type === 'PLAIN' && NULL_SPELLINGS.has(String(node.source ?? node.value));
}

export function isMapNode(node: YamlNode | null | undefined): node is YAMLMap {
  return !!node && isMap(node);
}

export function isSeqNode(node: YamlNode | null | undefined): node is YAMLSeq {
  return !!node && isSeq(node);
}

/** A scalar that is not null. (An explicit YAML null is neither a scalar nor a sequence.) */
export function isScalarNode(node: YamlNode | null | undefined): node is Scalar {
  return !!node && isScalar(node) && !isNullNode(node);
}

/** Text of a scalar exactly as Falco's YAML library gives it (quotes resolved, no typing). */
export function scalarText(node: Scalar): string {
  return String(node.value);
}

/**
 * The value of `key` in a mapping: `undefined` when the key is absent, `null` when present with
 * no value. The first occurrence wins for duplicate keys.
 */
export function mapGet(map: YAMLMap, key: string): YamlNode | null | undefined {
  for (const pair of map.items) {
    const k = pair.key as YamlNode | null;
    if (k && isScalar(k) && String(k.value) === key) return (pair.value as YamlNode | null) ?? null;
  }
  return undefined;
}

/** The key node of `key` (for diagnostics pointing at a key). */
export function mapKeyNode(map: YAMLMap, key: string): YamlNode | undefined {
  for (const pair of map.items) {
    const k = pair.key as YamlNode | null;
    if (k && isScalar(k) && String(k.value) === key) return k;
  }
  return undefined;
}

/** Every key of a mapping, in order, with its node. */
export function mapEntries(map: YAMLMap): { key: string; keyNode: YamlNode; value: YamlNode | null }[] {
  const out: { key: string; keyNode: YamlNode; value: YamlNode | null }[] = [];
  for (const pair of map.items) {
    const k = pair.key as YamlNode | null;
    if (k && isScalar(k)) out.push({ key: String(k.value), keyNode: k, value: (pair.value as YamlNode | null) ?? null });
  }
  return out;
}

export function seqItems(seq: YAMLSeq): (YamlNode | null)[] {
  return seq.items.map((i) => (i as YamlNode | null) ?? null);
}

export function decodeBool(text: string): boolean | undefined {
  if (TRUE_SPELLINGS.has(text)) return true;
  if (FALSE_SPELLINGS.has(text)) return false;
  return undefined;
}

/** An unsigned integer as a C++ stream would read it (whole text, optional leading `+`). */
export function decodeUint(text: string): number | undefined {
  if (!/^\+?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0xffffffff ? n : undefined;
}

/** A signed integer (whole text). */
export function decodeInt(text: string): number | undefined {
  if (!/^[-+]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A plain-data view of a node for schema validation, every scalar as a string (the schema
 * validator then coerces types weakly, as Falco's validator does).
 */
export function toPlain(node: YamlNode | null | undefined): unknown {
  if (node === null || node === undefined || isNullNode(node)) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const key = k && isScalar(k) ? String(k.value) : '';
      if (!(key in out)) out[key] = toPlain(pair.value as YamlNode | null);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => toPlain(i as YamlNode | null));
  if (isScalar(node)) return String(node.value);
  return null;
}
