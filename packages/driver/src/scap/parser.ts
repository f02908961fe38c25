/**
 * A push parser for the (decompressed) scap block stream. Feed it chunks of any size; it parses every
 * complete block, keeps the initial state from the metadata blocks, converts events to the modern
 * layout and appends them to batches, handing each full batch to `onBatch`. Memory stays bounded by
 * the largest block (capped by `maxBlockBytes`) plus one batch.
 */
import { RECORD, RECORD_PREFIX_SIZE, SCAP_HEADER_SIZE, type EventBatch } from '../batch';
import { CaptureFormatError, type CaptureErrorCode } from '../errors';
import { EF } from '../schema/generated/event-flags';
import { EVENT_TABLE, EVENT_TYPE_COUNT } from '../schema/generated/event-table';
import { BLOCK, BLOCK_HEADER_SIZE, BLOCK_OVERHEAD, EVENT_V1_HEADER_SIZE, SHB_MAGIC, blockKind, blockName } from './blocks';
import { Converter, ConversionError, DROP, PASS, passesUnchanged, type ConvertResult, type WorkEvent } from './converter';
import { BodyError, BodyReader, parseFdList, parseInterfaceList, parseMachineInfo, parseProcessList, parseUserList } from './metadata';
import { emptyState, type InitialState } from './state';

export interface ParserOptions {
  /** Named in error messages. */
  file?: string;
  /** Target size of each batch's buffer (default 1 MiB). */
  batchBytes?: number;
  /** Largest block accepted; larger ones are an error rather than an allocation (default 64 MiB). */
  maxBlockBytes?: number;
  /** Event types outside the schema: `error` (default) or `skip` them, as libscap does. */
  unknownEvents?: 'error' | 'skip';
  /** Apply the old-layout converter (default true). Without it events are delivered as stored. */
  convert?: boolean;
}

/** What was read: block and event counts, time span. */
export class CaptureStats {
  private readonly blockCounts = new Map<number, number>();
  // Blocks come in long runs of one type (event blocks), so a run is counted in a plain field and
  // folded into the map when the type changes: no map update per event.
  private runType = -1;
  private runCount = 0;
  countBlock(type: number): void {
    if (type === this.runType) {
      this.runCount++;
      return;
    }
    this.settleRun();
    this.runType = type;
    this.runCount = 1;
  }
  private settleRun(): void {
    if (this.runCount === 0) return;
    this.blockCounts.set(this.runType, (this.blockCounts.get(this.runType) ?? 0) + this.runCount);
    this.runCount = 0;
  }
  /** Blocks by name (`EV_V2`, `PL_V9`, …), in order of first appearance. */
  get blocks(): Map<string, number> {
    this.settleRun();
    return new Map([...this.blockCounts].map(([t, n]) => [blockName(t), n]));
  }
  /** Events as stored in the file, by event type id. */
  readonly storedByType = new Uint32Array(EVENT_TYPE_COUNT);
  /** Events delivered in batches (after conversion), by event type id. */
  readonly deliveredByType = new Uint32Array(EVENT_TYPE_COUNT);
  storedEvents = 0;
  deliveredEvents = 0;
  /** Events dropped by the converter (stored enter events, unused types). */
  convertedAway = 0;
  /** Events rewritten by the converter. */
  converted = 0;
  /** Events with a type outside the schema that were skipped (unknownEvents: 'skip'). */
  unknownSkipped = 0;
  /** Bytes of decompressed block stream consumed. */
  bytes = 0;
  private minHi = Infinity;
  private minLo = 0;
  private maxHi = -1;
  private maxLo = 0;

  noteTs(hi: number, lo: number): void {
    if (hi < this.minHi || (hi === this.minHi && lo < this.minLo)) {
      this.minHi = hi;
      this.minLo = lo;
    }
    if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) {
      this.maxHi = hi;
      this.maxLo = lo;
    }
  }
  get minTs(): bigint | undefined {
    return this.minHi === Infinity ? undefined : (BigInt(this.minHi) << 32n) | BigInt(this.minLo);
  }
  get maxTs(): bigint | undefined {
    return this.maxHi < 0 ? undefined : (BigInt(this.maxHi) << 32n) | BigInt(this.maxLo);
  }
}

/** Per event type, 1 for EF_LARGE_PAYLOAD types (4-byte parameter lengths in v2 blocks). */
const LARGE_PAYLOAD = Uint8Array.from(EVENT_TABLE, (e) => ((e.flags & EF.LARGE_PAYLOAD) !== 0 ? 1 : 0));

const DEFAULT_BATCH_BYTES = 1 << 20;
const DEFAULT_MAX_BLOCK = 64 << 20;

/**
 * A batch buffer. Not zero-filled: every byte up to the batch's `byteLength` is written before the
 * batch is handed out, and nothing reads past it, so clearing a megabyte per batch is wasted work.
 */
function batchBuffer(size: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
}

export class ScapParser {
  readonly state: InitialState = emptyState();
  readonly stats = new CaptureStats();
  /** True once the first event block has been seen (the initial state is then complete). */
  sawEvents = false;
  private sawHeader = false;
  /**
   * One allocation holds both the input and the batch being built: input bytes (complete blocks
   * and the start of an incomplete one) in [0, inCap), the batch in [inCap, inCap + stageCap). An
   * event then moves into the batch with one `copyWithin`, a native copy inside one typed array
   * that allocates nothing (copying between two arrays needs a subarray or a JS loop per event);
   * `flush` copies the finished batch out into its own exactly sized buffer.
   */
  private buf: Uint8Array;
  private dv: DataView;
  private inCap = 64 * 1024;
  private stageCap: number;
  private start = 0;
  private end = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  /** Bytes and records of the batch being built, at buf[inCap..inCap + outUsed). */
  private outUsed = 0;
  private outCount = 0;
  private readonly converter = new Converter();
  private readonly batchBytes: number;
  private readonly maxBlock: number;
  private readonly convert: boolean;
  private readonly skipUnknown: boolean;
  /** Block being parsed, for error messages: its type id (or -1 before any) and start. */
  private blockType = -1;
  private blockOffset = 0;

  constructor(
    private readonly onBatch: (batch: EventBatch) => void,
    private readonly opts: ParserOptions = {},
  ) {
    this.batchBytes = opts.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.maxBlock = opts.maxBlockBytes ?? DEFAULT_MAX_BLOCK;
    this.convert = opts.convert ?? true;
    this.skipUnknown = opts.unknownEvents === 'skip';
    this.stageCap = this.batchBytes;
    this.buf = new Uint8Array(this.inCap + this.stageCap);
    this.dv = new DataView(this.buf.buffer);
  }

  private fail(code: CaptureErrorCode, msg: string, at: number): never {
    const block = this.blockType < 0 ? 'header' : blockName(this.blockType);
    throw new CaptureFormatError(code, msg, { file: this.opts.file, offset: this.base + at, block, blockOffset: this.blockOffset });
  }

  /**
   * Bytes held: input for incomplete blocks (grows only to the largest block plus one chunk) and the
   * batch being built.
   */
  get bufferCapacity(): number {
    return this.buf.length;
  }

  /** Feed the next chunk of the decompressed stream. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.inCap) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
    this.parseAvailable();
  }

  private makeRoom(n: number): void {
    const live = this.end - this.start;
    let cap = this.inCap;
    while (live + n > cap) cap *= 2;
    if (cap === this.inCap && this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.start = 0;
      this.end = live;
    } else {
      this.resize(cap, this.stageCap, true);
    }
  }

  /**
   * Reallocate with new region sizes, keeping the input and the batch being built. `compact` drops
   * the parsed input before `start`; without it input offsets stay valid (growing the batch region
   * while a block is being parsed).
   */
  private resize(inCap: number, stageCap: number, compact: boolean): void {
    const next = new Uint8Array(inCap + stageCap);
    const from = compact ? this.start : 0;
    next.set(this.buf.subarray(from, this.end));
    next.set(this.buf.subarray(this.inCap, this.inCap + this.outUsed), inCap);
    this.buf = next;
    this.dv = new DataView(next.buffer);
    this.base += from;
    this.start -= from;
    this.end -= from;
    this.inCap = inCap;
    this.stageCap = stageCap;
  }

  private parseAvailable(): void {
    while (this.end - this.start >= BLOCK_HEADER_SIZE) {
      // Re-read per block: a block too large for the batch region reallocates the buffer.
      const dv = this.dv;
      const at = this.start;
      const type = dv.getUint32(at, true);
      const total = dv.getUint32(at + 4, true);
      this.blockOffset = this.base + at;
      this.blockType = type;
      if (!this.sawHeader) {
        if (type !== BLOCK.SHB) this.fail('SCAP_BAD_MAGIC', `not a scap capture: first block type is ${blockName(type)}, expected a section header`, at);
        if (this.end - at >= 12 && dv.getUint32(at + 8, true) !== SHB_MAGIC) {
          this.fail('SCAP_BAD_MAGIC', `bad byte-order magic 0x${dv.getUint32(at + 8, true).toString(16)} (expected 0x1a2b3c4d)`, at + 8);
        }
      }
      if (total < BLOCK_OVERHEAD) this.fail('SCAP_BAD_BLOCK_LENGTH', `block length ${total} is shorter than the 12-byte block framing`, at + 4);
      if (total > this.maxBlock) this.fail('SCAP_BAD_BLOCK_LENGTH', `block length ${total} exceeds the limit of ${this.maxBlock} bytes`, at + 4);
      // Incomplete block: wait for more input. The buffer grows with the data that actually
      // arrives, so a block that only claims to be large costs nothing.
      if (this.end - at < total) return;
      this.block(type, at, total);
      this.start = at + total;
      this.stats.bytes = this.base + this.start;
    }
  }

  private block(type: number, at: number, total: number): void {
    this.stats.countBlock(type);
    const bodyStart = at + BLOCK_HEADER_SIZE;
    const bodyEnd = at + total - 4;
    // Current event blocks (nearly every block of a capture) skip the block-kind lookup.
    if (type === BLOCK.EV_V2 || type === BLOCK.EV_V2_LARGE || type === BLOCK.EVF_V2 || type === BLOCK.EVF_V2_LARGE) {
      this.sawEvents = true;
      this.event(2, type === BLOCK.EVF_V2 || type === BLOCK.EVF_V2_LARGE, bodyStart, bodyEnd);
      return;
    }
    const kind = blockKind(type);
    if (kind?.family === 'EV') {
      this.sawEvents = true;
      this.event(kind.version, kind.hasFlags === true, bodyStart, bodyEnd);
      return;
    }
    if (this.dv.getUint32(bodyEnd, true) !== total) {
      this.fail('SCAP_BAD_BLOCK_LENGTH', `block trailer length ${this.dv.getUint32(bodyEnd, true)} differs from the header's ${total}`, bodyEnd);
    }
    if (kind === undefined) return; // unknown metadata blocks are skipped by length, as libscap does
    const r = new BodyReader(this.buf, bodyStart, bodyEnd);
    try {
      switch (kind.family) {
        case 'SHB':
          this.sectionHeader(r, total);
          break;
        case 'MI':
          this.state.machine = parseMachineInfo(r);
          break;
        case 'PL':
          parseProcessList(r, kind.version, this.state);
          break;
        case 'FDL':
          parseFdList(r, kind.version, this.state);
          break;
        case 'IL':
          parseInterfaceList(r, kind.version, this.state);
          break;
        case 'UL':
          parseUserList(r, kind.version, this.state);
          break;
      }
    } catch (e) {
      if (e instanceof BodyError) this.fail('SCAP_BAD_BLOCK', e.message, e.at);
      throw e;
    }
  }

  private sectionHeader(r: BodyReader, total: number): void {
    if (total < 28) this.fail('SCAP_BAD_BLOCK_LENGTH', `section header length ${total} is shorter than 28`, r.pos - 4);
    const magic = r.u32('byte_order_magic');
    if (magic !== SHB_MAGIC) this.fail('SCAP_BAD_MAGIC', `bad byte-order magic 0x${magic.toString(16)} (expected 0x1a2b3c4d)`, r.pos - 4);
    const major = r.u16('major_version');
    const minor = r.u16('minor_version');
    if (major > 1) this.fail('SCAP_BAD_VERSION', `unsupported capture version ${major}.${minor} (this reader knows 1.x)`, r.pos - 4);
    this.state.header = { major, minor };
    this.sawHeader = true;
    // A new section (concatenated captures) starts a new converter context.
    this.converter.reset();
  }

  private event(version: number, hasFlags: boolean, bodyStart: number, bodyEnd: number): void {
    const dv = this.dv;
    const hdr = version >= 2 ? SCAP_HEADER_SIZE : EVENT_V1_HEADER_SIZE;
    const pre = hasFlags ? 6 : 2;
    if (bodyEnd - bodyStart < pre + hdr) this.fail('SCAP_BAD_BLOCK_LENGTH', `event block body of ${bodyEnd - bodyStart} bytes cannot hold an event header`, bodyStart);
    const cpu = dv.getUint16(bodyStart, true);
    const flags = hasFlags ? dv.getUint32(bodyStart + 2, true) : 0;
    const ev = bodyStart + pre;
    let len = dv.getUint32(ev + 16, true);
    const type = dv.getUint16(ev + 20, true);
    const tsLo = dv.getUint32(ev, true);
    const tsHi = dv.getUint32(ev + 4, true);
    const stats = this.stats;
    stats.storedEvents++;
    if (type >= EVENT_TYPE_COUNT) {
      if (this.skipUnknown) {
        stats.unknownSkipped++;
        return;
      }
      this.fail('SCAP_UNKNOWN_EVENT', `unknown event type ${type} (the schema has 0..${EVENT_TYPE_COUNT - 1})`, ev + 20);
    }
    stats.storedByType[type]!++;
    stats.noteTs(tsHi, tsLo);
    const lenSize = version >= 2 && LARGE_PAYLOAD[type] === 1 ? 4 : 2;
    let nparams: number;
    if (version >= 2) {
      nparams = dv.getUint32(ev + 22, true);
      if (len < SCAP_HEADER_SIZE) this.fail('SCAP_BAD_EVENT', `event length ${len} is shorter than the 26-byte header`, ev + 16);
      if (ev + len > bodyEnd) this.fail('SCAP_BAD_EVENT', `event length ${len} overruns its block by ${ev + len - bodyEnd} bytes`, ev + 16);
      if (SCAP_HEADER_SIZE + nparams * lenSize > len) this.fail('SCAP_BAD_EVENT', `${nparams} parameter lengths do not fit in an event of ${len} bytes`, ev + 22);
      // Sum first, check once: the per-parameter check runs only to name the parameter of a bad event.
      let sum = SCAP_HEADER_SIZE + nparams * lenSize;
      const lens = ev + SCAP_HEADER_SIZE;
      if (lenSize === 2) for (let i = 0; i < nparams; i++) sum += dv.getUint16(lens + 2 * i, true);
      else for (let i = 0; i < nparams; i++) sum += dv.getUint32(lens + 4 * i, true);
      if (sum > len) this.overrunParam(ev, len, nparams, lenSize);
    } else {
      const info = EVENT_TABLE[type]!;
      // v1 blocks predate 4-byte parameter lengths; a large-payload type here cannot be laid out.
      if ((info.flags & EF.LARGE_PAYLOAD) !== 0) this.fail('SCAP_BAD_EVENT', `large-payload event type ${type} in a v1 event block`, ev + 20);
      // v1 header: no nparams. Quirk: these two types were written with a length 3 bytes too long.
      if (type === 280 || type === 286) len -= 3;
      if (len < EVENT_V1_HEADER_SIZE) this.fail('SCAP_BAD_EVENT', `event length ${len} is shorter than the 22-byte header`, ev + 16);
      if (ev + len > bodyEnd) this.fail('SCAP_BAD_EVENT', `event length ${len} overruns its block by ${ev + len - bodyEnd} bytes`, ev + 16);
      nparams = this.inferNparams(ev, len, info.params.length);
    }
    let result;
    try {
      if (!this.convert || passesUnchanged(type, nparams)) {
        this.emitStored(version, cpu, flags, ev, len, type, nparams);
        return;
      }
      result = this.convertEvent(version, ev, type, nparams, lenSize);
    } catch (e) {
      if (e instanceof ConversionError) this.fail('SCAP_CONVERSION', e.message, ev);
      throw e;
    }
    if (result === DROP) {
      this.stats.convertedAway++;
      return;
    }
    if (result === PASS) {
      this.emitStored(version, cpu, flags, ev, len, type, nparams);
      return;
    }
    this.stats.converted++;
    this.emitConverted(cpu, flags, ev, result);
  }

  /**
   * The converter call, kept out of `event()`: its closure over the event's position would make V8
   * allocate a context for every event, converted or not.
   */
  private convertEvent(version: number, ev: number, type: number, nparams: number, lenSize: number): ConvertResult {
    return this.converter.convert(this.tidAt(ev), type, nparams, () => this.paramsOf(version, ev, nparams, lenSize));
  }

  private tidAt(ev: number): number {
    return this.dv.getInt32(ev + 12, true) * 4294967296 + this.dv.getUint32(ev + 8, true);
  }

  /** Report the first parameter whose length runs past the end of its event. */
  private overrunParam(ev: number, len: number, nparams: number, lenSize: number): never {
    let sum = SCAP_HEADER_SIZE + nparams * lenSize;
    for (let i = 0; i < nparams; i++) {
      sum += lenSize === 4 ? this.dv.getUint32(ev + 26 + 4 * i, true) : this.dv.getUint16(ev + 26 + 2 * i, true);
      if (sum > len) this.fail('SCAP_BAD_EVENT', `parameter ${i} overruns the event (${sum} > ${len} bytes)`, ev + 26 + lenSize * i);
    }
    this.fail('SCAP_BAD_EVENT', `parameters overrun the event (${sum} > ${len} bytes)`, ev + 26);
  }

  /** libscap's inference of a v1 event's parameter count from its length. */
  private inferNparams(ev: number, len: number, tableN: number): number {
    for (let n = tableN; n >= 0; n--) {
      if (EVENT_V1_HEADER_SIZE + 2 * n > len) continue;
      let total = EVENT_V1_HEADER_SIZE + 2 * n;
      for (let i = 0; i < n; i++) total += this.dv.getUint16(ev + EVENT_V1_HEADER_SIZE + 2 * i, true);
      if (total === len) return n;
      if (total < len) this.fail('SCAP_BAD_EVENT', `event length ${len} does not match its ${n} parameters (${total} bytes)`, ev + 16);
    }
    this.fail('SCAP_BAD_EVENT', `cannot infer the parameter count of an event of ${len} bytes`, ev + 16);
  }

  private paramsOf(version: number, ev: number, nparams: number, lenSize: number): Uint8Array[] {
    const hdr = version >= 2 ? SCAP_HEADER_SIZE : EVENT_V1_HEADER_SIZE;
    const out: Uint8Array[] = [];
    let p = ev + hdr + nparams * lenSize;
    for (let i = 0; i < nparams; i++) {
      const l = lenSize === 4 ? this.dv.getUint32(ev + hdr + 4 * i, true) : this.dv.getUint16(ev + hdr + 2 * i, true);
      out.push(this.buf.subarray(p, p + l));
      p += l;
    }
    return out;
  }

  /** Room for n more bytes in the batch region (flushing first when it is full); its offset. */
  private reserveOut(n: number): number {
    if (this.outUsed + n > this.stageCap) {
      this.flush();
      if (n > this.stageCap) this.resize(this.inCap, n, false);
    }
    return this.inCap + this.outUsed;
  }

  /** Emit the event as stored (v2: one copy; v1: insert the nparams field). */
  private emitStored(version: number, cpu: number, flags: number, ev: number, len: number, type: number, nparams: number): void {
    const modernLen = version >= 2 ? len : len + 4;
    const o = this.reserveOut(RECORD_PREFIX_SIZE + modernLen);
    const buf = this.buf;
    const od = this.dv;
    od.setUint16(o + RECORD.CPU, cpu, true);
    od.setUint16(o + RECORD.RESERVED, 0, true);
    od.setUint32(o + RECORD.FLAGS, flags, true);
    if (version >= 2) {
      buf.copyWithin(o + RECORD_PREFIX_SIZE, ev, ev + len);
    } else {
      buf.copyWithin(o + RECORD.TS, ev, ev + 16);
      od.setUint32(o + RECORD.LEN, modernLen, true);
      od.setUint16(o + RECORD.TYPE, type, true);
      od.setUint32(o + RECORD.NPARAMS, nparams, true);
      buf.copyWithin(o + RECORD.PARAM_LENS, ev + EVENT_V1_HEADER_SIZE, ev + len);
    }
    this.outUsed += RECORD_PREFIX_SIZE + modernLen;
    this.outCount++;
    this.stats.deliveredEvents++;
    this.stats.deliveredByType[type]!++;
  }

  private emitConverted(cpu: number, flags: number, ev: number, e: WorkEvent): void {
    const lenSize = (EVENT_TABLE[e.type]!.flags & EF.LARGE_PAYLOAD) !== 0 ? 4 : 2;
    let payload = 0;
    for (const p of e.params) payload += p.length;
    const len = SCAP_HEADER_SIZE + e.params.length * lenSize + payload;
    const o = this.reserveOut(RECORD_PREFIX_SIZE + len);
    const buf = this.buf;
    const od = this.dv;
    od.setUint16(o + RECORD.CPU, cpu, true);
    od.setUint16(o + RECORD.RESERVED, 0, true);
    od.setUint32(o + RECORD.FLAGS, flags, true);
    buf.copyWithin(o + RECORD.TS, ev, ev + 16);
    od.setUint32(o + RECORD.LEN, len, true);
    od.setUint16(o + RECORD.TYPE, e.type, true);
    od.setUint32(o + RECORD.NPARAMS, e.params.length, true);
    let lp = o + RECORD.PARAM_LENS;
    let vp = lp + e.params.length * lenSize;
    for (const p of e.params) {
      if (lenSize === 4) od.setUint32(lp, p.length, true);
      else od.setUint16(lp, p.length, true);
      lp += lenSize;
      // A parameter may be a view of this buffer's input region: set() copies overlapping sources safely.
      buf.set(p, vp);
      vp += p.length;
    }
    this.outUsed += RECORD_PREFIX_SIZE + len;
    this.outCount++;
    this.stats.deliveredEvents++;
    this.stats.deliveredByType[e.type]!++;
  }

  /** Hand over the batch built so far (if any), copied into a buffer of its own, sized to fit. */
  flush(): void {
    if (this.outCount === 0) return;
    const data = batchBuffer(this.outUsed);
    data.set(this.buf.subarray(this.inCap, this.inCap + this.outUsed));
    const batch: EventBatch = { data, count: this.outCount, byteLength: this.outUsed };
    this.outUsed = 0;
    this.outCount = 0;
    this.onBatch(batch);
  }

  /** End of input: anything left over is a truncated block. */
  finish(): void {
    const left = this.end - this.start;
    if (!this.sawHeader && left === 0) {
      this.blockType = -1;
      this.fail('SCAP_TRUNCATED', 'empty input: no section header', this.start);
    }
    if (left > 0) {
      this.blockOffset = this.base + this.start;
      if (left < BLOCK_HEADER_SIZE) {
        this.blockType = -1;
        this.fail('SCAP_TRUNCATED', `input ends inside a block header (${left} of 8 bytes)`, this.end);
      }
      const type = this.dv.getUint32(this.start, true);
      const total = this.dv.getUint32(this.start + 4, true);
      this.blockType = type;
      this.fail('SCAP_TRUNCATED', `input ends inside a block (${left} of ${total} bytes)`, this.end);
    }
    this.flush();
  }
}
