/**
 * An on-disk write-ahead spool for sinks whose receivers can be down (HTTP, NATS). Alerts are
 * appended as JSON lines to `alerts.jsonl`; `alerts.ack` holds the byte offset of the first
 * undelivered line. Delivery is at-least-once: the ack offset is persisted in batches, so after
 * a crash a few delivered alerts may be sent again (NATS JetStream de-duplicates them by id).
 * The spool holds at most `maxAlerts` undelivered alerts; the caller counts what does not fit.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parsePriority, priorityName, type Alert, type FieldValue, type PriorityName } from '@falco-ts/alert';
import { SpoolCorruptError } from './errors';

const LOG = 'alerts.jsonl';
const ACK = 'alerts.ack';
/** Persist the ack offset every this many deliveries (and whenever the spool empties). */
const ACK_EVERY = 64;
/** Rewrite the log once this many delivered bytes precede the first pending line. */
const COMPACT_BYTES = 16 * 1024 * 1024;

interface AlertRecord {
  id: string;
  t: string;
  r: string;
  p: string;
  s: string;
  h: string;
  o: string;
  g: readonly string[];
  f: Record<string, unknown>;
}

function encodeField(v: FieldValue): unknown {
  if (typeof v === 'bigint') return { $n: v.toString() };
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'bigint' ? { $n: x.toString() } : x));
  return v;
}

function decodeField(v: unknown): FieldValue {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $n?: unknown }).$n === 'string') {
    return BigInt((v as { $n: string }).$n);
  }
  if (Array.isArray(v)) return v.map((x) => decodeField(x)) as FieldValue;
  return v as FieldValue;
}

export function encodeAlert(alert: Alert): string {
  const f: Record<string, unknown> = {};
  for (const k of Object.keys(alert.outputFields)) f[k] = encodeField(alert.outputFields[k]);
  const rec: AlertRecord = {
    id: alert.id,
    t: alert.timeNs.toString(),
    r: alert.rule,
    p: alert.priority,
    s: alert.source,
    h: alert.hostname,
    o: alert.output,
    g: alert.tags,
    f,
  };
  return JSON.stringify(rec);
}

export function decodeAlert(line: string, file: string, lineNo: number): Alert {
  let rec: AlertRecord;
  try {
    rec = JSON.parse(line) as AlertRecord;
  } catch (err) {
    throw new SpoolCorruptError({ file, line: lineNo }, `not a JSON record: ${(err as Error).message}`);
  }
  const level = typeof rec.p === 'string' ? parsePriority(rec.p) : undefined;
  const priority: PriorityName | undefined = level === undefined ? undefined : priorityName(level);
  if (typeof rec.id !== 'string' || typeof rec.t !== 'string' || !/^\d+$/.test(rec.t) || priority === undefined || typeof rec.r !== 'string') {
    throw new SpoolCorruptError({ file, line: lineNo }, 'record lacks id, time, rule or a valid priority');
  }
  const outputFields: Record<string, FieldValue> = {};
  for (const k of Object.keys(rec.f ?? {})) outputFields[k] = decodeField(rec.f[k]);
  return {
    id: rec.id,
    timeNs: BigInt(rec.t),
    rule: rec.r,
    priority,
    source: String(rec.s ?? 'syscall'),
    hostname: String(rec.h ?? ''),
    output: String(rec.o ?? ''),
    tags: Array.isArray(rec.g) ? rec.g.map(String) : [],
    outputFields,
  };
}

export class Spool {
  private fd: number;
  /** Undelivered alerts in order; mirrors the log from `ackOffset` on. */
  private readonly pending: { alert: Alert; bytes: number }[] = [];
  private pendingHead = 0;
  private ackOffset = 0;
  private fileSize = 0;
  private unsavedAcks = 0;
  /** Lines found unreadable when the spool was opened; reported once, then skipped. */
  readonly corrupt: SpoolCorruptError[] = [];

  private constructor(
    readonly dir: string,
    readonly maxAlerts: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.load();
    this.fd = openSync(join(dir, LOG), 'a');
  }

  static open(dir: string, maxAlerts: number): Spool {
    return new Spool(dir, maxAlerts);
  }

  /** Undelivered alerts held on disk. */
  get size(): number {
    return this.pending.length - this.pendingHead;
  }

  get free(): number {
    return Math.max(0, this.maxAlerts - this.size);
  }

  private load(): void {
    const logPath = join(this.dir, LOG);
    if (!existsSync(logPath)) return;
    const data = readFileSync(logPath);
    this.fileSize = data.length;
    const ackPath = join(this.dir, ACK);
    const saved = existsSync(ackPath) ? Number(readFileSync(ackPath, 'utf8').trim()) : 0;
    this.ackOffset = Number.isInteger(saved) && saved >= 0 && saved <= data.length ? saved : 0;
    let start = this.ackOffset;
    // Line numbers count from the start of the file so an error points at the right place.
    let lineNo = data.subarray(0, start).filter((b) => b === 0x0a).length + 1;
    while (start < data.length) {
      const end = data.indexOf(0x0a, start);
      // A last line without a newline was cut short by a crash mid-write: it was never acknowledged
      // to anyone, so it is discarded.
      if (end < 0) break;
      const line = data.toString('utf8', start, end);
      const bytes = end + 1 - start;
      try {
        this.pending.push({ alert: decodeAlert(line, logPath, lineNo), bytes });
      } catch (err) {
        if (!(err instanceof SpoolCorruptError)) throw err;
        this.corrupt.push(err);
        // Skipped lines count as delivered so the offset stays consistent with `pending`.
        if (this.pending.length === 0) this.ackOffset += bytes;
        else this.pending[this.pending.length - 1].bytes += bytes;
      }
      start = end + 1;
      lineNo++;
    }
    if (start < data.length) {
      this.fileSize = start;
      writeFileSync(logPath, data.subarray(0, start));
    }
  }

  /**
   * Appends as many of `alerts` as fit; returns how many were stored (the rest are the caller's
   * to count as dropped).
   */
  append(alerts: readonly Alert[]): number {
    const n = Math.min(alerts.length, this.free);
    if (n === 0) return 0;
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const line = `${encodeAlert(alerts[i])}\n`;
      chunk += line;
      this.pending.push({ alert: alerts[i], bytes: Buffer.byteLength(line) });
    }
    const buf = Buffer.from(chunk);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.fileSize += buf.length;
    return n;
  }

  peek(): Alert | undefined {
    return this.pendingHead < this.pending.length ? this.pending[this.pendingHead].alert : undefined;
  }

  /** Copies up to `max` undelivered alerts, oldest first, into `out` (cleared first). */
  peekMany(max: number, out: Alert[]): Alert[] {
    out.length = 0;
    const end = Math.min(this.pending.length, this.pendingHead + max);
    for (let i = this.pendingHead; i < end; i++) out.push(this.pending[i].alert);
    return out;
  }

  /** Marks the head alert delivered. */
  ack(): void {
    const entry = this.pending[this.pendingHead];
    if (entry === undefined) return;
    this.ackOffset += entry.bytes;
    this.pendingHead++;
    this.unsavedAcks++;
    if (this.size === 0) {
      this.reset();
    } else {
      if (this.pendingHead > 4096 && this.pendingHead * 2 > this.pending.length) {
        this.pending.splice(0, this.pendingHead);
        this.pendingHead = 0;
      }
      if (this.ackOffset > COMPACT_BYTES && this.ackOffset * 2 > this.fileSize) this.compact();
      else if (this.unsavedAcks >= ACK_EVERY) this.saveAck();
    }
  }

  private saveAck(): void {
    writeFileSync(join(this.dir, ACK), String(this.ackOffset));
    this.unsavedAcks = 0;
  }

  /** Everything delivered: start a new, empty log. */
  private reset(): void {
    closeSync(this.fd);
    this.fd = openSync(join(this.dir, LOG), 'w');
    this.pending.length = 0;
    this.pendingHead = 0;
    this.ackOffset = 0;
    this.fileSize = 0;
    this.saveAck();
  }

  /** Rewrites the log without its delivered prefix (write to a temp file, then rename). */
  private compact(): void {
    const live = this.pending.slice(this.pendingHead);
    const tmp = join(this.dir, `${LOG}.tmp`);
    writeFileSync(tmp, live.map((e) => `${encodeAlert(e.alert)}\n`).join(''));
    closeSync(this.fd);
    writeFileSync(join(this.dir, ACK), '0');
    renameSync(tmp, join(this.dir, LOG));
    this.fd = openSync(join(this.dir, LOG), 'a');
    this.pending.length = 0;
    this.pendingHead = 0;
    let size = 0;
    for (const e of live) {
      this.pending.push(e);
      size += e.bytes;
    }
    this.fileSize = size;
    this.ackOffset = 0;
    this.unsavedAcks = 0;
  }

  /** Makes what is spooled durable and records progress; called at shutdown. */
  close(): void {
    fsyncSync(this.fd);
    this.saveAck();
    closeSync(this.fd);
  }
}
