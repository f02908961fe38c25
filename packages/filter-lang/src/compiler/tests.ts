/**
 * Per-value tests: given an operator, a type class and a parsed constant, a function that says
 * whether one extracted scalar satisfies the check. Built once at compile time.
 */
import type * as Re2jsModule from 're2js';
import type { RE2JS } from 're2js';
import type { BinaryOperator, OperatorModifier } from '../ast';
import type { FieldScalar } from '../fields';
import {
  addressBytes,
  bytesEndsWith,
  bytesEqual,
  bytesIndexOf,
  bytesStartsWith,
  globMatcher,
  icontainsMatcher,
  networkContains,
  pathPrefixMatcher,
  toBytes,
  type IpNetwork,
} from './matchers';
import type { Constant, TypeClass } from './types';

export type ScalarTest = (v: FieldScalar) => boolean;

export class RegexError extends Error {}

/** Compiles an RE2 pattern for an anchored full match. */
export function regexMatcher(pattern: string): (s: string) => boolean {
  let re: RE2JS;
  try {
    // Loaded with the first `regex` check: rule sets without one (the default rules) skip it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    re = (require('re2js') as typeof Re2jsModule).RE2JS.compile(pattern);
  } catch (e) {
    throw new RegexError(`invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
  return (s: string) => re.matches(s);
}

export function scalarTest(op: BinaryOperator, cls: TypeClass, k: Constant): ScalarTest {
  switch (cls) {
    case 'numeric': {
      const n = k as number | bigint;
      switch (op) {
        case '=': case '==': case 'in': case 'intersects': return (v) => v == n;
        case '!=': return (v) => v != n;
        case '<': return (v) => (v as number) < n;
        case '<=': return (v) => (v as number) <= n;
        case '>': return (v) => (v as number) > n;
        case '>=': return (v) => (v as number) >= n;
        default: break;
      }
      break;
    }
    case 'bool':
      if (op === '!=') return (v) => v !== k;
      return (v) => v === k;
    case 'string': {
      const s = k as string;
      switch (op) {
        case '=': case '==': case 'in': case 'intersects': return (v) => v === s;
        case '!=': return (v) => v !== s;
        case '<': return (v) => (v as string) < s;
        case '<=': return (v) => (v as string) <= s;
        case '>': return (v) => (v as string) > s;
        case '>=': return (v) => (v as string) >= s;
        case 'contains': return (v) => (v as string).includes(s);
        case 'icontains': {
          const m = icontainsMatcher(s);
          return (v) => m(v as string);
        }
        case 'startswith': return (v) => (v as string).startsWith(s);
        case 'endswith': return (v) => (v as string).endsWith(s);
        case 'glob': case 'iglob': {
          const m = globMatcher(s, op === 'iglob');
          return (v) => m(v as string);
        }
        case 'regex': {
          const m = regexMatcher(s);
          return (v) => m(v as string);
        }
        case 'pmatch': {
          const m = pathPrefixMatcher([s]);
          return (v) => m(v as string);
        }
        default: break;
      }
      break;
    }
    case 'bytebuf': {
      const b = k as Uint8Array;
      switch (op) {
        case '=': case '==': case 'in': case 'intersects': return (v) => bytesEqual(toBytes(v as Uint8Array), b);
        case '!=': return (v) => !bytesEqual(toBytes(v as Uint8Array), b);
        case 'contains': case 'bcontains': return (v) => bytesIndexOf(toBytes(v as Uint8Array), b) >= 0;
        case 'startswith': case 'bstartswith': return (v) => bytesStartsWith(toBytes(v as Uint8Array), b);
        case 'endswith': return (v) => bytesEndsWith(toBytes(v as Uint8Array), b);
        default: break;
      }
      break;
    }
    case 'ipaddr':
    case 'ipnet': {
      const net = k as IpNetwork;
      if (op === '!=') {
        return (v) => {
          const a = addressBytes(v);
          return a !== undefined && !networkContains(net, a);
        };
      }
      return (v) => {
        const a = addressBytes(v);
        return a !== undefined && networkContains(net, a);
      };
    }
  }
  throw new Error(`no test for operator ${op} on ${cls}`);
}

/** Combines per-constant tests under an operator modifier. */
export function modifierTest(modifier: OperatorModifier, tests: readonly ScalarTest[]): ScalarTest {
  switch (modifier) {
    case 'anyof':
      return (v) => {
        for (const t of tests) if (t(v)) return true;
        return false;
      };
    case 'allof':
      return (v) => {
        if (tests.length === 0) return false;
        for (const t of tests) if (!t(v)) return false;
        return true;
      };
    case 'oneof':
      return (v) => {
        let hits = 0;
        for (const t of tests) if (t(v) && ++hits > 1) return false;
        return hits === 1;
      };
  }
}

/** The set behind `in`/`intersects` for strings, booleans and numbers. */
export function membershipSet(cls: TypeClass, constants: readonly Constant[]): Set<FieldScalar> {
  if (cls !== 'numeric') return new Set<FieldScalar>(constants as FieldScalar[]);
  // Extractors may return number or bigint for the same field; hold both forms.
  const set = new Set<FieldScalar>();
  for (const c of constants as (number | bigint)[]) {
    set.add(c);
    if (typeof c === 'number' && Number.isInteger(c)) set.add(BigInt(c));
    else if (typeof c === 'bigint' && c >= BigInt(Number.MIN_SAFE_INTEGER) && c <= BigInt(Number.MAX_SAFE_INTEGER)) set.add(Number(c));
  }
  return set;
}

/** Membership in a set of constants (`in`, `intersects` on one value). */
export function membershipTest(cls: TypeClass, constants: readonly Constant[]): ScalarTest {
  if (cls === 'string' || cls === 'bool' || cls === 'numeric') {
    const set = membershipSet(cls, constants);
    return (v) => set.has(v);
  }
  const tests = constants.map((c) => scalarTest('=', cls, c));
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}
