/**
 * The syscall source's event-type table for the index, from the driver's event schema: every
 * event id that is not an unused placeholder, and the ids of each `evt.type` name (enter and exit,
 * current and old layouts). A syscall without an event type of its own (`madvise`) is carried by
 * the generic syscall event, so its name selects the generic event ids, as in libsinsp. A source
 * implementation can use this table as its `eventTypes`.
 */
import { EF, EVENT_TABLE, PPM_SC_NAMES, eventTypesByName } from '@falco-ts/driver';
import type { EventTypeTable } from '../source';

let table: EventTypeTable | undefined;

export function syscallEventTypes(): EventTypeTable {
  if (table) return table;
  const allCodes = EVENT_TABLE.filter((e) => (e.flags & EF.UNUSED) === 0).map((e) => e.id);
  const generic = eventTypesByName('syscall');
  const syscallNames = new Set(PPM_SC_NAMES.filter((n) => n !== '' && n !== 'unknown'));
  table = {
    allCodes,
    codesForName: (name) => {
      const own = eventTypesByName(name);
      if (own.length > 0) return own;
      return syscallNames.has(name) ? generic : [];
    },
    nameOfCode: (code) => EVENT_TABLE[code]?.name,
  };
  return table;
}
