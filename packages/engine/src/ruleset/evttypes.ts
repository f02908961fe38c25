/**
 * The event types a condition can match, by Falco's algebra: a comparison of the source's
 * event-type field selects the named codes (`!=` their complement), any other check selects every
 * code; `and` intersects, `or` unites, and `not` is pushed down to the leaves (De Morgan), so
 * `not evt.type = open` selects everything but open. `evt.num = 0` can never hold (event numbers
 * start at 1) and selects nothing, which is how rules files write "never true".
 *
 * Sets are byte masks over the code space (a few hundred codes), cheap to combine at load time.
 */
import { NodeType, type Ast, type BinaryCheckNode, type Expr } from '@falco-ts/filter-lang';
import type { EventSource } from '../source';

type Source = Pick<EventSource<unknown>, 'eventTypes' | 'eventTypeFields'>;

class CodeSpace {
  readonly size: number;
  readonly all: Uint8Array;
  constructor(readonly source: Source) {
    const codes = source.eventTypes.allCodes;
    this.size = codes.reduce((m, c) => Math.max(m, c + 1), 0);
    this.all = new Uint8Array(this.size);
    for (const c of codes) this.all[c] = 1;
  }
  named(names: readonly string[]): Uint8Array {
    const s = new Uint8Array(this.size);
    for (const n of names) for (const c of this.source.eventTypes.codesForName(n)) if (c < this.size) s[c] = this.all[c]!;
    return s;
  }
  complement(s: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.all[i]! & (s[i]! ^ 1);
    return out;
  }
}

/** A source's event types do not change, so its code space is built once. */
const spaces = new WeakMap<Source, CodeSpace>();

export function eventCodesOf(ast: Ast, source: Source): number[] {
  let space = spaces.get(source);
  if (!space) {
    space = new CodeSpace(source);
    spaces.set(source, space);
  }
  const set = source.eventTypeFields.length === 0 ? space.all : codes(ast, false, space);
  const out: number[] = [];
  for (let i = 0; i < space.size; i++) if (set[i]) out.push(i);
  return out;
}

function codes(node: Expr, negated: boolean, space: CodeSpace): Uint8Array {
  switch (node.type) {
    case NodeType.And:
    case NodeType.Or: {
      const intersect = (node.type === NodeType.And) !== negated;
      // Every set other than `space.all` is made fresh for its caller, so the first restricting
      // child's set becomes the result and the others are folded into it (most children of the
      // upstream rules' large conditions restrict nothing, and cost no allocation).
      let out: Uint8Array | undefined;
      for (const child of node.children) {
        const s = codes(child, negated, space);
        if (s === space.all) {
          if (!intersect) return space.all;
          continue;
        }
        if (!out) {
          out = s;
        } else if (intersect) {
          for (let i = 0; i < space.size; i++) out[i] = out[i]! & s[i]!;
        } else {
          for (let i = 0; i < space.size; i++) out[i] = out[i]! | s[i]!;
        }
      }
      return out ?? (intersect ? space.all : new Uint8Array(space.size));
    }
    case NodeType.Not:
      return codes(node.child, !negated, space);
    case NodeType.BinaryCheck: {
      const selected = checkCodes(node, space);
      if (!selected) return space.all;
      return negated ? space.complement(selected) : selected;
    }
    default:
      return space.all;
  }
}

/** The codes a single check selects, or undefined when it does not restrict event types. */
function checkCodes(node: BinaryCheckNode, space: CodeSpace): Uint8Array | undefined {
  if (node.left.type !== NodeType.Field || node.modifier) return undefined;
  const field = node.left.name;
  if (field === 'evt.num' && (node.operator === '=' || node.operator === '==') && node.right.type === NodeType.Value) {
    if (/^0+$/.test(node.right.value)) return new Uint8Array(space.size);
  }
  if (!space.source.eventTypeFields.includes(field)) return undefined;
  const names =
    node.right.type === NodeType.Value
      ? [node.right.value]
      : node.right.type === NodeType.List
        ? node.right.items.map((i) => i.value)
        : undefined;
  if (!names) return undefined;
  switch (node.operator) {
    case '=':
    case '==':
    case 'in':
      return space.named(names);
    case '!=':
      return space.complement(space.named(names));
    default:
      return undefined;
  }
}
