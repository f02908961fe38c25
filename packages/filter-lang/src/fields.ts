/**
 * The field registry a host supplies to `compile`. filter-lang knows no field by itself: the
 * engine registers the syscall fields, tests and embedders register their own (see README).
 */
import type { BinaryCheckNode, BinaryOperator, UnaryCheckNode, UnaryOperator } from './ast';

/**
 * Field types, named after libsinsp's parameter types. They decide which operators apply, how
 * right-hand values are parsed, and what the extractor must return:
 *
 * | types | extractor returns |
 * | --- | --- |
 * | `int8..int64`, `uint8..uint64`, `abstime`, `reltime`, `port`, `l4proto`, `errno`, `fd`, `pid`, `uid`, `gid`, `mode`, `flags`, `sigtype`, `syscallid`, `double` | `number` or `bigint` |
 * | `bool` | `boolean` |
 * | `charbuf`, `fspath`, `fsrelpath` | `string` |
 * | `bytebuf` | `Uint8Array` (or a `string`, taken as its UTF-8 bytes) |
 * | `ipaddr`, `ipv4addr`, `ipv6addr`, `ipnet`, `ipv4net`, `ipv6net` | an address: `string` (`"10.0.0.1"`, `"::1"`) or `Uint8Array` of 4 or 16 bytes |
 */
export type FieldType =
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'double'
  | 'abstime' | 'reltime'
  | 'port' | 'l4proto' | 'errno' | 'fd' | 'pid' | 'uid' | 'gid' | 'mode' | 'flags' | 'sigtype' | 'syscallid'
  | 'bool'
  | 'charbuf' | 'fspath' | 'fsrelpath'
  | 'bytebuf'
  | 'ipaddr' | 'ipv4addr' | 'ipv6addr'
  | 'ipnet' | 'ipv4net' | 'ipv6net';

/** How a field takes a `[argument]`. */
export type FieldArgRule =
  | { kind: 'none' }
  | { kind: 'required' | 'optional'; form: 'index' | 'key' | 'any' };

/** One value of a field (one element of a list-valued field). */
export type FieldScalar = number | bigint | boolean | string | Uint8Array;

/** What an extractor returns: `undefined` when the field cannot be extracted from this event. */
export type FieldValue = FieldScalar | readonly FieldScalar[] | undefined;

/**
 * Extracts a field from an event. `arg` is the bracket argument (`proc.aname[2]` → `"2"`; index
 * forms are passed as strings, already checked to be non-negative integers when the rule says
 * `index`). Must not throw for events that lack the field: return `undefined`.
 */
export type FieldExtractor<E> = (event: E, arg: string | undefined) => FieldValue;

export interface FieldDefinition<E = unknown> {
  name: string;
  type: FieldType;
  /** True when the field yields a list of values (an array). */
  list?: boolean;
  arg?: FieldArgRule;
  /**
   * Operators this field allows, when narrower than its type's. Omit to allow every operator
   * that the type supports.
   */
  operators?: readonly (BinaryOperator | UnaryOperator)[];
  description?: string;
  extract: FieldExtractor<E>;
  /**
   * A field that decides checks itself instead of extract-and-compare (libsinsp has such checks,
   * e.g. `evt.around`): given the check as written, returns the per-event test. Operator and type
   * compatibility are still checked; values arrive unparsed (unescaped strings).
   */
  customCheck?: (check: CustomCheck) => (event: E) => boolean;
  /** The field cannot take part in a field-to-field comparison (`val()`), on either side. */
  noRhs?: boolean;
  /** No transformer may be applied to the field. */
  noTransformer?: boolean;
}

export interface CustomCheck {
  operator: BinaryOperator | UnaryOperator;
  modifier?: 'oneof' | 'anyof' | 'allof';
  /** The right-hand values (one for a plain value, several for a list). */
  values: readonly string[];
  /** True when the right-hand side was written as a list (`(a)`, `()`), false for one value. */
  list: boolean;
  arg: string | undefined;
  /** The check itself, for hosts that recompile it against other fields (see `build`). */
  node: UnaryCheckNode | BinaryCheckNode;
}

export interface FieldRegistry<E = unknown> {
  /**
   * The definition for `name`, or undefined when there is no such field. Names may carry a dotted
   * argument (`evt.arg.fd`): a registry that supports those returns a definition whose extractor
   * already knows the argument.
   */
  get(name: string): FieldDefinition<E> | undefined;
  /**
   * Optional: resolves a name with its bracket argument and explains a refusal (`field 'x'
   * requires an argument`). When present it is used instead of `get` plus the `arg` rule.
   */
  resolve?(name: string, arg: string | undefined): FieldDefinition<E> | { error: string } | undefined;
}

/** A registry over a list of definitions; later entries replace earlier ones with the same name. */
export class MapFieldRegistry<E = unknown> implements FieldRegistry<E> {
  private readonly fields = new Map<string, FieldDefinition<E>>();

  constructor(definitions: Iterable<FieldDefinition<E>> = []) {
    for (const d of definitions) this.fields.set(d.name, d);
  }

  add(definition: FieldDefinition<E>): this {
    this.fields.set(definition.name, definition);
    return this;
  }

  get(name: string): FieldDefinition<E> | undefined {
    return this.fields.get(name);
  }

  names(): IterableIterator<string> {
    return this.fields.keys();
  }
}

/** Looks fields up in each registry in turn (the first that knows a name wins). */
export function chainRegistries<E>(...registries: FieldRegistry<E>[]): FieldRegistry<E> {
  return {
    get(name: string): FieldDefinition<E> | undefined {
      for (const r of registries) {
        const d = r.get(name);
        if (d) return d;
      }
      return undefined;
    },
    resolve(name: string, arg: string | undefined): FieldDefinition<E> | { error: string } | undefined {
      for (const r of registries) {
        const d = r.resolve ? r.resolve(name, arg) : r.get(name);
        if (d) return d;
      }
      return undefined;
    },
  };
}

/** Numeric field types (compared as integers; `bigint` and `number` mix freely). */
export const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'double', 'abstime', 'reltime',
  'port', 'l4proto', 'errno', 'fd', 'pid', 'uid', 'gid', 'mode', 'flags', 'sigtype', 'syscallid',
]);

export const STRING_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['charbuf', 'fspath', 'fsrelpath']);

export const IPADDR_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['ipaddr', 'ipv4addr', 'ipv6addr']);

export const IPNET_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['ipnet', 'ipv4net', 'ipv6net']);
