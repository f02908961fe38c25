/**
 * The event a response acts on: Falco's JSON alert (`output`, `priority`, `rule`, `time`,
 * `hostname`, `source`, `tags`, `output_fields`), as Talon receives it. The detector hands its own
 * alerts over in this shape (no network hop); the receiver decodes it from a request body.
 */
import { EventDecodeError } from './errors';

/** Output field values as Falco's JSON alert carries them. */
export type EventValue = string | number | bigint | boolean | null | readonly EventValue[] | { readonly [k: string]: EventValue };

export interface ResponseEvent {
  readonly output: string;
  readonly priority: string;
  readonly rule: string;
  /** ISO-8601 time as Falco writes it (nanosecond precision). */
  readonly time: string;
  readonly hostname: string;
  /** `syscall` when the alert did not say. */
  readonly source: string;
  readonly tags: readonly EventValue[];
  readonly outputFields: Readonly<Record<string, EventValue>>;
  /** Kernel timestamp of the offending event (ns since epoch), when known: used for latency. */
  readonly timeNs?: bigint;
}

const KEYS = ['output', 'priority', 'rule', 'time', 'hostname', 'source', 'tags', 'output_fields'] as const;

/** Falco's text prefix `HH:MM:SS.nnnnnnnnn: Priority ` that some senders leave in `output`. */
const TIME_PRIORITY_PREFIX = /^\d{2}:\d{2}:\d{2}\.\d{9}: (Debug|Info|Informational|Notice|Warning|Error|Critical|Alert|Emergency)/i;

/**
 * Decodes a request body. Keys match case-insensitively (as Go's JSON decoding does), unknown keys
 * are ignored, and a wrongly typed known key is an error naming it.
 */
export function decodeEvent(body: string): ResponseEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    throw new EventDecodeError(`body is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new EventDecodeError('body is not a JSON object');
  const byKey = new Map<string, unknown>();
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const known = KEYS.find((key) => key === k.toLowerCase());
    if (known && !byKey.has(known)) byKey.set(known, v);
  }
  const str = (key: (typeof KEYS)[number]): string => {
    const v = byKey.get(key);
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new EventDecodeError(`'${key}' must be a string`);
    return v;
  };
  const time = str('time');
  if (time !== '' && Number.isNaN(Date.parse(time))) throw new EventDecodeError(`'time' is not an RFC 3339 time: ${time}`);
  const tags = byKey.get('tags') ?? [];
  if (!Array.isArray(tags)) throw new EventDecodeError("'tags' must be a list");
  const fields = byKey.get('output_fields') ?? {};
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new EventDecodeError("'output_fields' must be an object");
  return {
    output: str('output').replace(TIME_PRIORITY_PREFIX, '').replace(/^ /, ''),
    priority: str('priority'),
    rule: str('rule'),
    time,
    hostname: str('hostname'),
    source: str('source') || 'syscall',
    tags: tags as EventValue[],
    outputFields: fields as Record<string, EventValue>,
  };
}

/** Falco's JSON alert as an object (what the detector's alert serialises to), as an event. */
export function eventFromAlertJson(alert: {
  readonly output?: string;
  readonly priority?: string;
  readonly rule?: string;
  readonly time?: string;
  readonly hostname?: string;
  readonly source?: string;
  readonly tags?: readonly EventValue[];
  readonly output_fields?: Readonly<Record<string, EventValue>>;
  readonly timeNs?: bigint;
}): ResponseEvent {
  return {
    output: alert.output ?? '',
    priority: alert.priority ?? '',
    rule: alert.rule ?? '',
    time: alert.time ?? '',
    hostname: alert.hostname ?? '',
    source: alert.source || 'syscall',
    tags: alert.tags ?? [],
    outputFields: alert.output_fields ?? {},
    ...(alert.timeNs !== undefined ? { timeNs: alert.timeNs } : {}),
  };
}

/**
 * A value's text as Go's `%v` prints it, which is what Talon compares `output_fields` criteria
 * against and substitutes into parameters: `<nil>` for null, `[a b]` for lists, `map[k:v]` for
 * objects (keys sorted).
 */
export function valueText(v: EventValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map((x) => valueText(x as EventValue)).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, EventValue>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${valueText(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** An output field as a string when it has one (strings and numbers), else undefined. */
export function fieldString(event: ResponseEvent, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = event.outputFields[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  }
  return undefined;
}

/**
 * The variables a parameter may use, named as Talon exports them: each output field upper-cased
 * with `.` and `[` turned into `_` and `]` dropped (`proc.aname[2]` → `PROC_ANAME_2`), plus
 * `PRIORITY`, `HOSTNAME`, `RULE`, `SOURCE` and `TAGS` (comma-joined).
 */
export function eventVariables(event: ResponseEvent): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [k, v] of Object.entries(event.outputFields)) {
    vars.set(k.toUpperCase().replaceAll('.', '_').replaceAll('[', '_').replaceAll(']', ''), valueText(v));
  }
  vars.set('PRIORITY', event.priority);
  vars.set('HOSTNAME', event.hostname);
  vars.set('RULE', event.rule);
  vars.set('SOURCE', event.source);
  vars.set('TAGS', event.tags.map((t) => valueText(t)).join(','));
  return vars;
}

/**
 * `${NAME}` and `$NAME` replaced from `vars`, as Go's os.ExpandEnv does (an unknown name becomes
 * empty). Only the event's variables are visible: the process environment is never substituted
 * into a command that runs in a container.
 */
export function expandTemplate(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$(?:\{([^}]*)\}|([A-Za-z0-9_]+))/g, (_m, braced: string | undefined, bare: string | undefined) => {
    return vars.get(braced ?? bare ?? '') ?? '';
  });
}
