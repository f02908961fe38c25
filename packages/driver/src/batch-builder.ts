/**
 * Builds batches from parameter payloads: used by tests, by tools that synthesise events, and by
 * anything that needs to produce records in the batch layout without the live driver.
 */
import { RECORD, RECORD_PREFIX_SIZE, SCAP_HEADER_SIZE, type EventBatch } from './batch';
import { paramLenSize } from './schema';

export interface EventSpec {
  cpu?: number;
  flags?: number;
  ts: bigint;
  tid: number | bigint;
  type: number;
  params: readonly Uint8Array[];
}

export class BatchBuilder {
  private buf: Uint8Array;
  private dv: DataView;
  private used = 0;
  private count = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = new Uint8Array(initialSize);
    this.dv = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.used + n));
    next.set(this.buf.subarray(0, this.used));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  push(e: EventSpec): this {
    const lenSize = paramLenSize(e.type);
    let payload = 0;
    for (const p of e.params) payload += p.length;
    const len = SCAP_HEADER_SIZE + e.params.length * lenSize + payload;
    this.reserve(RECORD_PREFIX_SIZE + len);
    const at = this.used;
    const dv = this.dv;
    dv.setUint16(at + RECORD.CPU, e.cpu ?? 0, true);
    dv.setUint16(at + RECORD.RESERVED, 0, true);
    dv.setUint32(at + RECORD.FLAGS, e.flags ?? 0, true);
    dv.setBigUint64(at + RECORD.TS, e.ts, true);
    dv.setBigInt64(at + RECORD.TID, BigInt(e.tid), true);
    dv.setUint32(at + RECORD.LEN, len, true);
    dv.setUint16(at + RECORD.TYPE, e.type, true);
    dv.setUint32(at + RECORD.NPARAMS, e.params.length, true);
    let lp = at + RECORD.PARAM_LENS;
    let vp = lp + e.params.length * lenSize;
    for (const p of e.params) {
      if (lenSize === 4) dv.setUint32(lp, p.length, true);
      else dv.setUint16(lp, p.length, true);
      lp += lenSize;
      this.buf.set(p, vp);
      vp += p.length;
    }
    this.used += RECORD_PREFIX_SIZE + len;
    this.count++;
    return this;
  }

  /** The batch so far (a copy sized to fit, so the builder can be reused). */
  build(): EventBatch {
    return { data: this.buf.slice(0, this.used), count: this.count, byteLength: this.used };
  }

  clear(): void {
    this.used = 0;
    this.count = 0;
  }
}

/** Little-endian encoders for parameter payloads. */
export const encode = {
  u8: (v: number): Uint8Array => Uint8Array.of(v & 0xff),
  u16: (v: number): Uint8Array => le(2, (dv) => dv.setUint16(0, v, true)),
  u32: (v: number): Uint8Array => le(4, (dv) => dv.setUint32(0, v >>> 0, true)),
  i32: (v: number): Uint8Array => le(4, (dv) => dv.setInt32(0, v, true)),
  i64: (v: number | bigint): Uint8Array => le(8, (dv) => dv.setBigInt64(0, BigInt(v), true)),
  u64: (v: number | bigint): Uint8Array => le(8, (dv) => dv.setBigUint64(0, BigInt(v), true)),
  /** NUL-terminated string (charbuf, fspath). */
  str: (s: string): Uint8Array => {
    const b = Buffer.from(s, 'utf8');
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return out;
  },
  bytes: (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'utf8')) : s),
  empty: (): Uint8Array => new Uint8Array(0),
};

function le(n: number, f: (dv: DataView) => void): Uint8Array {
  const b = new Uint8Array(n);
  f(new DataView(b.buffer));
  return b;
}
