/**
 * The syscall source's event-type table for the index, from the driver's event schema: every
 * event id that is not an unused placeholder, and the ids of each `evt.type` name (enter and exit,
 * current and old layouts). A source implementation can use it as its `eventTypes`.
 */
import { EF, EVENT_TABLE, eventTypesByName } from '@falco-ts/driver';
import type { EventTypeTable } from '../source';

let table: EventTypeTable | undefined;

export function syscallEventTypes(): EventTypeTable {
  if (table) return table;
  const allCodes = EVENT_TABLE.filter((e) => (e.flags & EF.UNUSED) === 0).map((e) => e.id);
  table = {
    allCodes,
    codesForName: (name) => eventTypesByName(name),
    nameOfCode: (code) => EVENT_TABLE[code]?.name,
  };
  return table;
}
