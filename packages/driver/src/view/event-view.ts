/**
 * A reusable view over one record of a batch. Moving the view (`moveTo`, or a `BatchCursor`) costs
 * no allocation; parameter offsets are computed once per event on first use into a reused table.
 * Typed decoding of whole parameter values lives in `decode.ts`; this file is the hot path.
 */
import { RECORD, RECORD_PREFIX_SIZE, type EventBatch } from '../batch';
import { EventDecodeError } from '../errors';
import { EVENT_TABLE } from '../schema/generated/event-table';
import { EF } from '../schema/generated/event-flags';
import type { EventInfo } from '../schema/types';

const utf8 = new TextDecoder('utf-8');
const TWO_32 = 4294967296;

// Node's native latin1 slice works on any Uint8Array and builds a one-byte string in one call,
// several times faster than assembling it in JS. Used only for ASCII, where latin1 equals UTF-8.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

// Recently decoded ASCII strings, by a hash of their bytes: captures repeat the same paths and
// names over and over (every open of the same library, every read of the same socket), and
// comparing a few dozen bytes costs far less than making a string in native code. A slot keeps the
// bytes it was made from, so a hit is an exact match, never a hash-only guess. Strings are
// immutable, so handing out the same one twice is indistinguishable from making it twice.
const TEXT_SLOTS = 1024;
/** Longest string the cache keeps; longer ones are made every time. */
const TEXT_MAX = 64;
const textBytes = new Uint8Array(TEXT_SLOTS * TEXT_MAX);
const textLen = new Int32Array(TEXT_SLOTS).fill(-1);
const textVal: string[] = new Array<string>(TEXT_SLOTS).fill('');

/** The bytes [start, first NUL or end) as UTF-8 text, without copying them. */
export function textAt(d: Uint8Array, start: number, end: number): string {
  // One pass finds the NUL, hashes the bytes (FNV-1a) and notes any byte outside ASCII.
  let h = 0x811c9dc5;
  let high = 0;
  let stop = start;
  for (; stop < end; stop++) {
    const c = d[stop]!;
    if (c === 0) break;
    h = Math.imul(h ^ c, 0x01000193);
    high |= c;
  }
  const n = stop - start;
  if (n === 0) return '';
  if (high >= 0x80) return utf8.decode(d.subarray(start, stop));
  if (n > TEXT_MAX) return latin1Slice.call(d, start, stop);
  const slot = (h ^ (h >>> 16)) & (TEXT_SLOTS - 1);
  const base = slot * TEXT_MAX;
  if (textLen[slot] === n) {
    let k = 0;
    while (k < n && textBytes[base + k] === d[start + k]) k++;
    if (k === n) return textVal[slot]!;
  }
  const text = latin1Slice.call(d, start, stop);
  for (let k = 0; k < n; k++) textBytes[base + k] = d[start + k]!;
  textLen[slot] = n;
  textVal[slot] = text;
  return text;
}

export class EventView {
  /** The buffer holding the current record. */
  data: Uint8Array = new Uint8Array(0);
  /** Offset of the current record (its 8-byte prefix) in `data`. */
  offset = 0;
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private offsetsFor = -1;
  /** Type and parameter count of the event the offset table was computed for. */
  private curType = 0;
  private curN = 0;
  private paramOffsets = new Uint32Array(64);
  private paramLens = new Uint32Array(64);

  /** Point the view at the record starting at `offset` in `data`. */
  moveTo(data: Uint8Array, offset: number): this {
    if (data !== this.data) {
      this.data = data;
      this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    this.offset = offset;
    this.offsetsFor = -1;
    return this;
  }

  get cpu(): number {
    return this.dv.getUint16(this.offset + RECORD.CPU, true);
  }
  get flags(): number {
    return this.dv.getUint32(this.offset + RECORD.FLAGS, true);
  }
  /** Timestamp, ns since the epoch. */
  get ts(): bigint {
    return this.dv.getBigUint64(this.offset + RECORD.TS, true);
  }
  /** Low and high 32 bits of the timestamp, for formatting without a bigint. */
  get tsLow(): number {
    return this.dv.getUint32(this.offset + RECORD.TS, true);
  }
  get tsHigh(): number {
    return this.dv.getUint32(this.offset + RECORD.TS + 4, true);
  }
  /** Thread id (read as a signed 64-bit value, exact up to 2^53). */
  get tid(): number {
    return this.dv.getInt32(this.offset + RECORD.TID + 4, true) * TWO_32 + this.dv.getUint32(this.offset + RECORD.TID, true);
  }
  /** Length of the scap event (header + lengths + payloads), without the record prefix. */
  get len(): number {
    return this.dv.getUint32(this.offset + RECORD.LEN, true);
  }
  /** Bytes the whole record occupies in the batch. */
  get recordSize(): number {
    return RECORD_PREFIX_SIZE + this.len;
  }
  get type(): number {
    return this.dv.getUint16(this.offset + RECORD.TYPE, true);
  }
  get nparams(): number {
    return this.dv.getUint32(this.offset + RECORD.NPARAMS, true);
  }
  /** Schema entry of this event's type (undefined only for ids outside the table). */
  get info(): EventInfo | undefined {
    return EVENT_TABLE[this.type];
  }
  /** `evt.type` name, e.g. `open`. */
  get name(): string {
    return EVENT_TABLE[this.type]?.name ?? 'unknown';
  }
  /** `>` for enter events, `<` for exit events. */
  get dir(): '>' | '<' {
    return (this.type & 1) === 0 ? '>' : '<';
  }

  private computeOffsets(): void {
    const n = this.nparams;
    if (n > this.paramOffsets.length) {
      this.paramOffsets = new Uint32Array(n);
      this.paramLens = new Uint32Array(n);
    }
    this.curN = n;
    const type = this.type;
    this.curType = type;
    this.offsetsType = type;
    const dv = this.dv;
    const offsets = this.paramOffsets;
    const lens = this.paramLens;
    const lensAt = this.offset + RECORD.PARAM_LENS;
    if (type < WIDE_LENGTHS.length && WIDE_LENGTHS[type] === 1) {
      let at = lensAt + n * 4;
      for (let i = 0; i < n; i++) {
        const l = dv.getUint32(lensAt + 4 * i, true);
        offsets[i] = at;
        lens[i] = l;
        at += l;
      }
    } else {
      let at = lensAt + n * 2;
      for (let i = 0; i < n; i++) {
        const l = dv.getUint16(lensAt + 2 * i, true);
        offsets[i] = at;
        lens[i] = l;
        at += l;
      }
    }
    this.offsetsFor = this.offset;
  }

  private check(i: number): void {
    if (this.offsetsFor !== this.offset) this.computeOffsets();
    if (!(i >= 0 && i < this.curN)) {
      throw new EventDecodeError('EVENT_PARAM_RANGE', `parameter ${i} out of range: event type ${this.type} has ${this.nparams}`, {
        type: this.type,
        param: i,
      });
    }
  }

  /** Length of the parameter found by the last `locate` call. */
  locatedLength = 0;
  /** Event type of the current event, valid after `locate` (read once per event, not per parameter). */
  offsetsType = 0;

  /**
   * Offset of parameter i's payload in `data`, with its length left in `locatedLength`: one range
   * check for both, for decoders that read every parameter.
   */
  locate(i: number): number {
    this.check(i);
    this.locatedLength = this.paramLens[i]!;
    return this.paramOffsets[i]!;
  }

  /** Offset of parameter i's payload in `data`. */
  paramOffset(i: number): number {
    this.check(i);
    return this.paramOffsets[i]!;
  }
  /** Length of parameter i's payload (0 = empty). */
  paramLength(i: number): number {
    this.check(i);
    return this.paramLens[i]!;
  }
  /**
   * The schema's description of parameter i (`[name, PT, PF, info, dirfdParam]`), undefined past the
   * schema's count; also checks that the event has parameter i.
   */
  schemaParam(i: number): EventInfo['params'][number] | undefined {
    this.check(i);
    return EVENT_TABLE[this.curType]?.params[i];
  }

  /** Parameter i's payload (a view into the batch, valid until the batch is reused). */
  paramBytes(i: number): Uint8Array {
    this.check(i);
    const at = this.paramOffsets[i]!;
    return this.data.subarray(at, at + this.paramLens[i]!);
  }
  /** The shared DataView over `data` (for decoders that read at `paramOffset`). */
  get dataView(): DataView {
    return this.dv;
  }

  /**
   * Parameter i as a number, for any integer-like type of 1, 2, 4 or 8 bytes (signedness from the
   * schema). 64-bit values are exact up to 2^53. Empty parameters read as 0.
   */
  int(i: number, signed = this.isSigned(i)): number {
    this.check(i);
    const at = this.paramOffsets[i]!;
    switch (this.paramLens[i]) {
      case 0:
        return 0;
      case 1:
        return signed ? this.dv.getInt8(at) : this.dv.getUint8(at);
      case 2:
        return signed ? this.dv.getInt16(at, true) : this.dv.getUint16(at, true);
      case 4:
        return signed ? this.dv.getInt32(at, true) : this.dv.getUint32(at, true);
      case 8:
        return (signed ? this.dv.getInt32(at + 4, true) : this.dv.getUint32(at + 4, true)) * TWO_32 + this.dv.getUint32(at, true);
      default:
        throw new EventDecodeError('EVENT_PARAM_TYPE', `parameter ${i} of event type ${this.type} is ${this.paramLens[i]} bytes, not an integer`, {
          type: this.type,
          param: i,
        });
    }
  }

  /** Parameter i as a bigint (exact for 64-bit values). */
  bigint(i: number, signed = this.isSigned(i)): bigint {
    this.check(i);
    if (this.paramLens[i] === 8) {
      const at = this.paramOffsets[i]!;
      return signed ? this.dv.getBigInt64(at, true) : this.dv.getBigUint64(at, true);
    }
    return BigInt(this.int(i, signed));
  }

  /** Parameter i as a string (charbuf/fspath: up to the first NUL), '' when empty. */
  str(i: number): string {
    this.check(i);
    const start = this.paramOffsets[i]!;
    return textAt(this.data, start, start + this.paramLens[i]!);
  }

  /** True when the schema declares parameter i signed (ints, errno, fd, pid). */
  isSigned(i: number): boolean {
    const p = EVENT_TABLE[this.type]?.params[i];
    return p !== undefined && SIGNED_TYPES[p[1]] === 1;
  }
}

/** Per event type, 1 when its parameter lengths are 4 bytes wide (EF_LARGE_PAYLOAD). */
const WIDE_LENGTHS = Uint8Array.from(EVENT_TABLE, (e) => ((e.flags & EF.LARGE_PAYLOAD) !== 0 ? 1 : 0));

// PT ids whose values are signed: INT8..INT64 (1-4), ERRNO 11, FD 14, PID 15, FD32 47, PID32 48.
const SIGNED_TYPES = new Uint8Array(64);
for (const t of [1, 2, 3, 4, 11, 14, 15, 47, 48]) SIGNED_TYPES[t] = 1;

/**
 * Walks the records of a batch with one reusable view: `while (c.next()) use(c.view)`.
 */
export class BatchCursor {
  readonly view = new EventView();
  private batch: EventBatch | undefined;
  private nextOffset = 0;
  private remaining = 0;

  reset(batch: EventBatch): this {
    this.batch = batch;
    this.nextOffset = 0;
    this.remaining = batch.count;
    return this;
  }

  next(): boolean {
    if (this.remaining === 0 || this.batch === undefined) return false;
    this.view.moveTo(this.batch.data, this.nextOffset);
    this.nextOffset += this.view.recordSize;
    this.remaining--;
    return true;
  }
}
