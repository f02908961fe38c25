/**
 * Test helper: builds batches of modern-layout events by name, with parameters given by name as
 * plain values and encoded by their schema type. Missing parameters are sent empty.
 */
import { BatchBuilder, BatchCursor, EF, EVENT_TABLE, PT, encode, type EventBatch } from '@falco-ts/driver';

export type Tuple = { sip: string; sport: number; dip: string; dport: number };
export type ParamInput = number | bigint | string | readonly string[] | Tuple | Uint8Array | undefined;

function eventType(name: string, dir: 'enter' | 'exit'): number {
  const e = EVENT_TABLE.find((x) => x.name === name && x.dir === dir && (x.flags & (EF.OLD_VERSION | EF.UNUSED)) === 0);
  if (e === undefined) throw new Error(`no current ${dir} event named ${name}`);
  return e.id;
}

function ipv4(a: string): number[] {
  return a.split('.').map(Number);
}

/** A parameter value encoded as its table type `pt` stores it (bytes pass through; missing is empty). */
export function encodeParam(pt: number, v: ParamInput): Uint8Array {
  if (v === undefined) return encode.empty();
  if (v instanceof Uint8Array) return v;
  switch (pt) {
    case PT.INT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      return encode.i64(v as number);
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return encode.u64(v as number);
    case PT.INT32:
      return encode.i32(v as number);
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.MODE:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
      return encode.u32(v as number);
    case PT.UINT16:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
    case PT.PORT:
      return encode.u16(v as number);
    case PT.UINT8:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
    case PT.SIGTYPE:
      return encode.u8(v as number);
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return encode.str(v as string);
    case PT.BYTEBUF:
      if (Array.isArray(v)) return encode.bytes(v.map((x) => `${x}\0`).join(''));
      return encode.bytes(v as string);
    case PT.SOCKTUPLE: {
      const t = v as Tuple;
      const b = new Uint8Array(13);
      b[0] = 2;
      b.set(ipv4(t.sip), 1);
      new DataView(b.buffer).setUint16(5, t.sport, true);
      b.set(ipv4(t.dip), 7);
      new DataView(b.buffer).setUint16(11, t.dport, true);
      return b;
    }
    case PT.SOCKADDR: {
      const t = v as Tuple;
      const b = new Uint8Array(7);
      b[0] = 2;
      b.set(ipv4(t.dip), 1);
      new DataView(b.buffer).setUint16(5, t.dport, true);
      return b;
    }
    default:
      throw new Error(`test encoder: no encoding for PT ${pt}`);
  }
}

export interface EventInput {
  name: string;
  dir?: 'enter' | 'exit';
  tid: number;
  ts?: bigint;
  params?: Record<string, ParamInput>;
}

let clock = 1_700_000_000_000_000_000n;

export function batchOf(events: readonly EventInput[]): EventBatch {
  const b = new BatchBuilder();
  for (const e of events) {
    const type = eventType(e.name, e.dir ?? 'exit');
    const info = EVENT_TABLE[type]!;
    const params = info.params.map(([pname, pt]) => encodeParam(pt, e.params?.[pname]));
    clock += 1000n;
    b.push({ ts: e.ts ?? clock, tid: e.tid, type, params });
  }
  return b.build();
}

/** Runs `fn` on each event of the batch with one reused cursor. */
export function forEachEvent(batch: EventBatch, fn: (c: BatchCursor) => void): void {
  const c = new BatchCursor().reset(batch);
  while (c.next()) fn(c);
}
