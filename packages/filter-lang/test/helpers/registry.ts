import { MapFieldRegistry, type FieldScalar } from '@falco-ts/filter-lang';

/** A small event model over plain objects, with one field of every type class. */
export interface TestEvent {
  name?: string;
  path?: string;
  pid?: number | bigint;
  ts?: bigint;
  ok?: boolean;
  buf?: Uint8Array;
  ip?: string | Uint8Array;
  net?: string;
  args?: string[];
  env?: Record<string, string>;
  cmdline?: string;
}

export const registry = new MapFieldRegistry<TestEvent>([
  { name: 'proc.name', type: 'charbuf', extract: (e) => e.name },
  { name: 'fd.name', type: 'fspath', extract: (e) => e.path },
  { name: 'proc.pid', type: 'int64', extract: (e) => e.pid },
  { name: 'evt.rawtime', type: 'abstime', extract: (e) => e.ts },
  { name: 'evt.is_io', type: 'bool', extract: (e) => e.ok },
  { name: 'evt.buffer', type: 'bytebuf', extract: (e) => e.buf },
  { name: 'fd.ip', type: 'ipaddr', extract: (e) => e.ip },
  { name: 'fd.net', type: 'ipnet', extract: (e) => e.net },
  { name: 'proc.args', type: 'charbuf', list: true, extract: (e) => e.args },
  { name: 'proc.cmdline', type: 'charbuf', extract: (e) => e.cmdline },
  {
    name: 'proc.env',
    type: 'charbuf',
    arg: { kind: 'required', form: 'key' },
    extract: (e, arg) => (arg === undefined ? undefined : e.env?.[arg]),
  },
  {
    name: 'proc.aname',
    type: 'charbuf',
    arg: { kind: 'optional', form: 'index' },
    extract: (e, arg) => (arg === undefined ? e.name : e.args?.[Number(arg)]),
  },
  { name: 'evt.type', type: 'charbuf', operators: ['=', '==', '!=', 'in', 'exists'], extract: (e) => e.name },
]);

export type { FieldScalar };
