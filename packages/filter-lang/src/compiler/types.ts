/**
 * Operator/type compatibility and right-hand value parsing, by type class, as libsinsp applies
 * them: numbers compare as integers, strings take every string operator, byte buffers take the
 * byte operators, addresses and networks only equality and set membership.
 */
import type { BinaryOperator, UnaryOperator } from '../ast';
import { IPADDR_TYPES, IPNET_TYPES, NUMERIC_TYPES, STRING_TYPES, type FieldScalar, type FieldType } from '../fields';
import { parseIpNetwork, type IpNetwork } from './matchers';

export type TypeClass = 'numeric' | 'bool' | 'string' | 'bytebuf' | 'ipaddr' | 'ipnet';

export function typeClass(type: FieldType): TypeClass {
  if (NUMERIC_TYPES.has(type)) return 'numeric';
  if (STRING_TYPES.has(type)) return 'string';
  if (IPADDR_TYPES.has(type)) return 'ipaddr';
  if (IPNET_TYPES.has(type)) return 'ipnet';
  if (type === 'bool') return 'bool';
  return 'bytebuf';
}

type Op = BinaryOperator | UnaryOperator;

const EQUALITY: Op[] = ['exists', '=', '==', '!=', 'in', 'intersects'];
const ORDERING: Op[] = ['<', '<=', '>', '>='];

const ALLOWED: Record<TypeClass, ReadonlySet<Op>> = {
  numeric: new Set([...EQUALITY, ...ORDERING]),
  bool: new Set(EQUALITY),
  string: new Set<Op>([
    ...EQUALITY, ...ORDERING, 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'pmatch',
  ]),
  bytebuf: new Set<Op>([...EQUALITY, 'contains', 'startswith', 'endswith', 'bcontains', 'bstartswith']),
  ipaddr: new Set(EQUALITY),
  ipnet: new Set(EQUALITY),
};

export function operatorAllowed(type: FieldType, op: Op): boolean {
  return ALLOWED[typeClass(type)].has(op);
}

/** A parsed right-hand constant. */
export type Constant = FieldScalar | IpNetwork;

export class ValueError extends Error {}

const UINT_BITS: Partial<Record<FieldType, number>> = { uint8: 8, uint16: 16, uint32: 32, uint64: 64, port: 16, l4proto: 8 };
const INT_BITS: Partial<Record<FieldType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };

const SHORT_DECIMAL = /^[+-]?[0-9]{1,15}$/;

/** Integers only: libsinsp rejects `1.0` even for floating-point fields. */
function parseInteger(text: string, type: FieldType): number | bigint {
  // Up to 15 digits is exact as a double and within every range bound below as well: the common
  // case (ports, uids, counts) without BigInt arithmetic, with the same results and messages.
  if (SHORT_DECIMAL.test(text)) {
    const n = Number(text);
    const ubits = UINT_BITS[type];
    const ibits = INT_BITS[type];
    if (ubits !== undefined && (n < 0 || n >= 2 ** ubits)) throw new ValueError(`'${text}' is out of range for type ${type}`);
    if (ibits !== undefined && (n < -(2 ** (ibits - 1)) || n >= 2 ** (ibits - 1))) {
      throw new ValueError(`'${text}' is out of range for type ${type}`);
    }
    return n === 0 ? 0 : n; // -0 reads as 0, as through BigInt
  }
  let big: bigint;
  if (/^[+-]?[0-9]+$/.test(text)) big = BigInt(text);
  else if (/^0[xX][0-9a-fA-F]+$/.test(text)) big = BigInt(text);
  else throw new ValueError(`'${text}' is not a valid number`);
  const ubits = UINT_BITS[type];
  const ibits = INT_BITS[type];
  if (ubits !== undefined && (big < 0n || big >= 1n << BigInt(ubits))) {
    throw new ValueError(`'${text}' is out of range for type ${type}`);
  }
  if (ibits !== undefined && (big < -(1n << BigInt(ibits - 1)) || big >= 1n << BigInt(ibits - 1))) {
    throw new ValueError(`'${text}' is out of range for type ${type}`);
  }
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function parseHexBytes(text: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new ValueError(`'${text}' is not a valid hex string`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const encoder = new TextEncoder();

/** Parses `text` into a constant for a field of `type` under operator `op`. */
export function parseConstant(text: string, type: FieldType, op: Op): Constant {
  switch (typeClass(type)) {
    case 'numeric':
      return parseInteger(text, type);
    case 'bool':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new ValueError(`'${text}' is not a valid boolean value`);
    case 'string':
      return text;
    case 'bytebuf':
      return op === 'bcontains' || op === 'bstartswith' ? parseHexBytes(text) : encoder.encode(text);
    case 'ipaddr':
    case 'ipnet': {
      const net = parseIpNetwork(text, true);
      if (!net) throw new ValueError(`'${text}' is not a valid IP address or network`);
      return net;
    }
  }
}
