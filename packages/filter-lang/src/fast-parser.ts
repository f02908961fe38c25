/**
 * A hand-written recursive-descent reading of the common subset of the grammar in
 * `grammar/filter.ohm`: and/or/not, parentheses, macro references, field checks with plain or
 * quoted values, numbers and lists. ohm costs several microseconds per character, which made rule
 * loading the largest part of start-up; this path is about two orders of magnitude faster.
 *
 * It mirrors the PEG rule by rule (same ordered choices, same greedy repetitions) and builds the
 * same nodes with the same spans as `semantics/to-ast.ts`. Whenever the input leaves the subset
 * (transformers, modifiers, escapes in quoted strings, non-ASCII text) or a step fails at a point
 * where the PEG would backtrack into another alternative, it gives up by returning `undefined` and
 * `parse` runs ohm instead: every syntax error, and every rarely used construct, still comes from
 * the grammar. A test compares both parsers on every condition of the test data and on mutations
 * of them.
 */
import { NodeType, type CheckLeft, type Expr, type FieldNode, type ListNode, type SourceLocation, type ValueNode } from './ast';
import { EscapeError, unescapeQuoted } from './escaping';
import type { LineMap } from './semantics/to-ast';

/** Thrown to abandon the fast path; never escapes `parseFast`. */
class GiveUp {}
const GIVE_UP = new GiveUp();

/** `blank` in the grammar: space, backspace, tab, newline, carriage return. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 8 && c <= 10) || c === 13;
}

/** `posixSpace`: space and tab through carriage return. */
function isPosixSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** `bareString` characters: all but NUL, tab..CR, space, quotes, parentheses, `,` and `=`. */
function isBareChar(c: number): boolean {
  return (c >= 62) || (c >= 45 && c <= 60) || c === 42 || c === 43 || (c >= 35 && c <= 38) || c === 33 || (c >= 14 && c <= 31) || (c >= 1 && c <= 8);
}

/** `fieldArgBare` characters: all but NUL, tab..CR, space, quotes and square brackets. */
function isFieldArgChar(c: number): boolean {
  return (c >= 94) || (c >= 40 && c <= 90) || (c >= 35 && c <= 38) || c === 33 || c === 92 || (c >= 14 && c <= 31) || (c >= 1 && c <= 8);
}

/** Right-hand sides that start a transformer (or `val(`): left to ohm. */
const TRANSFORMER_STARTS = ['val(', 'join(', 'concat(', 'getopt(', 'tolower(', 'toupper(', 'b64(', 'basename(', 'len('];
const MODIFIERS = ['oneof', 'anyof', 'allof'];
const STR_WORD_OPS = ['glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'];
const LIST_OPS = ['intersects', 'in', 'pmatch'];

class FastParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineMap,
  ) {}

  parseFilter(): Expr {
    const expr = this.orExpr();
    if (this.pos !== this.text.length) throw GIVE_UP;
    return expr;
  }

  private code(at: number = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  private startsWith(s: string, at: number = this.pos): boolean {
    return this.text.startsWith(s, at);
  }

  private skipBlanks(): void {
    while (isBlank(this.code())) this.pos++;
  }

  // Nodes are written out with `range` and `loc` (no object spread: the upstream rules make
  // tens of thousands of list item nodes, and spreading a fresh object is several times slower).
  private span(start: number, end: number): SourceLocation {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }

  // orExpr = blank* andExpr blank* orTail* ; orTail = "or" orOperand blank*
  private orExpr(): Expr {
    this.skipBlanks();
    const start = this.pos;
    const first = this.andExpr();
    this.skipBlanks();
    const children: Expr[] = [first];
    while (this.startsWith('or')) {
      this.pos += 2;
      children.push(this.operand(() => this.andExpr()));
      this.skipBlanks();
    }
    if (children.length === 1) return first;
    return { type: NodeType.Or, children, range: [start, this.pos], loc: this.span(start, this.pos) };
  }

  // andExpr = blank* notExpr blank* andTail* ; andTail = "and" andOperand blank*
  private andExpr(): Expr {
    this.skipBlanks();
    const start = this.pos;
    const first = this.notExpr();
    this.skipBlanks();
    const children: Expr[] = [first];
    while (this.startsWith('and')) {
      this.pos += 3;
      children.push(this.operand(() => this.notExpr()));
      this.skipBlanks();
    }
    if (children.length === 1) return first;
    return { type: NodeType.And, children, range: [start, this.pos], loc: this.span(start, this.pos) };
  }

  /**
   * `blank+ next | "(" embedded`. After a keyword that matched, a failing operand would make the
   * PEG backtrack out of the repetition; that is left to ohm.
   */
  private operand(next: () => Expr): Expr {
    const c = this.code();
    if (isBlank(c)) {
      this.skipBlanks();
      return next();
    }
    if (c === 40) {
      this.pos++;
      return this.embedded();
    }
    throw GIVE_UP;
  }

  // embedded = blank* orExpr blank* ")"
  private embedded(): Expr {
    const expr = this.orExpr();
    this.skipBlanks();
    if (this.code() !== 41) throw GIVE_UP;
    this.pos++;
    return expr;
  }

  // notExpr = blank* notPrefix* notBody ; notPrefix = "not" posixSpace+ ; notBody = "not(" embedded | check
  private notExpr(): Expr {
    this.skipBlanks();
    const start = this.pos;
    let negate = false;
    while (this.startsWith('not') && isPosixSpace(this.code(this.pos + 3))) {
      this.pos += 3;
      while (isPosixSpace(this.code())) this.pos++;
      negate = !negate;
    }
    let child: Expr;
    if (this.startsWith('not(')) {
      this.pos += 4;
      child = this.embedded();
      negate = !negate;
    } else {
      child = this.check();
    }
    if (!negate) return child;
    return { type: NodeType.Not, child, range: [start, this.pos], loc: this.span(start, this.pos) };
  }

  // check = blank* checkBody ; checkBody = "(" embedded | fieldRef condition | transformer condition | identifier
  private check(): Expr {
    this.skipBlanks();
    const start = this.pos;
    const c = this.code();
    if (c === 40) {
      this.pos++;
      return this.embedded();
    }
    if (!isLetter(c)) throw GIVE_UP;
    const idEnd = this.identifierEnd(start);
    if (this.code(idEnd) === 46 && isLetter(this.code(idEnd + 1))) {
      const left = this.fieldRef(start);
      return this.condition(start, left);
    }
    // Not a field: a transformer call would be tried next, else a macro reference.
    for (const t of TRANSFORMER_STARTS) if (this.startsWith(t, start)) throw GIVE_UP;
    this.pos = idEnd;
    return { type: NodeType.Identifier, name: this.text.slice(start, idEnd), range: [start, idEnd], loc: this.span(start, idEnd) };
  }

  /** End of `identifier` = letter+ identChar* starting at `at` (a letter). */
  private identifierEnd(at: number): number {
    let i = at;
    while (isLetter(this.code(i))) i++;
    while (isIdentChar(this.code(i))) i++;
    return i;
  }

  // fieldRef = fieldName fieldArg? ; fieldName = identifier ("." identifier)+
  private fieldRef(start: number): FieldNode {
    let i = this.identifierEnd(start);
    while (this.code(i) === 46 && isLetter(this.code(i + 1))) i = this.identifierEnd(i + 1);
    const name = this.text.slice(start, i);
    this.pos = i;
    let arg: string | undefined;
    if (this.code() === 91) {
      // fieldArg = "[" (quotedString | fieldArgBare) "]"; fieldArg? gives up on a failed argument.
      this.pos++;
      const c = this.code();
      if (c === 34 || c === 39) {
        arg = this.quoted().value;
      } else {
        const argStart = this.pos;
        while (isFieldArgChar(this.code())) this.pos++;
        if (this.pos === argStart) throw GIVE_UP;
        arg = this.text.slice(argStart, this.pos);
      }
      if (this.code() !== 93) throw GIVE_UP;
      this.pos++;
    }
    const node: FieldNode = { type: NodeType.Field, name, range: [start, this.pos], loc: this.span(start, this.pos) };
    if (arg !== undefined) node.arg = arg;
    return node;
  }

  // condition = blank* (unaryOp | numOp numRhs | strOp strRhs | listOp listRhs)
  private condition(start: number, left: CheckLeft): Expr {
    this.skipBlanks();
    if (this.startsWith('exists')) {
      this.pos += 6;
      return { type: NodeType.UnaryCheck, left, operator: 'exists', range: [start, this.pos], loc: this.span(start, this.pos) };
    }
    const numOp = ['<=', '<', '>=', '>'].find((op) => this.startsWith(op));
    if (numOp !== undefined) {
      this.pos += numOp.length;
      const right = this.numRhs();
      return this.binary(start, left, numOp, right);
    }
    let strOp = ['==', '=', '!='].find((op) => this.startsWith(op));
    if (strOp === undefined) {
      strOp = STR_WORD_OPS.find((op) => this.startsWith(op) && isBlank(this.code(this.pos + op.length)));
    }
    if (strOp !== undefined) {
      this.pos += strOp.length;
      const right = this.strRhs();
      return this.binary(start, left, strOp, right);
    }
    const listOp = LIST_OPS.find((op) => this.startsWith(op));
    if (listOp !== undefined) {
      this.pos += listOp.length;
      const right = this.listRhs();
      return this.binary(start, left, listOp, right);
    }
    throw GIVE_UP;
  }

  private binary(start: number, left: CheckLeft, operator: string, right: ValueNode | ListNode): Expr {
    return { type: NodeType.BinaryCheck, left, operator, right, range: [start, this.pos], loc: this.span(start, this.pos) } as Expr;
  }

  private giveUpOnTransformer(): void {
    for (const t of TRANSFORMER_STARTS) if (this.startsWith(t)) throw GIVE_UP;
  }

  // numRhs = blank* (transformerOrVal | hexNumber | number)
  private numRhs(): ValueNode {
    this.skipBlanks();
    this.giveUpOnTransformer();
    const start = this.pos;
    const t = this.text;
    let i = start;
    if (t[i] === '0' && (t[i + 1] === 'x' || t[i + 1] === 'X') && isIdentChar(this.code(i + 2)) && this.code(i + 2) !== 95) {
      i += 2;
      while (isLetter(this.code(i)) || isDigit(this.code(i))) i++;
    } else {
      if (t[i] === '+' || t[i] === '-') i++;
      if (!isDigit(this.code(i))) throw GIVE_UP;
      while (isDigit(this.code(i))) i++;
      if (t[i] === '.') i++;
      while (isDigit(this.code(i))) i++;
      if ((t[i] === 'e' || t[i] === 'E') && (t[i + 1] === '+' || t[i + 1] === '-') && isDigit(this.code(i + 2))) {
        i += 2;
        while (isDigit(this.code(i))) i++;
      }
    }
    this.pos = i;
    return this.value(start, i, t.slice(start, i), false);
  }

  // strRhs = blank* (transformerOrVal | modifier blank+ modifierOperand | quotedString | bareString)
  private strRhs(): ValueNode {
    this.skipBlanks();
    this.giveUpOnTransformer();
    for (const m of MODIFIERS) if (this.startsWith(m)) throw GIVE_UP;
    const c = this.code();
    if (c === 34 || c === 39) return this.quoted();
    return this.bare();
  }

  // listRhs = blank* (listValue | transformerOrVal | identifier)
  private listRhs(): ValueNode | ListNode {
    this.skipBlanks();
    const start = this.pos;
    if (this.code() === 40) return this.listValue();
    this.giveUpOnTransformer();
    if (!isLetter(this.code())) throw GIVE_UP;
    const end = this.identifierEnd(start);
    this.pos = end;
    return this.value(start, end, this.text.slice(start, end), false);
  }

  // listValue = "(" blank* listItems? blank* ")" ; listItems = listItem (blank* "," blank* listItem)*
  private listValue(): ListNode {
    const start = this.pos;
    this.pos++;
    this.skipBlanks();
    const items: ValueNode[] = [];
    if (this.code() !== 41) {
      items.push(this.listItem());
      for (;;) {
        const save = this.pos;
        this.skipBlanks();
        if (this.code() !== 44) {
          this.pos = save;
          break;
        }
        this.pos++;
        this.skipBlanks();
        items.push(this.listItem());
      }
      this.skipBlanks();
    }
    if (this.code() !== 41) throw GIVE_UP;
    this.pos++;
    return { type: NodeType.List, items, range: [start, this.pos], loc: this.span(start, this.pos) };
  }

  // listItem = quotedString | bareString
  private listItem(): ValueNode {
    const c = this.code();
    if (c === 34 || c === 39) return this.quoted();
    return this.bare();
  }

  private bare(): ValueNode {
    const start = this.pos;
    while (isBareChar(this.code())) this.pos++;
    if (this.pos === start) throw GIVE_UP;
    return this.value(start, this.pos, this.text.slice(start, this.pos), false);
  }

  /**
   * quotedString: the delimiter, then anything but the delimiter and NUL where a backslash
   * followed by the delimiter is taken as a pair, then the delimiter.
   */
  private quoted(): ValueNode {
    const start = this.pos;
    const q = this.code();
    let i = start + 1;
    for (;;) {
      const c = this.code(i);
      if (c === -1 || c === 0) throw GIVE_UP;
      if (c === 92 && this.code(i + 1) === q) {
        i += 2;
        continue;
      }
      i++;
      if (c === q) break;
    }
    this.pos = i;
    let value: string;
    try {
      value = unescapeQuoted(this.text.slice(start, i));
    } catch (e) {
      // The grammar path reports the escape error with its position.
      if (e instanceof EscapeError) throw GIVE_UP;
      throw e;
    }
    return this.value(start, i, value, true);
  }

  private value(start: number, end: number, value: string, quoted: boolean): ValueNode {
    return { type: NodeType.Value, value, quoted, range: [start, end], loc: this.span(start, end) };
  }
}

/** True when every character is ASCII (the fast path leaves code points beyond it to ohm). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** The AST of `text`, or undefined when the text is outside the subset this parser reads. */
export function parseFast(text: string, lines: LineMap): Expr | undefined {
  if (!isAscii(text)) return undefined;
  try {
    return new FastParser(text, lines).parseFilter();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    // Anything else is a bug in the fast path; the grammar decides instead.
    return undefined;
  }
}
