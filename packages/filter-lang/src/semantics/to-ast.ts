/**
 * The only operation over the concrete syntax tree: builds the AST with positions. Quoted strings
 * are unescaped here (an invalid escape is a syntax error at the string), `not` runs are folded
 * by parity, and libsinsp's recursion limit is enforced on the nesting the input really has.
 */
import type { ActionDict, Grammar, OhmNode, Semantics } from '../grammar/ohm';
import {
  NodeType,
  type ArgListNode,
  type BinaryOperator,
  type CheckLeft,
  type Expr,
  type FieldNode,
  type ListNode,
  type OperatorModifier,
  type SourceLocation,
  type TransformerArg,
  type TransformerName,
  type TransformerNode,
  type ValueNode,
} from '../ast';
import { EscapeError, unescapeQuoted } from '../escaping';

/** Maps offsets to line/column the way libsinsp counts them (`\r` and `\n` each start a line). */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  position(offset: number): { offset: number; line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** Thrown from inside the semantics; the parser turns it into a FilterSyntaxError. */
export class SemanticSyntaxError extends Error {
  constructor(
    readonly kind: 'escape' | 'depth',
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

export interface ToAstContext {
  lines: LineMap;
  maxDepth: number;
}

type AstResult = Expr | FieldNode | TransformerNode | ValueNode | ListNode | ArgListNode | string | null | AstResult[];

interface Span {
  range: [number, number];
  loc: SourceLocation;
}

/**
 * Creates the `ast` operation. `context` is read at call time (one grammar and semantics are
 * shared by every parse).
 */
export function createToAst(grammar: Grammar, getContext: () => ToAstContext): Semantics {
  const semantics = grammar.createSemantics();

  function span(node: OhmNode, startAt?: number): Span {
    const { lines } = getContext();
    const start = startAt ?? node.source.startIdx;
    const end = node.source.endIdx;
    return { range: [start, end], loc: { start: lines.position(start), end: lines.position(end) } };
  }

  /** Span of a node without its leading blanks (libsinsp rules start by skipping blanks). */
  function trimmedSpan(node: OhmNode): Span {
    const text = node.sourceString;
    let skip = 0;
    while (skip < text.length && ' \t\b\r\n'.includes(text[skip])) skip++;
    return span(node, node.source.startIdx + skip);
  }

  function ast(node: OhmNode): AstResult {
    return node['ast']() as AstResult;
  }

  function optional(iter: OhmNode): AstResult | undefined {
    return iter.children.length > 0 ? ast(iter.children[0]) : undefined;
  }

  function nary(type: NodeType.And | NodeType.Or, whole: OhmNode, first: OhmNode, tail: OhmNode): Expr {
    const head = ast(first) as Expr;
    if (tail.children.length === 0) return head;
    const children = [head, ...tail.children.map((t) => ast(t) as Expr)];
    return { type, children, ...trimmedSpan(whole) } as Expr;
  }

  const actions: ActionDict<AstResult> = {
    filter(expr, _end) {
      return ast(expr);
    },
    orExpr(_b1, first, _b2, tail) {
      return nary(NodeType.Or, this, first, tail);
    },
    orTail(_or, operand, _b) {
      return ast(operand);
    },
    orOperand_blank(_b, expr) {
      return ast(expr);
    },
    orOperand_paren(_open, embedded) {
      return ast(embedded);
    },
    andExpr(_b1, first, _b2, tail) {
      return nary(NodeType.And, this, first, tail);
    },
    andTail(_and, operand, _b) {
      return ast(operand);
    },
    andOperand_blank(_b, expr) {
      return ast(expr);
    },
    andOperand_paren(_open, embedded) {
      return ast(embedded);
    },
    notExpr(_b, prefixes, body) {
      let negate = prefixes.children.length % 2 === 1;
      if (body.ctorName === 'notBody' && body.children[0].ctorName === 'notBody_paren') negate = !negate;
      const child = ast(body) as Expr;
      if (!negate) return child;
      return { type: NodeType.Not, child, ...trimmedSpan(this) };
    },
    notBody_paren(_open, embedded) {
      return ast(embedded);
    },
    notBody_check(check) {
      return ast(check);
    },
    embedded(_b1, expr, _b2, _close) {
      return ast(expr);
    },
    check(_b, body) {
      return ast(body);
    },
    checkBody_paren(_open, embedded) {
      return ast(embedded);
    },
    checkBody_field(field, condition) {
      return makeCheck(this, ast(field) as CheckLeft, condition);
    },
    checkBody_transformer(transformer, condition) {
      return makeCheck(this, ast(transformer) as CheckLeft, condition);
    },
    checkBody_identifier(id) {
      return { type: NodeType.Identifier, name: id.sourceString, ...span(this) };
    },

    numRhs(_b, body) {
      return ast(body);
    },
    numRhsBody_transformer(t) {
      return ast(t);
    },
    numRhsBody_hex(n) {
      return valueNode(n, n.sourceString, false);
    },
    numRhsBody_number(n) {
      return valueNode(n, n.sourceString, false);
    },
    strRhs(_b, body) {
      return ast(body);
    },
    strRhsBody_transformer(t) {
      return ast(t);
    },
    strRhsBody_modifier(_m, _b, operand) {
      return ast(operand);
    },
    strRhsBody_quoted(q) {
      return ast(q);
    },
    strRhsBody_bare(b) {
      return valueNode(b, b.sourceString, false);
    },
    modifierOperand_list(list) {
      return ast(list);
    },
    modifierOperand_name(name) {
      return valueNode(name, name.sourceString, false);
    },
    listRhs(_b, body) {
      return ast(body);
    },
    listRhsBody_list(list) {
      return ast(list);
    },
    listRhsBody_transformer(t) {
      return ast(t);
    },
    listRhsBody_name(name) {
      return valueNode(name, name.sourceString, false);
    },
    listValue(_open, _b1, items, _b2, _close) {
      const values = (optional(items) as ValueNode[] | undefined) ?? [];
      return { type: NodeType.List, items: values, ...span(this) };
    },
    listItems(first, _b1, _commas, _b2, rest) {
      return [ast(first), ...rest.children.map((c) => ast(c))];
    },
    listItem(item) {
      if (item.ctorName === 'bareString') return valueNode(item, item.sourceString, false);
      return ast(item);
    },

    transformerOrVal(t) {
      return ast(t);
    },
    valCall(_open, _b1, field, _b2, _close) {
      return transformerNode(this, 'val', [ast(field) as FieldNode], undefined);
    },
    transformer(call, arg) {
      const base = ast(call) as TransformerNode;
      const fieldArg = optional(arg) as string | undefined;
      const node: TransformerNode = { ...base, ...span(this) };
      if (fieldArg !== undefined) node.arg = fieldArg;
      return node;
    },
    transformerCall_join(_open, _b1, sep, _b2, _comma, _b3, list, _b4, _close) {
      return transformerNode(this, 'join', [stringArg(sep), ast(list) as ArgListNode], undefined);
    },
    transformerCall_concat(_open, _b1, first, _b2, _commas, _b3, rest, _b4, _close) {
      const args = [ast(first), ...rest.children.map((c) => ast(c))] as TransformerArg[];
      return transformerNode(this, 'concat', args, undefined);
    },
    transformerCall_getopt(_open, _b1, target, _b2, _comma, _b3, opts, _b4, _close) {
      return transformerNode(this, 'getopt', [ast(target) as CheckLeft, stringArg(opts)], undefined);
    },
    transformerCall_unary(name, _open, _b1, target, _b2, _close) {
      return transformerNode(this, name.sourceString as TransformerName, [ast(target) as CheckLeft], undefined);
    },
    fieldOrTransformer(x) {
      return ast(x);
    },
    stringArg(x) {
      return stringArg(x);
    },
    concatArg(x) {
      return ast(x);
    },
    argList(_open, _b1, items, _b2, _close) {
      const elements = (optional(items) as ArgListNode['elements'] | undefined) ?? [];
      return { type: NodeType.ArgList, elements, ...span(this) };
    },
    argListItems(first, _b1, _commas, _b2, rest) {
      return [ast(first), ...rest.children.map((c) => ast(c))];
    },
    argListItem(item) {
      if (item.ctorName === 'hexNumber' || item.ctorName === 'number') return valueNode(item, item.sourceString, false);
      return ast(item);
    },

    fieldRef(name, arg) {
      const fieldArg = optional(arg) as string | undefined;
      const node: FieldNode = { type: NodeType.Field, name: name.sourceString, ...span(this) };
      if (fieldArg !== undefined) node.arg = fieldArg;
      return node;
    },
    fieldArg(_open, value, _close) {
      return ast(value);
    },
    fieldArgValue(v) {
      if (v.ctorName === 'fieldArgBare') return v.sourceString;
      return (ast(v) as ValueNode).value;
    },
    quotedString_double(_o, _chars, _c) {
      return valueNode(this, unescape(this), true);
    },
    quotedString_single(_o, _chars, _c) {
      return valueNode(this, unescape(this), true);
    },
  };

  function stringArg(x: OhmNode): ValueNode {
    const inner = x.ctorName === 'stringArg' ? x.children[0] : x;
    if (inner.ctorName === 'bareString') return valueNode(inner, inner.sourceString, false);
    return ast(inner) as ValueNode;
  }

  function unescape(node: OhmNode): string {
    try {
      return unescapeQuoted(node.sourceString);
    } catch (e) {
      if (e instanceof EscapeError) throw new SemanticSyntaxError('escape', e.message, node.source.startIdx + e.index);
      throw e;
    }
  }

  function valueNode(node: OhmNode, value: string, quoted: boolean): ValueNode {
    return { type: NodeType.Value, value, quoted, ...span(node) };
  }

  function transformerNode(node: OhmNode, name: TransformerName, args: TransformerArg[], arg: string | undefined): TransformerNode {
    const t: TransformerNode = { type: NodeType.Transformer, name, args, ...span(node) };
    if (arg !== undefined) t.arg = arg;
    return t;
  }

  function makeCheck(whole: OhmNode, left: CheckLeft, condition: OhmNode): Expr {
    const body = condition.children[1];
    const alt = body.children[0];
    const where = trimmedSpan(whole);
    if (alt.ctorName === 'conditionBody_unary') {
      return { type: NodeType.UnaryCheck, left, operator: 'exists', ...where };
    }
    const [opNode, rhsNode] = alt.children;
    // Lookaheads consume nothing, so the operator node's text is the operator as written.
    const operator = opNode.sourceString as BinaryOperator;
    const right = ast(rhsNode) as ValueNode | ListNode | TransformerNode;
    let modifier: OperatorModifier | undefined;
    if (alt.ctorName === 'conditionBody_str') {
      const rhsBody = rhsNode.children[1].children[0];
      if (rhsBody.ctorName === 'strRhsBody_modifier') modifier = rhsBody.children[0].sourceString as OperatorModifier;
    }
    return modifier
      ? { type: NodeType.BinaryCheck, left, operator, modifier, right, ...where }
      : { type: NodeType.BinaryCheck, left, operator, right, ...where };
  }

  semantics.addOperation<AstResult>('ast', actions);
  return semantics;
}
