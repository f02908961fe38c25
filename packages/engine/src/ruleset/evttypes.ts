/**
 * The event types a condition can match, by Falco's algebra: a comparison of the source's
 * event-type field selects the named codes (`!=` their complement), any other check selects every
 * code; `and` intersects, `or` unites, and `not` is pushed down to the leaves (De Morgan), so
 * `not evt.type = open` selects everything but open. `evt.num = 0` can never hold (event numbers
 * start at 1) and selects nothing, which is how rules files write "never true".
 */
import { NodeType, type Ast, type BinaryCheckNode, type Expr } from '@falco-ts/filter-lang';
import type { EventSource } from '../source';

type CodeSet = ReadonlySet<number>;

export function eventCodesOf(ast: Ast, source: Pick<EventSource<unknown>, 'eventTypes' | 'eventTypeFields'>): number[] {
  const all = new Set(source.eventTypes.allCodes);
  if (source.eventTypeFields.length === 0) return [...all].sort((a, b) => a - b);
  const set = codes(ast, false, all, source);
  return [...set].sort((a, b) => a - b);
}

function codes(
  node: Expr,
  negated: boolean,
  all: CodeSet,
  source: Pick<EventSource<unknown>, 'eventTypes' | 'eventTypeFields'>,
): CodeSet {
  switch (node.type) {
    case NodeType.And:
    case NodeType.Or: {
      const sets = node.children.map((c) => codes(c, negated, all, source));
      const intersect = (node.type === NodeType.And) !== negated;
      return intersect ? intersection(sets, all) : union(sets);
    }
    case NodeType.Not:
      return codes(node.child, !negated, all, source);
    case NodeType.BinaryCheck: {
      const selected = checkCodes(node, all, source);
      if (!selected) return all;
      return negated ? difference(all, selected) : selected;
    }
    default:
      return all;
  }
}

/** The codes a single check selects, or undefined when it does not restrict event types. */
function checkCodes(
  node: BinaryCheckNode,
  all: CodeSet,
  source: Pick<EventSource<unknown>, 'eventTypes' | 'eventTypeFields'>,
): CodeSet | undefined {
  if (node.left.type !== NodeType.Field || node.modifier) return undefined;
  const field = node.left.name;
  if (field === 'evt.num' && (node.operator === '=' || node.operator === '==') && node.right.type === NodeType.Value) {
    if (/^0+$/.test(node.right.value)) return new Set();
  }
  if (!source.eventTypeFields.includes(field)) return undefined;
  const names =
    node.right.type === NodeType.Value ? [node.right.value] : node.right.type === NodeType.List ? node.right.items.map((i) => i.value) : undefined;
  if (!names) return undefined;
  const named = new Set<number>();
  for (const n of names) for (const c of source.eventTypes.codesForName(n)) named.add(c);
  switch (node.operator) {
    case '=':
    case '==':
    case 'in':
      return named;
    case '!=':
      return difference(all, named);
    default:
      return undefined;
  }
}

function intersection(sets: CodeSet[], all: CodeSet): CodeSet {
  let out: Set<number> = new Set(all);
  for (const s of sets) out = new Set([...out].filter((c) => s.has(c)));
  return out;
}

function union(sets: CodeSet[]): CodeSet {
  const out = new Set<number>();
  for (const s of sets) for (const c of s) out.add(c);
  return out;
}

function difference(a: CodeSet, b: CodeSet): CodeSet {
  return new Set([...a].filter((c) => !b.has(c)));
}
