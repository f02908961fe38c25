/**
 * Compile warnings, where libsinsp gives them: a right-hand value that names a field (or a
 * transformer applied to one) without `val()`, and a `regex` a plain string operator could do.
 */
import { NodeType, TRANSFORMER_NAMES, walkChecks, type Ast, type ValueNode } from '../ast';
import type { FilterWarning } from '../errors';
import type { FieldRegistry } from '../fields';

const REGEX_META = /[.[\]{}()*+?^$|\\]/;

/**
 * True when the pattern is a literal, optionally anchored (`^x$`) or surrounded by wildcards
 * (`.*x.*`, `.+x`, `x.?`): `=`, `contains`, `startswith` or `endswith` would do the same job.
 */
export function regexCouldBePlain(pattern: string): boolean {
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  else if (p.startsWith('.*') || p.startsWith('.+') || p.startsWith('.?')) p = p.slice(2);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  else if (p.endsWith('.*') || p.endsWith('.+') || p.endsWith('.?')) p = p.slice(0, -2);
  return p.length > 0 && !REGEX_META.test(p);
}

/** What a right-hand string looks like, if it looks like a field: surrounding blanks are ignored. */
function misusedAs<E>(value: string, registry: FieldRegistry<E>): 'field' | 'field transformer' | undefined {
  const trimmed = value.trim();
  if (registry.get(trimmed)) return 'field';
  const m = /^([a-z0-9]+)\(\s*([^()\s]+)\s*\)$/.exec(trimmed);
  if (m !== null && (TRANSFORMER_NAMES as readonly string[]).includes(m[1]) && registry.get(m[2]) !== undefined) {
    return 'field transformer';
  }
  return undefined;
}

export function collectWarnings<E>(ast: Ast, registry: FieldRegistry<E>): FilterWarning[] {
  const warnings: FilterWarning[] = [];
  walkChecks(ast, (node) => {
    if (node.type !== NodeType.BinaryCheck) return;
    const values: ValueNode[] =
      node.right.type === NodeType.Value ? [node.right] : node.right.type === NodeType.List ? node.right.items : [];
    for (const v of values) {
      const kind = misusedAs(v.value, registry);
      if (kind) {
        warnings.push({
          code: 'FIELD_NAME_AS_VALUE',
          message: `'${v.value}' may be a valid ${kind} misused as a const string value`,
          position: v.loc.start,
        });
      }
    }
    if (node.operator === 'regex') {
      for (const v of values) {
        if (regexCouldBePlain(v.value)) {
          warnings.push({
            code: 'REGEX_COULD_BE_PLAIN',
            message: `regex '${v.value}' could be expressed with a plain string operator, which is faster`,
            position: v.loc.start,
          });
        }
      }
    }
  });
  return warnings;
}
