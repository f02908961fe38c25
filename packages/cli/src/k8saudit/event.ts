/**
 * One Kubernetes audit event (an `audit.k8s.io` Event object) as the `k8s_audit` source hands it to
 * rules: the parsed JSON, its raw text (for `json.obj`), a sequence number and a timestamp.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface AuditEvent {
  readonly json: { [key: string]: Json };
  readonly raw: string;
  readonly num: number;
  /** Nanoseconds since the epoch: `stageTimestamp` (or `requestReceivedTimestamp`), else receipt time. */
  readonly ts: bigint;
}

function parseTimestamp(v: Json | undefined): bigint | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

export function auditEvent(json: { [key: string]: Json }, raw: string, num: number, nowNs: () => bigint): AuditEvent {
  const ts = parseTimestamp(json['stageTimestamp']) ?? parseTimestamp(json['requestReceivedTimestamp']) ?? nowNs();
  return { json, raw, num, ts };
}

export class AuditInputError extends Error {
  override name = 'AuditInputError';
  readonly code = 'K8SAUDIT_BAD_INPUT';
  constructor(
    message: string,
    readonly context: { source: string; line?: number },
  ) {
    super(message);
  }
}

/**
 * Splits a body (a webhook POST or a file) into audit events: an `EventList` (its `items`), one
 * Event, a JSON array of Events, or one JSON document per line. Objects that are not audit events
 * (no `kind: Event`) are skipped, as the k8saudit plugin does.
 */
export function parseAuditBody(text: string, source: string, start: number, nowNs: () => bigint): AuditEvent[] {
  const out: AuditEvent[] = [];
  const take = (v: Json, raw: string): void => {
    if (Array.isArray(v)) {
      for (const item of v) take(item, JSON.stringify(item));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (v['kind'] === 'EventList' && Array.isArray(v['items'])) {
      for (const item of v['items']) take(item, JSON.stringify(item));
      return;
    }
    if (v['kind'] !== 'Event') return;
    out.push(auditEvent(v, raw, start + out.length + 1, nowNs));
  };
  const trimmed = text.trim();
  if (trimmed === '') return out;
  try {
    take(JSON.parse(trimmed) as Json, trimmed);
    return out;
  } catch {
    // not one document: read it as JSON lines
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: Json;
    try {
      v = JSON.parse(line) as Json;
    } catch (e) {
      throw new AuditInputError(`${source}:${i + 1}: not a JSON document: ${(e as Error).message}`, { source, line: i + 1 });
    }
    take(v, line);
  }
  return out;
}
