/**
 * The condition AST. Every node carries its source span (`range` as [start, end) offsets and `loc`
 * with 1-based line/column), so the engine can point at the macro, list or check a problem comes
 * from. Node shapes follow libsinsp's AST (n-ary and/or, not, identifier, checks, values, lists,
 * transformers) so that printing gives libsinsp's canonical form.
 */

export enum NodeType {
  And = 'And',
  Or = 'Or',
  Not = 'Not',
  /** A bare identifier used as a condition: a macro reference. */
  Identifier = 'Identifier',
  UnaryCheck = 'UnaryCheck',
  BinaryCheck = 'BinaryCheck',
  /** A field reference: `proc.name`, `proc.aname[2]`, `evt.arg["key"]`. */
  Field = 'Field',
  /** A transformer applied to fields or values: `tolower(proc.name)`, `val(fd.name)`. */
  Transformer = 'Transformer',
  /** A transformer argument that is a parenthesised list: `join(",", (a.b, c.d))`. */
  ArgList = 'ArgList',
  /** A string value (quoted or bare; quoting is resolved at parse time). */
  Value = 'Value',
  /** A list of string values: `(a, "b c", 'd')`. */
  List = 'List',
}

export interface Position {
  /** 0-based offset in the condition text (UTF-16 code units). */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

interface NodeBase {
  /** [start, end) offsets in the source text. */
  range: [number, number];
  loc: SourceLocation;
}

export interface AndNode extends NodeBase {
  type: NodeType.And;
  children: Expr[];
}

export interface OrNode extends NodeBase {
  type: NodeType.Or;
  children: Expr[];
}

export interface NotNode extends NodeBase {
  type: NodeType.Not;
  child: Expr;
}

export interface IdentifierNode extends NodeBase {
  type: NodeType.Identifier;
  name: string;
}

export interface FieldNode extends NodeBase {
  type: NodeType.Field;
  name: string;
  /** The argument between brackets (unescaped); undefined when there are no brackets. */
  arg?: string;
}

/** Transformers usable on either side of a check; `val` is only valid on the right-hand side. */
export type TransformerName =
  | 'tolower'
  | 'toupper'
  | 'b64'
  | 'basename'
  | 'len'
  | 'join'
  | 'concat'
  | 'getopt'
  | 'val';

export const TRANSFORMER_NAMES: readonly TransformerName[] = [
  'tolower',
  'toupper',
  'b64',
  'basename',
  'len',
  'join',
  'concat',
  'getopt',
  'val',
];

export type TransformerArg = FieldNode | TransformerNode | ValueNode | ArgListNode;

export interface TransformerNode extends NodeBase {
  type: NodeType.Transformer;
  name: TransformerName;
  args: TransformerArg[];
  /** Optional `[arg]` after the closing parenthesis (`getopt(proc.args, "t:")[t]`). */
  arg?: string;
}

export interface ArgListNode extends NodeBase {
  type: NodeType.ArgList;
  elements: (FieldNode | TransformerNode | ValueNode)[];
}

export interface ValueNode extends NodeBase {
  type: NodeType.Value;
  /** The value after unescaping. */
  value: string;
  /** True when the value was written quoted (then it can never be a list reference). */
  quoted: boolean;
}

export interface ListNode extends NodeBase {
  type: NodeType.List;
  items: ValueNode[];
}

export type UnaryOperator = 'exists';

export type BinaryOperator =
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'bcontains'
  | 'startswith'
  | 'bstartswith'
  | 'endswith'
  | 'glob'
  | 'iglob'
  | 'regex'
  | 'in'
  | 'intersects'
  | 'pmatch';

export const BINARY_OPERATORS: readonly BinaryOperator[] = [
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith',
  'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch',
];

export type OperatorModifier = 'oneof' | 'anyof' | 'allof';

export type CheckLeft = FieldNode | TransformerNode;

export interface UnaryCheckNode extends NodeBase {
  type: NodeType.UnaryCheck;
  left: CheckLeft;
  operator: UnaryOperator;
}

export interface BinaryCheckNode extends NodeBase {
  type: NodeType.BinaryCheck;
  left: CheckLeft;
  operator: BinaryOperator;
  modifier?: OperatorModifier;
  /**
   * A value, a list, a transformer (`val(...)` included) or, for list operators and modifiers, a
   * bare value naming a list (`in my_list`: a `Value` node with `quoted: false`).
   */
  right: ValueNode | ListNode | TransformerNode;
}

/** A node in boolean position. */
export type Expr = AndNode | OrNode | NotNode | IdentifierNode | UnaryCheckNode | BinaryCheckNode;

export type Node = Expr | FieldNode | TransformerNode | ArgListNode | ValueNode | ListNode;

/** The result of `parse`: the root expression. */
export type Ast = Expr;

type NodeOf<T extends NodeType> = Extract<Node, { type: T }>;

/**
 * Which properties of each node hold child nodes, in source order. Typed against the node
 * shapes so that adding a node field without listing it here is a compile error.
 */
export const VISITOR_KEYS: { readonly [T in NodeType]: readonly (keyof NodeOf<T>)[] } = {
  [NodeType.And]: ['children'],
  [NodeType.Or]: ['children'],
  [NodeType.Not]: ['child'],
  [NodeType.Identifier]: [],
  [NodeType.UnaryCheck]: ['left'],
  [NodeType.BinaryCheck]: ['left', 'right'],
  [NodeType.Field]: [],
  [NodeType.Transformer]: ['args'],
  [NodeType.ArgList]: ['elements'],
  [NodeType.Value]: [],
  [NodeType.List]: ['items'],
};

/** Calls `fn` for every node, parents before children, in source order. */
export function walk(node: Node, fn: (node: Node, parent: Node | undefined) => void, parent?: Node): void {
  fn(node, parent);
  const keys = VISITOR_KEYS[node.type] as readonly string[];
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const c of child as Node[]) walk(c, fn, node);
    } else if (child) {
      walk(child as Node, fn, node);
    }
  }
}

/**
 * Calls `fn` for every check (`UnaryCheck`, `BinaryCheck`) in source order, descending only
 * through `and`, `or` and `not`: checks stand only there, so this skips the operands and list items
 * `walk` would visit (macro-expanded conditions hold thousands of list items).
 */
export function walkChecks(node: Expr, fn: (check: UnaryCheckNode | BinaryCheckNode) => void): void {
  switch (node.type) {
    case NodeType.And:
    case NodeType.Or:
      for (const c of node.children) walkChecks(c, fn);
      return;
    case NodeType.Not:
      walkChecks(node.child, fn);
      return;
    case NodeType.UnaryCheck:
    case NodeType.BinaryCheck:
      fn(node);
      return;
    default:
      return;
  }
}

/**
 * Per-node-type callbacks for `transform`. A callback returns a replacement node, or undefined to
 * keep the node and descend into its children. A replacement is not visited again: the caller
 * decides whether its own replacement needs further work (macro bodies are expanded once, when
 * they are defined).
 */
export type Visitor = { [T in NodeType]?: (node: NodeOf<T>) => Node | undefined };

/**
 * Returns a copy-on-write transformation of `node`: unchanged subtrees are shared, changed ones
 * are rebuilt. The engine substitutes macros with `transform(ast, { Identifier: (n) => ... })`.
 * Replacements must fit where they are put (an `Expr` for a boolean position, a `ListNode` or
 * `ValueNode` for a right-hand side); `transform` checks the common cases and throws a TypeError.
 */
export function transform<N extends Node>(node: N, visitor: Visitor): Node {
  const callback = visitor[node.type] as ((n: Node) => Node | undefined) | undefined;
  const replaced = callback?.(node);
  if (replaced !== undefined) return replaced;
  const keys = VISITOR_KEYS[node.type] as readonly string[];
  let copy: Record<string, unknown> | undefined;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      // The new array is made only once a child changes: lists have hundreds of items, and most
      // transformations (macro expansion) change none of them.
      const items = child as Node[];
      let next: Node[] | undefined;
      for (let i = 0; i < items.length; i++) {
        const c = items[i]!;
        const t = transform(c, visitor);
        if (next) next.push(t);
        else if (t !== c) {
          next = items.slice(0, i);
          next.push(t);
        }
      }
      if (next) {
        copy ??= { ...(node as object) };
        copy[key] = next;
      }
    } else if (child) {
      const t = transform(child as Node, visitor);
      if (t !== child) {
        copy ??= { ...(node as object) };
        copy[key] = t;
      }
    }
  }
  if (!copy) return node;
  checkShape(copy as unknown as Node);
  return copy as unknown as Node;
}

const EXPR_TYPES = new Set<NodeType>([
  NodeType.And, NodeType.Or, NodeType.Not, NodeType.Identifier, NodeType.UnaryCheck, NodeType.BinaryCheck,
]);

/** True when `node` can stand in a boolean position. */
export function isExpr(node: Node): node is Expr {
  return EXPR_TYPES.has(node.type);
}

function checkShape(node: Node): void {
  switch (node.type) {
    case NodeType.And:
    case NodeType.Or:
      for (const c of node.children as Node[]) if (!isExpr(c)) throw new TypeError(`transform: a ${c.type} node cannot be a child of ${node.type}`);
      return;
    case NodeType.Not:
      if (!isExpr(node.child as Node)) throw new TypeError(`transform: a ${(node.child as Node).type} node cannot be the child of Not`);
      return;
    case NodeType.BinaryCheck: {
      const t = (node.right as Node).type;
      if (t !== NodeType.Value && t !== NodeType.List && t !== NodeType.Transformer) {
        throw new TypeError(`transform: a ${t} node cannot be the right-hand side of a check`);
      }
      return;
    }
    default:
      return;
  }
}

const NO_LOC: SourceLocation = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

/**
 * Node builders for hosts that construct conditions in code (the engine builds exception
 * conditions and list substitutions this way). Built nodes get an empty position unless given one.
 */
export const build = {
  and(children: Expr[], at?: NodeBase): AndNode {
    return { type: NodeType.And, children, ...pos(at) };
  },
  or(children: Expr[], at?: NodeBase): OrNode {
    return { type: NodeType.Or, children, ...pos(at) };
  },
  not(child: Expr, at?: NodeBase): NotNode {
    return { type: NodeType.Not, child, ...pos(at) };
  },
  identifier(name: string, at?: NodeBase): IdentifierNode {
    return { type: NodeType.Identifier, name, ...pos(at) };
  },
  field(name: string, arg?: string, at?: NodeBase): FieldNode {
    return arg === undefined ? { type: NodeType.Field, name, ...pos(at) } : { type: NodeType.Field, name, arg, ...pos(at) };
  },
  value(value: string, quoted = true, at?: NodeBase): ValueNode {
    return { type: NodeType.Value, value, quoted, ...pos(at) };
  },
  list(values: readonly string[], at?: NodeBase): ListNode {
    return { type: NodeType.List, items: values.map((v) => build.value(v, true, at)), ...pos(at) };
  },
  unary(left: CheckLeft, operator: UnaryOperator, at?: NodeBase): UnaryCheckNode {
    return { type: NodeType.UnaryCheck, left, operator, ...pos(at) };
  },
  binary(
    left: CheckLeft,
    operator: BinaryOperator,
    right: ValueNode | ListNode | TransformerNode,
    modifier?: OperatorModifier,
    at?: NodeBase,
  ): BinaryCheckNode {
    const node: BinaryCheckNode = { type: NodeType.BinaryCheck, left, operator, right, ...pos(at) };
    if (modifier) node.modifier = modifier;
    return node;
  },
};

function pos(at?: NodeBase): NodeBase {
  if (!at) return { range: [0, 0], loc: NO_LOC };
  return { range: at.range, loc: at.loc };
}
