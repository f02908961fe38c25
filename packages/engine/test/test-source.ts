/**
 * A small event source for the loader, ruleset and output tests: events are plain objects, and a
 * handful of syscall-like fields read their properties. It exists so these tests do not depend on
 * the syscall source; the conformance suite uses the real one.
 */
import { MapFieldRegistry, type FieldDefinition, type FieldType, type FieldValue } from '@falco-ts/filter-lang';
import type { EventSource } from '../src/source';

export interface TestEvent {
  type: string;
  time?: bigint;
  num?: number;
  values?: Record<string, FieldValue>;
}

// Enough event types (120, as two codes each) that a condition without an evt.type restriction
// crosses Falco's 100-type warning threshold, as it does with the real syscall table.
const EVENT_NAMES = [
  'open', 'openat', 'openat2', 'close', 'execve', 'execveat', 'connect', 'read', 'write', 'clone',
  ...Array.from({ length: 50 }, (_, i) => `syscall${i}`),
];

export const TEST_EVENT_CODES = new Map<string, number[]>(EVENT_NAMES.map((n, i) => [n, [2 * i + 2, 2 * i + 3]]));

const STRING_FIELDS = [
  'proc.name', 'proc.cmdline', 'proc.pname', 'proc.aname', 'proc.exepath', 'fd.name', 'user.name', 'evt.dir',
  'container.id', 'container.name', 'container.info', 'proc.args', 'fd.directory',
];

function field(name: string, type: FieldType, extract?: FieldDefinition<TestEvent>['extract']): FieldDefinition<TestEvent> {
  return { name, type, extract: extract ?? ((e) => e.values?.[name]) };
}

export function testRegistry(): MapFieldRegistry<TestEvent> {
  return new MapFieldRegistry<TestEvent>([
    ...STRING_FIELDS.map((n) => field(n, 'charbuf')),
    field('evt.type', 'charbuf', (e) => e.type),
    field('evt.num', 'uint64', (e) => e.num),
    field('proc.pid', 'int64'),
    field('evt.time', 'abstime', (e) => e.time),
    field('fd.num', 'int64'),
  ]);
}

export function testSource(name = 'syscall'): EventSource<TestEvent> {
  const all = [...TEST_EVENT_CODES.values()].flat();
  const byCode = new Map<number, string>();
  for (const [n, codes] of TEST_EVENT_CODES) for (const c of codes) byCode.set(c, n);
  return {
    name,
    fields: testRegistry(),
    eventTypes: {
      allCodes: all,
      codesForName: (n) => TEST_EVENT_CODES.get(n) ?? [],
      nameOfCode: (c) => byCode.get(c),
    },
    eventTypeFields: ['evt.type'],
    eventTypeOf: (e) => TEST_EVENT_CODES.get(e.type)?.[1] ?? 0,
    timestampOf: (e) => e.time ?? 0n,
  };
}
