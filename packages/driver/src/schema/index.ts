/** The event schema: generated tables plus the lookups the decoder and the engine need. */
import { EVENT_TABLE, EVENT_TYPE_COUNT } from './generated/event-table';
import { EF } from './generated/event-flags';
import { FLAG_TABLES } from './generated/flag-tables';
import { PARAM_TYPES } from './generated/param-types';
import type { EventInfo, FlagTable } from './types';

export { EVENT_TABLE, EVENT_TYPE_COUNT } from './generated/event-table';
export { EF, EC } from './generated/event-flags';
export { PT, PF, PARAM_TYPES, PRINT_FORMAT_NAMES } from './generated/param-types';
export { FLAG_TABLES } from './generated/flag-tables';
export { DYNAMIC_PARAM_TABLES } from './generated/dynamic-params';
export { PPM_SC_NAMES, PPM_SC_COUNT, SYSCALLS_X86_64 } from './generated/syscalls';
export { CONVERSIONS, MAX_CONVERSIONS } from './generated/converter-table';
export type { EventInfo, ParamInfo, FlagTable, ConversionEntry, ConversionInstr } from './types';
export { ERRNO_NAMES } from './errno';

/** The schema entry of an event type, or undefined for ids outside the table. */
export function eventInfo(type: number): EventInfo | undefined {
  return type >= 0 && type < EVENT_TYPE_COUNT ? EVENT_TABLE[type] : undefined;
}

/** Width of each parameter length in events of this type (2, or 4 for EF_LARGE_PAYLOAD). */
export function paramLenSize(type: number): 2 | 4 {
  const info = eventInfo(type);
  return info !== undefined && (info.flags & EF.LARGE_PAYLOAD) !== 0 ? 4 : 2;
}

/** Fixed size of a parameter type in bytes, or -1 for variable-size types. */
export function paramTypeSize(pt: number): number {
  return PARAM_TYPES[pt]?.[1] ?? -1;
}

/** `PT_*` name of a parameter type id. */
export function paramTypeName(pt: number): string {
  return PARAM_TYPES[pt]?.[0] ?? `PT_${pt}`;
}

const typesByName = new Map<string, number[]>();
for (const e of EVENT_TABLE) {
  const list = typesByName.get(e.name);
  if (list) list.push(e.id);
  else typesByName.set(e.name, [e.id]);
}

/** Every event type id (all versions, both directions) with this `evt.type` name. */
export function eventTypesByName(name: string): readonly number[] {
  return typesByName.get(name) ?? [];
}

/** The flag table a parameter's info names, if any. */
export function flagTable(name: string | null): FlagTable | undefined {
  return name === null ? undefined : FLAG_TABLES[name];
}

/**
 * Names of a flags/enum value as libsinsp prints them. Bitmasks: entries are matched in table order
 * against the bits not yet named, and a matched entry's bits are removed, so `O_RDWR` (3) does not
 * also print `O_WRONLY` and `O_RDONLY`; a zero-valued entry names only the value 0. Enums: the first
 * equal entry.
 */
export function flagNames(table: FlagTable, value: number): string {
  if (table.kind === 'enum') {
    for (const [name, v] of table.entries) if (v === value) return name;
    return '';
  }
  let out = '';
  let left = value >>> 0;
  for (const [name, v] of table.entries) {
    const bits = v >>> 0;
    const hit = bits === 0 ? value === 0 : left !== 0 && (left & bits) >>> 0 === bits;
    if (!hit) continue;
    out = out === '' ? name : `${out}|${name}`;
    left = (left & ~bits) >>> 0;
  }
  return out;
}
