/**
 * Builds batches of current-layout syscall events by name, parameters given by name as plain values
 * and encoded by their schema type (missing ones are sent empty), for driving the syscall source.
 */
import { BatchBuilder, EF, EVENT_TABLE, PT, encode, type EventBatch } from '@falco-ts/driver';

export interface Endpoint {
  readonly sip: string;
  readonly sport: number;
  readonly dip: string;
  readonly dport: number;
}
export type ParamValue = number | string | readonly string[] | Endpoint;

export interface EventSpec {
  readonly name: string;
  readonly tid: number;
  readonly dir?: 'enter' | 'exit';
  readonly params?: Readonly<Record<string, ParamValue>>;
}

const AF_INET = 2;

function typeOf(name: string, dir: 'enter' | 'exit'): number {
  const e = EVENT_TABLE.find((x) => x.name === name && x.dir === dir && (x.flags & (EF.OLD_VERSION | EF.UNUSED)) === 0);
  if (e === undefined) throw new Error(`no current ${dir} event named ${name}`);
  return e.id;
}

function ip(a: string): number[] {
  return a.split('.').map(Number);
}

function param(pt: number, v: ParamValue | undefined): Uint8Array {
  if (v === undefined) return encode.empty();
  switch (pt) {
    case PT.INT64: case PT.ERRNO: case PT.FD: case PT.PID:
      return encode.i64(v as number);
    case PT.UINT64: case PT.RELTIME: case PT.ABSTIME:
      return encode.u64(v as number);
    case PT.INT32:
      return encode.i32(v as number);
    case PT.UINT32: case PT.FLAGS32: case PT.ENUMFLAGS32: case PT.MODE: case PT.UID: case PT.GID: case PT.SIGSET:
      return encode.u32(v as number);
    case PT.UINT16: case PT.FLAGS16: case PT.ENUMFLAGS16: case PT.PORT:
      return encode.u16(v as number);
    case PT.UINT8: case PT.FLAGS8: case PT.ENUMFLAGS8: case PT.SIGTYPE:
      return encode.u8(v as number);
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH:
      return encode.str(v as string);
    case PT.BYTEBUF:
      return encode.bytes(Array.isArray(v) ? v.map((x) => `${x}\0`).join('') : (v as string));
    case PT.SOCKTUPLE: {
      const t = v as Endpoint;
      const b = new Uint8Array(13);
      b[0] = AF_INET;
      b.set(ip(t.sip), 1);
      new DataView(b.buffer).setUint16(5, t.sport, true);
      b.set(ip(t.dip), 7);
      new DataView(b.buffer).setUint16(11, t.dport, true);
      return b;
    }
    case PT.SOCKADDR: {
      const t = v as Endpoint;
      const b = new Uint8Array(7);
      b[0] = AF_INET;
      b.set(ip(t.dip), 1);
      new DataView(b.buffer).setUint16(5, t.dport, true);
      return b;
    }
    default:
      throw new Error(`no test encoding for parameter type ${pt}`);
  }
}

let clock = 1_750_000_000_000_000_000n;

export function batchOf(events: readonly EventSpec[]): EventBatch {
  const b = new BatchBuilder();
  for (const e of events) {
    const type = typeOf(e.name, e.dir ?? 'exit');
    const params = EVENT_TABLE[type]!.params.map(([n, pt]) => param(pt, e.params?.[n]));
    clock += 1000n;
    b.push({ ts: clock, tid: e.tid, type, params });
  }
  return b.build();
}
