/**
 * A fast reader for the YAML that rules files are written in: one document holding a block
 * sequence of block mappings, with plain, quoted, folded and literal scalars, flow sequences,
 * nested block sequences and mappings, and comments. It builds nodes with what the loader reads
 * of the nodes the `yaml` package composes (`Scalar`, `YAMLMap`, `YAMLSeq`, `Pair`: `items`,
 * `key`, `value`, `source`, `type`, `flow` and the start of `range`, and the node-kind symbol
 * `yaml`'s `isMap`/`isSeq`/`isScalar` check), several times faster and without loading `yaml`,
 * because rules files are large and read on every start.
 *
 * Anchors (`&name`) before a node on the same line and aliases (`*name`) are read too, as `yaml`
 * reads them (an `anchor` on the node, an alias node naming it); the caller resolves them.
 *
 * Anything outside that subset (other anchors, tags, flow mappings, several documents,
 * multi-line quoted scalars, keep chomping, explicit indentation, tabs, CR, anything `yaml`
 * might report as an error) makes it return `undefined`, and the caller parses the text with
 * `yaml` instead, which also produces every syntax error message. So a file either gets exactly
 * the tree `yaml` would give, or is parsed by `yaml`.
 */
import type { Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/** The property `yaml` keeps a node's kind in, and the kinds (global symbols, shared with it). */
export const NODE_TYPE = Symbol.for('yaml.node.type');
export const NODE_KIND = {
  map: Symbol.for('yaml.map'),
  seq: Symbol.for('yaml.seq'),
  scalar: Symbol.for('yaml.scalar'),
  pair: Symbol.for('yaml.pair'),
  alias: Symbol.for('yaml.alias'),
} as const;

class FastScalar {
  declare readonly [NODE_TYPE]: symbol;
  constructor(
    readonly value: string,
    readonly source: string,
    readonly type: Scalar.Type,
    readonly range: [number, number, number],
  ) {}
}

class FastAlias {
  declare readonly [NODE_TYPE]: symbol;
  constructor(
    readonly source: string,
    readonly range: [number, number, number],
  ) {}
}

class FastMap {
  declare readonly [NODE_TYPE]: symbol;
  readonly items: FastPair[] = [];
  constructor(readonly range: [number, number, number]) {}
}

class FastSeq {
  declare readonly [NODE_TYPE]: symbol;
  readonly items: unknown[] = [];
  flow?: boolean;
  constructor(readonly range: [number, number, number]) {}
}

class FastPair {
  declare readonly [NODE_TYPE]: symbol;
  constructor(
    public key: unknown,
    public value: unknown,
  ) {}
}

// On the prototypes: one property shared by every node, as `yaml` checks it (`node[NODE_TYPE]`).
for (const [cls, kind] of [[FastScalar, NODE_KIND.scalar], [FastMap, NODE_KIND.map], [FastSeq, NODE_KIND.seq], [FastPair, NODE_KIND.pair], [FastAlias, NODE_KIND.alias]] as const) {
  Object.defineProperty(cls.prototype, NODE_TYPE, { value: kind });
}

/** 0-based line and column of `offset`, given the offsets at which lines start. */
export function lineColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - lineStarts[lo]! };
}

export interface FastYaml {
  /** The root node of each document. */
  readonly documents: YamlNode[];
  /** Offsets at which lines start, for positions. */
  readonly lineStarts: readonly number[];
  /** The documents hold alias nodes (to be replaced by the nodes their anchors name). */
  readonly hasAliases: boolean;
}

/** Thrown inside the reader when the text leaves the subset; never escapes this module. */
class OutsideSubset {}
const OUTSIDE = new OutsideSubset();

function outside(): never {
  throw OUTSIDE;
}

const SPACE = 0x20;
const NL = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** Characters that cannot start a plain scalar in this subset (some could in full YAML). */
const PLAIN_FORBIDDEN_START = new Set([...'[]{},#&*!|>\'"%@`?:-']);
/** Characters that end a plain scalar inside a flow sequence. */
const FLOW_STOP = new Set([...',[]{}']);
/** The escapes of double-quoted scalars this reader decodes (others fall back to `yaml`). */
const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Anchor and alias names in this subset (YAML allows more; those files go to `yaml`). */
const ANCHOR_CHAR = /[A-Za-z0-9_-]/;
/**
 * Collections nested deeper than this (or than the caller's nesting limit) are left to `yaml`
 * (rules files nest a handful of levels), whose reading reports the limit with a position.
 */
const MAX_FAST_DEPTH = 32;

function scalar(value: string, type: Scalar.Type, start: number): Scalar {
  return new FastScalar(value, value, type, [start, start, start]) as unknown as Scalar;
}

/**
 * The root nodes of the documents of `text` (rules files have one), or `undefined` when the text
 * uses YAML beyond the subset this reader handles.
 */
export function parseYamlFast(text: string, maxDepth = MAX_FAST_DEPTH): FastYaml | undefined {
  // Characters `yaml` treats specially or refuses anywhere: leave those files to it.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < SPACE && c !== NL) || c === 0x7f || c === 0xfeff || (c >= 0x80 && c < 0xa0) || (c >= 0xd800 && c <= 0xdfff)) return undefined;
  }
  try {
    const reader = new FastReader(text, Math.min(maxDepth, MAX_FAST_DEPTH));
    const documents = reader.document();
    return documents && { documents, lineStarts: reader.lineStarts, hasAliases: reader.hasAliases };
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

class FastReader {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];
  /** Block collections open around the one being read. */
  private depth = 0;
  hasAliases = false;

  get lineStarts(): readonly number[] {
    return this.starts;
  }

  /** Offset of the line break (or the end of text) of each line. */
  private readonly ends: number[] = [];
  private line = 0;

  /** Leading spaces of each line, computed once (every line is looked at several times). */
  private readonly indents: Int32Array;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.ends.push(i);
      this.starts.push(i + 1);
    }
    this.ends.push(text.length);
    this.indents = new Int32Array(this.starts.length);
    for (let l = 0; l < this.starts.length; l++) {
      const start = this.starts[l]!;
      const end = this.ends[l]!;
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      this.indents[l] = i - start;
    }
  }

  // --- lines ---------------------------------------------------------------------------------

  private get lineCount(): number {
    return this.starts.length;
  }

  private indentOf(line: number): number {
    return this.indents[line]!;
  }

  /** Blank (spaces only) or a comment line. */
  private isSkippable(line: number): boolean {
    const at = this.starts[line]! + this.indentOf(line);
    return at === this.ends[line]! || this.text.charCodeAt(at) === HASH;
  }

  private isBlank(line: number): boolean {
    return this.starts[line]! + this.indentOf(line) === this.ends[line]!;
  }

  /** Moves to the next line with content; false at the end of the text. */
  private skipToContent(): boolean {
    while (this.line < this.lineCount && this.isSkippable(this.line)) this.line++;
    return this.line < this.lineCount;
  }

  /** The rest of a line from `at` is spaces, optionally followed by a comment after a space. */
  private restIsEmpty(at: number, end: number): boolean {
    const from = at;
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    if (at === end) return true;
    return this.text.charCodeAt(at) === HASH && (at > from || at === this.starts[this.lineAt(at)]);
  }

  private lineAt(offset: number): number {
    return lineColumn(this.starts, offset).line;
  }

  /** `- ` or a lone `-` at `at`. */
  private isSeqIndicator(at: number, end: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === end || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** The end of a `key:` at `at` (the offset of the colon), or -1 when the line is no key line. */
  private keyEnd(at: number, end: number): number {
    for (let i = at; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) {
        return KEY_RE.test(this.text.slice(at, i)) ? i : outside();
      }
      if (c === HASH && i > at && this.text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  // --- structure -----------------------------------------------------------------------------

  document(): YamlNode[] | undefined {
    if (!this.skipToContent()) return undefined;
    const first = this.starts[this.line]!;
    if (this.text.startsWith('---', first)) {
      if (!this.restIsEmpty(first + 3, this.ends[this.line]!) || this.text.charCodeAt(first + 3) === HASH) outside();
      this.line++;
      if (!this.skipToContent()) outside();
    }
    for (let l = this.line; l < this.lineCount; l++) {
      const s = this.starts[l]!;
      const c = this.text.charCodeAt(s);
      if ((c === DASH && this.text.startsWith('---', s)) || (c === 0x2e && this.text.startsWith('...', s)) || c === 0x25) outside();
    }
    const indent = this.indentOf(this.line);
    if (!this.isSeqIndicator(this.starts[this.line]! + indent, this.ends[this.line]!)) outside();
    const root = this.blockSeq(indent);
    if (this.skipToContent()) outside();
    return [root];
  }

  /** A block sequence whose `-` indicators stand at column `indent`, from the current line. */
  private blockSeq(indent: number): YAMLSeq {
    if (++this.depth > this.maxDepth) outside();
    const start = this.starts[this.line]! + indent;
    const seq = new FastSeq([start, start, start]) as unknown as YAMLSeq;
    while (this.skipToContent()) {
      const line = this.line;
      const lineIndent = this.indentOf(line);
      if (lineIndent < indent) break;
      if (lineIndent > indent) outside();
      const at = this.starts[line]! + indent;
      const end = this.ends[line]!;
      if (!this.isSeqIndicator(at, end)) break;
      seq.items.push(this.nodeAfterIndicator(at + 1, indent, false));
      if (this.line <= line) outside();
    }
    this.depth--;
    return seq;
  }

  /**
   * A block mapping whose keys stand at column `indent`; the current line holds its first key
   * (after the `- ` of a sequence item when the mapping is compact).
   */
  private blockMap(indent: number): YAMLMap {
    if (++this.depth > this.maxDepth) outside();
    const start = this.starts[this.line]! + indent;
    const map = new FastMap([start, start, start]) as unknown as YAMLMap;
    let first = true;
    while (this.skipToContent()) {
      const line = this.line;
      if (!first) {
        const lineIndent = this.indentOf(line);
        if (lineIndent < indent) break;
        if (lineIndent > indent) outside();
      }
      first = false;
      const at = this.starts[line]! + indent;
      const end = this.ends[line]!;
      if (this.isSeqIndicator(at, end)) break;
      const colon = this.keyEnd(at, end);
      if (colon === -1) outside();
      const key = scalar(this.text.slice(at, colon), 'PLAIN', at);
      map.items.push(new FastPair(key, this.nodeAfterIndicator(colon + 1, indent, true)) as unknown as Pair);
      if (this.line <= line) outside();
    }
    this.depth--;
    return map;
  }

  /**
   * The node after a `- ` or `key:` indicator (ending at `after`) of a collection at column
   * `indent`: on the same line, or on the following lines, or an empty scalar.
   */
  private nodeAfterIndicator(after: number, indent: number, inMap: boolean): YamlNode {
    const line = this.line;
    const end = this.ends[line]!;
    let at = after;
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    if (this.restIsEmpty(after, end)) {
      this.line++;
      const empty = scalar('', 'PLAIN', at);
      if (!this.skipToContent()) return empty;
      const next = this.line;
      const nextIndent = this.indentOf(next);
      const nextAt = this.starts[next]! + nextIndent;
      const nextEnd = this.ends[next]!;
      if (nextIndent > indent) {
        if (this.isSeqIndicator(nextAt, nextEnd)) return this.blockSeq(nextIndent);
        if (this.keyEnd(nextAt, nextEnd) !== -1) return this.blockMap(nextIndent);
        return this.inlineNode(nextAt, indent, inMap);
      }
      // A mapping value's sequence may stand at the same column as its key.
      if (nextIndent === indent && this.isSeqIndicator(nextAt, nextEnd) && inMap) {
        return this.blockSeq(nextIndent);
      }
      return empty;
    }
    if (this.isSeqIndicator(at, end)) outside();
    const col = at - this.starts[line]!;
    if (this.keyEnd(at, end) !== -1) {
      // A mapping started on the line of a `- ` (a compact mapping in a sequence item).
      if (!this.isSeqItemAt(line, at)) outside();
      return this.blockMap(col);
    }
    return this.inlineNode(at, indent, inMap);
  }

  /** `at` follows the `- ` of the line (so the line holds nothing but the sequence item). */
  private isSeqItemAt(line: number, at: number): boolean {
    const start = this.starts[line]! + this.indentOf(line);
    return this.isSeqIndicator(start, this.ends[line]!) && this.text.slice(start + 1, at).trim() === '';
  }

  /** A scalar or flow sequence starting at `at`, inside a collection at column `indent`. */
  private inlineNode(at: number, indent: number, inMap: boolean): YamlNode {
    const c = this.text[at]!;
    if (c === '*') {
      const alias = this.alias(at);
      if (!this.restIsEmpty(at + 1 + alias.source.length, this.ends[this.line]!)) outside();
      this.line++;
      return alias as unknown as YamlNode;
    }
    if (c === '&') {
      const name = this.anchorName(at + 1);
      let next = at + 1 + name.length;
      if (this.text.charCodeAt(next) !== SPACE) outside();
      while (this.text.charCodeAt(next) === SPACE) next++;
      const after = this.text[next];
      if (next >= this.ends[this.line]! || after === '&' || after === '*' || after === '#') outside();
      const node = this.inlineNode(next, indent, inMap);
      (node as { anchor?: string }).anchor = name;
      return node;
    }
    if (c === '[') return this.flowSeqTop(at, indent, inMap);
    if (c === '"' || c === "'") return this.quoted(at);
    if (c === '>' || c === '|') return this.blockScalar(at, indent);
    return this.plain(at, indent);
  }

  /** The name of an anchor or alias starting at `at` (after its `&` or `*`). */
  private anchorName(at: number): string {
    let i = at;
    while (i < this.text.length && ANCHOR_CHAR.test(this.text[i]!)) i++;
    if (i === at) outside();
    return this.text.slice(at, i);
  }

  private alias(at: number): FastAlias {
    this.hasAliases = true;
    return new FastAlias(this.anchorName(at + 1), [at, at, at]);
  }

  // --- scalars -------------------------------------------------------------------------------

  /** A plain scalar from `at`, continued on more-indented lines (folded). */
  private plain(at: number, indent: number): Scalar {
    const first = this.plainLine(at, this.ends[this.line]!, true);
    let value = first.text;
    this.line++;
    if (first.comment) return scalar(value, 'PLAIN', at);
    let blanks = 0;
    for (let l = this.line; l < this.lineCount; l++) {
      if (this.isBlank(l)) {
        blanks++;
        continue;
      }
      const lineIndent = this.indentOf(l);
      if (lineIndent <= indent) break;
      const lineAt = this.starts[l]! + lineIndent;
      if (this.text.charCodeAt(lineAt) === HASH) break;
      const part = this.plainLine(lineAt, this.ends[l]!, false);
      // Folding: one line break reads as a space, n blank lines as n line breaks.
      value += blanks === 0 ? ' ' + part.text : '\n'.repeat(blanks) + part.text;
      blanks = 0;
      this.line = l + 1;
      if (part.comment) break;
    }
    return scalar(value, 'PLAIN', at);
  }

  /** One line of a plain scalar: its text without trailing spaces and whether a comment ends it. */
  private plainLine(at: number, end: number, isFirst: boolean): { text: string; comment: boolean } {
    const c = this.text[at]!;
    if (PLAIN_FORBIDDEN_START.has(c)) {
      // Only a first line may start with `-`, and only when a non-space follows (`-1`, `-x`).
      if (!isFirst || c !== '-' || at + 1 >= end || this.text.charCodeAt(at + 1) === SPACE) outside();
    }
    let stop = end;
    let comment = false;
    for (let i = at; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === COLON && (i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) outside();
      if (ch === HASH && this.text.charCodeAt(i - 1) === SPACE) {
        stop = i;
        comment = true;
        break;
      }
    }
    while (stop > at && this.text.charCodeAt(stop - 1) === SPACE) stop--;
    return { text: this.text.slice(at, stop), comment };
  }

  /**
   * A quoted scalar on one line from `at`: its value and the offset after the closing quote.
   * Escapes of double-quoted scalars are decoded; `''` in single-quoted ones reads as `'`.
   */
  private readQuoted(at: number): { value: string; next: number } {
    const end = this.ends[this.lineAt(at)]!;
    const text = this.text;
    const double = text[at] === '"';
    // Plain runs are sliced whole; only escapes (and `''`) are decoded one by one.
    let value = '';
    let run = at + 1;
    let i = at + 1;
    for (;;) {
      if (i >= end) outside();
      const ch = text[i]!;
      if (double) {
        if (ch === '"') break;
        if (ch === '\\') {
          if (i + 1 >= end) outside();
          value += text.slice(run, i);
          const esc = text[i + 1]!;
          if (esc === 'x' || esc === 'u' || esc === 'U') {
            const n = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
            const hex = text.slice(i + 2, i + 2 + n);
            if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) outside();
            const code = parseInt(hex, 16);
            if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) outside();
            value += String.fromCodePoint(code);
            i += 2 + n;
          } else {
            const decoded = ESCAPES[esc];
            if (decoded === undefined) outside();
            value += decoded;
            i += 2;
          }
          run = i;
          continue;
        }
      } else if (ch === "'") {
        if (text[i + 1] !== "'") break;
        value += text.slice(run, i + 1);
        i += 2;
        run = i;
        continue;
      }
      i++;
    }
    return { value: value + text.slice(run, i), next: i + 1 };
  }

  private quotedNode(at: number, value: string): Scalar {
    return scalar(value, this.text[at] === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', at);
  }

  /** A quoted scalar in block context; the rest of its line must be empty. */
  private quoted(at: number): Scalar {
    const { value, next } = this.readQuoted(at);
    const end = this.ends[this.line]!;
    if (!this.restIsEmpty(next, end) || this.text.charCodeAt(next) === HASH) outside();
    this.line++;
    return this.quotedNode(at, value);
  }

  /** `>` or `|`, with `-` (strip) or no chomping indicator, in a collection at column `indent`. */
  private blockScalar(at: number, indent: number): Scalar {
    const headerLine = this.line;
    const end = this.ends[headerLine]!;
    const folded = this.text[at] === '>';
    let i = at + 1;
    let strip = false;
    if (this.text[i] === '-') {
      strip = true;
      i++;
    }
    if (i < end && this.text.charCodeAt(i) !== SPACE) outside();
    if (!this.restIsEmpty(i, end)) outside();
    // Content lines: up to the first non-blank line indented less than the first content line.
    let l = headerLine + 1;
    let leadingBlanks = 0;
    while (l < this.lineCount && this.isBlank(l)) {
      leadingBlanks++;
      l++;
    }
    if (l >= this.lineCount) outside();
    const contentIndent = this.indentOf(l);
    if (contentIndent <= indent) outside();
    for (let b = headerLine + 1; b < l; b++) if (this.ends[b]! - this.starts[b]! > contentIndent) outside();
    let value = '\n'.repeat(leadingBlanks);
    let prevSpaced = false;
    let blanks = 0;
    let lastContent = l;
    let firstLine = true;
    for (; l < this.lineCount; l++) {
      if (this.isBlank(l)) {
        if (this.ends[l]! - this.starts[l]! > contentIndent) outside();
        blanks++;
        continue;
      }
      if (this.indentOf(l) < contentIndent) break;
      const lineText = this.text.slice(this.starts[l]! + contentIndent, this.ends[l]!);
      const spaced = lineText.charCodeAt(0) === SPACE;
      if (!firstLine) {
        if (folded && !spaced && !prevSpaced) value += blanks === 0 ? ' ' : '\n'.repeat(blanks);
        else value += '\n'.repeat(blanks + 1);
      }
      value += lineText;
      firstLine = false;
      prevSpaced = spaced;
      blanks = 0;
      lastContent = l;
    }
    // Clip keeps the final line break, which must exist.
    if (lastContent === this.lineCount - 1) outside();
    if (!strip) value += '\n';
    this.line = lastContent + 1;
    return scalar(value, folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL', at);
  }

  // --- flow sequences ------------------------------------------------------------------------

  /** A flow sequence starting at `at`, in a collection at column `indent`; the rest of its last line must be empty. */
  private flowSeqTop(at: number, indent: number, inMap: boolean): YAMLSeq {
    // A mapping value's sequence may close at the column of its key; everything else inside
    // must be indented deeper.
    this.closeColumn = inMap ? indent : indent + 1;
    const state = { offset: at };
    const seq = this.flowSeq(state, indent);
    const line = this.lineAt(state.offset);
    const end = this.ends[line]!;
    if (!this.restIsEmpty(state.offset, end)) outside();
    if (state.offset < end && this.text.charCodeAt(state.offset) === HASH) outside();
    this.line = line + 1;
    return seq;
  }

  /** The least column of the `]` that closes the outermost flow sequence being read. */
  private closeColumn = 0;

  /**
   * Skips spaces, line breaks and comments inside a flow collection; every new line must be
   * indented deeper than the enclosing block collection (at depth 1, a closing `]` may stand at
   * `closeColumn`).
   */
  private flowSpace(state: { offset: number }, indent: number, depth = 0): void {
    let i = state.offset;
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE) {
        i++;
      } else if (c === NL) {
        i++;
        let col = 0;
        while (text.charCodeAt(i) === SPACE) {
          i++;
          col++;
        }
        const after = text.charCodeAt(i);
        if (i < text.length && after !== NL && col <= indent) {
          if (!(depth === 1 && after === 0x5d && col >= this.closeColumn)) outside();
        }
      } else if (c === HASH && (i === 0 || text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === NL)) {
        while (i < text.length && text.charCodeAt(i) !== NL) i++;
      } else {
        break;
      }
    }
    if (i >= text.length) outside();
    state.offset = i;
  }

  private flowSeq(state: { offset: number }, indent: number, depth = 1): YAMLSeq {
    if (this.depth + depth > this.maxDepth) outside();
    const seq = new FastSeq([state.offset, state.offset, state.offset]) as unknown as YAMLSeq;
    seq.flow = true;
    state.offset++;
    const text = this.text;
    for (;;) {
      this.flowSpace(state, indent, depth);
      const c = text[state.offset]!;
      if (c === ']') {
        state.offset++;
        return seq;
      }
      if (c === ',') outside();
      if (c === '[') {
        seq.items.push(this.flowSeq(state, indent, depth + 1));
      } else if (c === '*') {
        const alias = this.alias(state.offset);
        seq.items.push(alias);
        state.offset += 1 + alias.source.length;
      } else if (c === '"' || c === "'") {
        const { value, next } = this.readQuoted(state.offset);
        seq.items.push(this.quotedNode(state.offset, value));
        state.offset = next;
      } else {
        seq.items.push(this.flowPlain(state));
      }
      this.flowSpace(state, indent, depth);
      const after = text[state.offset];
      if (after === ',') {
        state.offset++;
      } else if (after !== ']') {
        outside();
      }
    }
  }

  /** A plain scalar inside a flow sequence: up to `,`, `]` or a comment, on one line. */
  private flowPlain(state: { offset: number }): Scalar {
    const text = this.text;
    const at = state.offset;
    const c = text[at]!;
    if (PLAIN_FORBIDDEN_START.has(c)) {
      const next = text[at + 1];
      if (c !== '-' || next === undefined || next === ' ' || next === '\n' || FLOW_STOP.has(next)) outside();
    }
    let i = at;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (FLOW_STOP.has(ch) || ch === '\n') break;
      // `a:b` is one scalar; `a: b` or `a:` before a flow indicator would be a mapping.
      if (ch === ':') {
        const next = text[i + 1];
        if (next === undefined || next === ' ' || next === '\n' || FLOW_STOP.has(next)) outside();
      }
      if (ch === '#' && text[i - 1] === ' ') break;
    }
    let stop = i;
    while (stop > at && text.charCodeAt(stop - 1) === SPACE) stop--;
    // A plain scalar continued on the next line is folded by YAML; not in this subset.
    if (text[i] === '\n' || text[i] === '#') {
      const probe = { offset: i };
      this.flowSpace(probe, -1);
      const next = text[probe.offset];
      if (next !== ',' && next !== ']') outside();
    }
    if (stop === at) outside();
    state.offset = stop;
    return scalar(text.slice(at, stop), 'PLAIN', at);
  }
}
