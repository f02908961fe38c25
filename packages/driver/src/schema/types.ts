/** Shapes of the generated schema tables (see scripts/gen-schema.ts). */

/** [name, PT id, PF id, info (flags or dynamic table name) or null, dirfd param index or -1]. */
export type ParamInfo = readonly [name: string, type: number, format: number, info: string | null, dirfdParam: number];

export interface EventInfo {
  readonly id: number;
  /** The upstream enum name, e.g. `PPME_SYSCALL_OPEN_X`. */
  readonly symbol: string;
  /** The event type name as rules see it (`evt.type`), e.g. `open`. */
  readonly name: string;
  readonly dir: 'enter' | 'exit';
  /** EC_* value (low bits: subcategory enum; high bits: flags). */
  readonly category: number;
  /** EF_* bitmask. */
  readonly flags: number;
  /** Width of each parameter length: 2, or 4 for EF_LARGE_PAYLOAD event types. */
  readonly paramLenSize: 2 | 4 | number;
  readonly params: readonly ParamInfo[];
}

export interface FlagTable {
  /** `bitmask`: the value is a set of bits named by the entries; `enum`: matched by equality. */
  readonly kind: 'bitmask' | 'enum';
  /** [name, value] in upstream order. */
  readonly entries: readonly (readonly [string, number])[];
}

/** [instruction code, param number or -1, fall back to an empty param when no enter event]. */
export type ConversionInstr = readonly [code: number, paramNum: number, fallbackToEmpty: boolean];

export interface ConversionEntry {
  readonly type: number;
  readonly nparams: number;
  /** 1 STORE, 2 ADD_PARAMS, 3 PASS, 4 STORE_AND_PASS, 5 CHANGE_TYPE. */
  readonly action: number;
  /** The type CHANGE_TYPE produces, else -1. */
  readonly newType: number;
  readonly instrs: readonly ConversionInstr[];
}
