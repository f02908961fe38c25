/**
 * Checks that hold when any one of several values satisfies them. libsinsp has fields that are not
 * lists but compare several candidates: `proc.aname` without an index (any ancestor), `fd.ip`
 * (client or server address), `fd.port`, `fd.net`, `fd.proto`. Their checks are built by compiling
 * the same check against a one-field registry whose field reads the candidate being tried, so every
 * operator, modifier and value parsing rule is exactly the compiler's.
 */
import {
  MapFieldRegistry,
  compileCondition,
  escapeValue,
  type CustomCheck,
  type FieldScalar,
  type FieldType,
} from '@falco-ts/filter-lang';

const CANDIDATE = 'candidate.value';

/**
 * `everyForNotEqual`: a `!=` check holds only when every candidate differs. libsinsp compares the
 * two ends of a socket that way for `fd.ip`, `fd.net` and `fd.port` (`fd.net != 127.0.0.0/8` means
 * neither end is on loopback), while its ancestor fields accept any ancestor that differs.
 */
export function anyOfCheck<E>(
  type: FieldType,
  candidates: (e: E) => readonly FieldScalar[] | undefined,
  everyForNotEqual = false,
): (check: CustomCheck) => (e: E) => boolean {
  return (check) => {
    let current: FieldScalar | undefined;
    const registry = new MapFieldRegistry<null>([{ name: CANDIDATE, type, extract: () => current }]);
    if (check.operator === 'exists') {
      return (e) => {
        const c = candidates(e);
        return c !== undefined && c.length > 0;
      };
    }
    const values = check.values.map(escapeValue);
    const isList =
      check.modifier !== undefined ||
      check.values.length !== 1 ||
      check.operator === 'in' ||
      check.operator === 'intersects' ||
      check.operator === 'pmatch';
    const rhs = isList ? `(${values.join(', ')})` : values[0]!;
    const op = check.modifier !== undefined ? `${check.operator} ${check.modifier}` : check.operator;
    const test = compileCondition(`${CANDIDATE} ${op} ${rhs}`, registry).predicate;
    if (everyForNotEqual && check.operator === '!=' && check.modifier === undefined) {
      return (e) => {
        const c = candidates(e);
        if (c === undefined || c.length === 0) return false;
        for (const v of c) {
          current = v;
          if (!test(null)) return false;
        }
        return true;
      };
    }
    return (e) => {
      const c = candidates(e);
      if (c === undefined) return false;
      for (const v of c) {
        current = v;
        if (test(null)) return true;
      }
      return false;
    };
  };
}
