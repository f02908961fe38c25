/**
 * One Kubernetes audit event (an `audit.k8s.io` Event object, `v1` or `v1beta1`) as the `k8s_audit`
 * source hands it to rules, and the readers that split a webhook body or a file into events.
 */
import { AuditInputError } from '../errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface AuditEvent {
  /** The parsed Event object. */
  readonly json: JsonObject;
  /** The event as its reader saw it (the line, or the list item re-serialised), for `json.obj`-style output. */
  readonly raw: string;
  /** 1-based sequence number within its reader. */
  readonly num: number;
  /** Nanoseconds since the epoch: `stageTimestamp` (or `requestReceivedTimestamp`), else receipt time. */
  readonly ts: bigint;
}

/** RFC 3339 with up to nanosecond fractions (`2019-10-11T13:30:08.123456789Z`) to epoch nanoseconds. */
export function parseAuditTimestamp(v: Json | undefined): bigint | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** An event whose JSON text is produced only when asked for (list items have none of their own). */
class ParsedAuditEvent implements AuditEvent {
  private text: string | undefined;
  constructor(
    readonly json: JsonObject,
    raw: string | undefined,
    readonly num: number,
    readonly ts: bigint,
  ) {
    this.text = raw;
  }

  get raw(): string {
    return (this.text ??= JSON.stringify(this.json));
  }
}

export function auditEvent(json: JsonObject, raw: string | undefined, num: number, nowNs: () => bigint): AuditEvent {
  const ts = parseAuditTimestamp(json['stageTimestamp']) ?? parseAuditTimestamp(json['requestReceivedTimestamp']) ?? nowNs();
  return new ParsedAuditEvent(json, raw, num, ts);
}

const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An audit Event: `kind: Event` and, when `apiVersion` is present, an `audit.k8s.io` version (the
 * core `v1` Event, Kubernetes' own event objects, also says `kind: Event` and is not an audit event).
 */
export function isAuditEvent(v: Json | undefined): v is JsonObject {
  if (!isObject(v) || v['kind'] !== 'Event') return false;
  const api = v['apiVersion'];
  return api === undefined || (typeof api === 'string' && api.startsWith('audit.k8s.io/'));
}

function isAuditEventList(v: Json | undefined): v is JsonObject & { items: Json[] } {
  if (!isObject(v) || v['kind'] !== 'EventList' || !Array.isArray(v['items'])) return false;
  const api = v['apiVersion'];
  return api === undefined || (typeof api === 'string' && api.startsWith('audit.k8s.io/'));
}

/** Limits and strictness of one reader. */
export interface AuditReadOptions {
  /** Where the text came from, for messages (`webhook`, a path). */
  source: string;
  /** Sequence number of the event before the first one read. */
  start?: number;
  nowNs: () => bigint;
  /**
   * Refuse documents that are not audit events (the webhook) instead of skipping them (files,
   * as Falco's k8saudit plugin does).
   */
  strict?: boolean;
  /** Largest accepted single event, in bytes of its JSON text (the plugin's `maxEventSize`). */
  maxEventBytes?: number;
  /**
   * Told, in lenient reading, of each document skipped as not an audit event or event list, with
   * where it was (`line 3`, `item 2`): the k8saudit plugin reports those as
   * `data not recognized as a k8s audit event` and goes on.
   */
  onUnrecognized?: (where: string) => void;
}

function describe(v: Json): string {
  if (isObject(v)) return `kind ${JSON.stringify(v['kind'] ?? null)}, apiVersion ${JSON.stringify(v['apiVersion'] ?? null)}`;
  return Array.isArray(v) ? 'a JSON array' : `a JSON ${v === null ? 'null' : typeof v}`;
}

/**
 * Splits a body (a webhook POST or a file) into audit events: an `EventList` (its `items`), one
 * Event, a JSON array of Events, or one JSON document per line.
 */
export function readAuditEvents(text: string, opts: AuditReadOptions): AuditEvent[] {
  const out: AuditEvent[] = [];
  const start = opts.start ?? 0;
  const { source, strict = false, maxEventBytes } = opts;
  let line: number | undefined;
  const checkSizes = maxEventBytes !== undefined && Buffer.byteLength(text) > maxEventBytes;
  const take = (v: Json, raw: string | undefined, nested: boolean, fromList = false): void => {
    if (Array.isArray(v) && !nested) {
      for (const item of v) take(item, undefined, true);
      return;
    }
    if (isAuditEventList(v) && !nested) {
      for (const item of v.items) take(item, undefined, true, true);
      return;
    }
    if (!isAuditEvent(v)) {
      const where = line !== undefined ? `line ${line}` : `item ${out.length + 1}`;
      if (!strict) {
        // Items of an EventList are not documents of their own: the plugin reads each as an event.
        if (!fromList) opts.onUnrecognized?.(where);
        return;
      }
      throw new AuditInputError('K8SAUDIT_NOT_AUDIT_EVENT', `${source}: ${where} is not an audit.k8s.io Event or EventList (${describe(v)})`, { source, line, item: out.length + 1 });
    }
    // Only a body larger than the limit can hold an event over it; smaller ones skip re-serialising.
    if (checkSizes) {
      const size = Buffer.byteLength(raw ?? JSON.stringify(v));
      if (size > maxEventBytes!) {
        throw new AuditInputError('K8SAUDIT_TOO_LARGE', `${source}: audit event ${out.length + 1} is ${size} bytes, over the ${maxEventBytes!}-byte event limit`, { source, line, item: out.length + 1 });
      }
    }
    out.push(auditEvent(v, raw, start + out.length + 1, opts.nowNs));
  };
  const trimmed = text.trim();
  if (trimmed === '') {
    if (strict) throw new AuditInputError('K8SAUDIT_NOT_AUDIT_EVENT', `${source}: empty body, expected an audit EventList or Event`, { source });
    return out;
  }
  let whole: Json | undefined;
  try {
    whole = JSON.parse(trimmed) as Json;
  } catch {
    // not one document: read it as JSON lines below
  }
  if (whole !== undefined) {
    take(whole, isAuditEvent(whole) ? trimmed : undefined, false);
    return out;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    line = i + 1;
    let v: Json;
    try {
      v = JSON.parse(l) as Json;
    } catch (e) {
      throw new AuditInputError('K8SAUDIT_BAD_JSON', `${source}:${line}: not a JSON document: ${(e as Error).message}`, { source, line });
    }
    take(v, isAuditEvent(v) ? l : undefined, false);
  }
  return out;
}

/** The lenient reader of files (non-audit documents are skipped, and told to `onUnrecognized`). */
export function parseAuditBody(text: string, source: string, start: number, nowNs: () => bigint, onUnrecognized?: (where: string) => void): AuditEvent[] {
  return readAuditEvents(text, { source, start, nowNs, onUnrecognized });
}
