/**
 * Comparison operators an exception's `comps` may name: the condition language's operators, and
 * (Falco 0.44) the string operators combined with a list modifier, e.g. `startswith oneof`.
 */

const SCALAR_OPERATORS = [
  '=', '==', '!=', '<=', '>=', '<', '>',
  'contains', 'bcontains', 'icontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex', 'exists',
];
const LIST_OPERATORS = ['in', 'intersects', 'pmatch'];
const MODIFIABLE_OPERATORS = new Set([
  '=', '==', '!=', 'contains', 'bcontains', 'icontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex',
]);
const MODIFIERS = new Set(['oneof', 'anyof', 'allof']);

const SUPPORTED = new Set([...SCALAR_OPERATORS, ...LIST_OPERATORS]);

function splitModifier(op: string): [string, string] | undefined {
  const parts = op.split(' ').filter((p) => p !== '');
  if (parts.length !== 2) return undefined;
  return [parts[0]!, parts[1]!];
}

export function isSupportedComparison(op: string): boolean {
  if (SUPPORTED.has(op)) return true;
  const mod = splitModifier(op);
  return !!mod && MODIFIABLE_OPERATORS.has(mod[0]) && MODIFIERS.has(mod[1]);
}

/** Operators whose right-hand side is a list: a scalar exception value gets parenthesised. */
export function isListComparison(op: string): boolean {
  if (LIST_OPERATORS.includes(op)) return true;
  const mod = splitModifier(op);
  return !!mod && MODIFIABLE_OPERATORS.has(mod[0]) && MODIFIERS.has(mod[1]);
}
