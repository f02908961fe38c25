/**
 * Comparisons whose right-hand side is another field (`val(fd.name)`) or a transformer: both
 * values are known only per event, so the test is chosen at run time from the operator.
 */
import type { BinaryOperator } from '../ast';
import type { FieldScalar, FieldValue } from '../fields';
import { globMatcher, pathPrefixMatcher, toBytes, bytesEqual, bytesIndexOf, bytesStartsWith, bytesEndsWith, addressBytes } from './matchers';
import { scalarText } from './operands';
import { regexMatcher } from './tests';
import type { TypeClass } from './types';

// Patterns taken from another field repeat across events: keep the last few compiled.
const patternCache = new Map<string, (s: string) => boolean>();

function cachedPattern(key: string, build: () => (s: string) => boolean): (s: string) => boolean {
  let m = patternCache.get(key);
  if (!m) {
    if (patternCache.size > 256) patternCache.clear();
    m = build();
    patternCache.set(key, m);
  }
  return m;
}

function equal(cls: TypeClass, a: FieldScalar, b: FieldScalar): boolean {
  switch (cls) {
    case 'numeric':
      return a == b;
    case 'bytebuf':
      return bytesEqual(toBytes(a as Uint8Array), toBytes(b as Uint8Array));
    case 'ipaddr':
    case 'ipnet': {
      const x = addressBytes(a);
      const y = addressBytes(b);
      return x !== undefined && y !== undefined && bytesEqual(x, y);
    }
    default:
      return a === b || scalarText(a) === scalarText(b);
  }
}

function compareScalar(op: BinaryOperator, cls: TypeClass, a: FieldScalar, b: FieldScalar): boolean {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return equal(cls, a, b);
    case '!=': return !equal(cls, a, b);
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
    case 'contains': case 'bcontains':
      return cls === 'bytebuf' ? bytesIndexOf(toBytes(a as Uint8Array), toBytes(b as Uint8Array)) >= 0 : scalarText(a).includes(scalarText(b));
    case 'icontains': return scalarText(a).toLowerCase().includes(scalarText(b).toLowerCase());
    case 'startswith': case 'bstartswith':
      return cls === 'bytebuf' ? bytesStartsWith(toBytes(a as Uint8Array), toBytes(b as Uint8Array)) : scalarText(a).startsWith(scalarText(b));
    case 'endswith':
      return cls === 'bytebuf' ? bytesEndsWith(toBytes(a as Uint8Array), toBytes(b as Uint8Array)) : scalarText(a).endsWith(scalarText(b));
    case 'glob': case 'iglob': {
      const p = scalarText(b);
      return cachedPattern(`${op}\0${p}`, () => globMatcher(p, op === 'iglob'))(scalarText(a));
    }
    case 'regex': {
      const p = scalarText(b);
      try {
        return cachedPattern(`regex\0${p}`, () => regexMatcher(p))(scalarText(a));
      } catch {
        return false;
      }
    }
    case 'pmatch': return pathPrefixMatcher([scalarText(b)])(scalarText(a));
  }
}

/** `a op b` where either side may be a list (list operators: all/any semantics as for constants). */
export function dynamicCompare(op: BinaryOperator, cls: TypeClass, a: FieldValue, b: FieldValue): boolean {
  if (a === undefined || b === undefined) return false;
  const rights = Array.isArray(b) ? (b as FieldScalar[]) : [b as FieldScalar];
  const lefts = Array.isArray(a) ? (a as FieldScalar[]) : [a as FieldScalar];
  if (lefts.length === 0 || rights.length === 0) return false;
  const one = (x: FieldScalar): boolean => {
    for (const y of rights) if (compareScalar(op, cls, x, y)) return true;
    return false;
  };
  if (op === 'in') return lefts.every(one);
  return lefts.some(one);
}
