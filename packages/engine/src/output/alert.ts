/**
 * The alert Falco emits for a matched rule: the text line `<time>: <Priority> <output>` and the
 * JSON object with `hostname`, `output`, `output_fields`, `priority`, `rule`, `source`, `tags`,
 * `time` (keys in that order, as Falco's JSON library sorts them).
 */
import type { PriorityName } from '../loader/priority';
import type { OutputFieldValue } from './compiled-format';

export interface Alert {
  /** Event time, nanoseconds since the epoch. */
  readonly time: bigint;
  readonly rule: string;
  readonly priority: PriorityName;
  readonly source: string;
  readonly hostname: string;
  /** The rule output with its `%field` tokens resolved (no time/priority prefix). */
  readonly message: string;
  readonly tags: readonly string[];
  /** Token → typed value, sorted by token. */
  readonly outputFields: ReadonlyMap<string, OutputFieldValue>;
}

export interface AlertTextOptions {
  /** `time_format_iso_8601`: ISO time in the text line instead of local `HH:MM:SS.ns`. */
  readonly iso8601?: boolean;
  /** Time zone offset in minutes east of UTC for the non-ISO time (default: the host's). */
  readonly utcOffsetMinutes?: number;
}

export interface AlertJsonOptions extends AlertTextOptions {
  /** `json_include_output_property` (default true). */
  readonly includeOutput?: boolean;
  /** `json_include_tags_property` (default true). */
  readonly includeTags?: boolean;
  /** `json_include_message_property` (default false). */
  readonly includeMessage?: boolean;
  /** `json_include_output_fields_property` (default true). */
  readonly includeOutputFields?: boolean;
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

/** `2024-01-02T03:04:05.123456789Z` */
export function isoTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const frac = pad(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n, 9);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}Z`
  );
}

/** `HH:MM:SS.nnnnnnnnn` in the given (or host) time zone. */
export function clockTime(ns: bigint, utcOffsetMinutes?: number): string {
  const ms = Number(ns / 1_000_000n);
  const offset = utcOffsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const d = new Date(ms + offset * 60_000);
  const frac = pad(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n, 9);
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}`;
}

/** The text line Falco prints for an alert. */
export function alertText(alert: Alert, options: AlertTextOptions = {}): string {
  const time = options.iso8601 ? isoTime(alert.time) : clockTime(alert.time, options.utcOffsetMinutes);
  return `${time}: ${alert.priority} ${alert.message}`;
}

function jsonValue(v: OutputFieldValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return '[' + (v as readonly OutputFieldValue[]).map(jsonValue).join(',') + ']';
  return JSON.stringify(v);
}

/** The JSON alert as one line, byte-compatible with Falco's. */
export function alertJson(alert: Alert, options: AlertJsonOptions = {}): string {
  const parts: string[] = [];
  parts.push(`"hostname":${JSON.stringify(alert.hostname)}`);
  if (options.includeMessage) parts.push(`"message":${JSON.stringify(alert.message)}`);
  if (options.includeOutput ?? true) parts.push(`"output":${JSON.stringify(alertText(alert, options))}`);
  if (options.includeOutputFields ?? true) {
    const keys = [...alert.outputFields.keys()].sort();
    parts.push(`"output_fields":{${keys.map((k) => `${JSON.stringify(k)}:${jsonValue(alert.outputFields.get(k)!)}`).join(',')}}`);
  }
  parts.push(`"priority":${JSON.stringify(alert.priority)}`);
  parts.push(`"rule":${JSON.stringify(alert.rule)}`);
  parts.push(`"source":${JSON.stringify(alert.source)}`);
  if (options.includeTags ?? true) parts.push(`"tags":${JSON.stringify([...alert.tags])}`);
  parts.push(`"time":${JSON.stringify(isoTime(alert.time))}`);
  return `{${parts.join(',')}}`;
}
