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
import type { Node as YamlNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { SourcePosition } from './context';
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
 * `yaml`.
 */
export function parseYaml(content: string): ParsedYaml {
  const fast = parseYamlFast(content);
  if (fast !== undefined) {
    const positionOf = (node: YamlNode | null | undefined): SourcePosition => {
      if (!node?.range) return { offset: 0, line: 0, column: 0 };
      const offset = node.range[0];
      const { line, column } = lineColumn(fast.lineStarts, offset);
      return { offset, line, column };
    };
    return { documents: fast.documents, positionOf };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LineCounter, isAlias, parseAllDocuments, visit } = require('yaml') as typeof YamlModule;
  const lineCounter = new LineCounter();
  const positionAt = (offset: number): SourcePosition => {
    const lp = lineCounter.linePos(offset);
    return { offset, line: lp.line - 1, column: lp.col - 1 };
  };
  const positionOf = (node: YamlNode | null | undefined): SourcePosition =>
    node?.range ? positionAt(node.range[0]) : { offset: 0, line: 0, column: 0 };
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
      const worded = wordYamlError(content, { code: err.code, offset: err.pos[0], message: firstLine }, positionAt);
      return {
        documents: [],
        error: { message: worded.message, position: positionAt(worded.offset) },
        positionOf,
      };
    }
  }
  // Aliases (`*name`) read as the node they refer to, as Falco's YAML library presents them.
  for (const doc of list) {
    visit(doc, {
      Alias(_, node) {
        const target = node.resolve(doc);
        return target && !isAlias(target) ? target : undefined;
      },
    });
  }
  return { documents: list.map((d) => (d.contents as YamlNode | null) ?? null), positionOf };
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
