/**
 * Falco's two alert renderings: the text line `"<time>: <Priority> <output>"` and the JSON object
 * with alphabetically ordered keys (Falco serialises through a sorted map, and consumers diff
 * alerts textually). Controlled by falco.yaml's `json_output`, `json_include_*_property` and
 * `time_format_iso_8601`.
 */
import type { Alert, FieldValue } from './alert';

export interface FormatOptions {
  /** `json_output` */
  readonly json: boolean;
  /** `json_include_output_property` */
  readonly includeOutput: boolean;
  /** `json_include_tags_property` */
  readonly includeTags: boolean;
  /** `json_include_output_fields_property` */
  readonly includeOutputFields: boolean;
  /** `json_include_message_property`: the output without the time and priority prefix. */
  readonly includeMessage: boolean;
  /** `time_format_iso_8601`: ISO time in the text line instead of local `HH:MM:SS.ns`. */
  readonly timeIso8601: boolean;
}

export const DEFAULT_FORMAT: FormatOptions = {
  json: false,
  includeOutput: true,
  includeTags: true,
  includeOutputFields: true,
  includeMessage: false,
  timeIso8601: false,
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function splitNs(ns: bigint): { ms: number; frac: string } {
  const sec = ns / 1_000_000_000n;
  const sub = ns % 1_000_000_000n;
  return { ms: Number(sec) * 1000, frac: pad(Number(sub), 9) };
}

/** `2024-09-13T15:42:12.379598376Z`: the JSON alert's `time`, always UTC with nanoseconds. */
export function isoTime(ns: bigint): string {
  const { ms, frac } = splitNs(ns);
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}Z`
  );
}

/** The time prefix of the text line: local `HH:MM:SS.nnnnnnnnn`, or ISO 8601 with `+0000`. */
export function textTime(ns: bigint, iso8601: boolean): string {
  if (iso8601) return `${isoTime(ns).slice(0, -1)}+0000`;
  const { ms, frac } = splitNs(ns);
  const d = new Date(ms);
  return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${frac}`;
}

/** `"<time>: <Priority> <output>"`, Falco's text alert. */
export function formatText(alert: Alert, iso8601: boolean): string {
  return `${textTime(alert.timeNs, iso8601)}: ${alert.priority} ${alert.output}`;
}

function jsonValue(v: FieldValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      // Written as a bare number so 64-bit values (inode numbers, timestamps) keep every digit.
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return `[${(v as readonly (string | number | bigint | boolean)[]).map((x) => jsonValue(x)).join(',')}]`;
  }
}

function sortedKeys(obj: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(obj).sort();
}

/**
 * Output fields as rendered in JSON. Falcosidekick rejects an alert whose `output_fields` is empty,
 * so an alert from a rule without fields carries `evt.time` (the event time), which Falco's own
 * alerts also expose.
 */
export function outputFieldsJson(alert: Alert): string {
  const keys = sortedKeys(alert.outputFields);
  if (keys.length === 0) return `{"evt.time":${alert.timeNs.toString()}}`;
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) s += ',';
    s += `${JSON.stringify(keys[i])}:${jsonValue(alert.outputFields[keys[i]])}`;
  }
  return `${s}}`;
}

/** Falco's JSON alert, keys in alphabetical order. */
export function formatJson(alert: Alert, opts: FormatOptions): string {
  const text = formatText(alert, opts.timeIso8601);
  let s = `{"hostname":${JSON.stringify(alert.hostname)}`;
  if (opts.includeMessage) s += `,"message":${JSON.stringify(alert.output)}`;
  if (opts.includeOutput) s += `,"output":${JSON.stringify(text)}`;
  if (opts.includeOutputFields) s += `,"output_fields":${outputFieldsJson(alert)}`;
  s += `,"priority":${JSON.stringify(alert.priority)},"rule":${JSON.stringify(alert.rule)}`;
  s += `,"source":${JSON.stringify(alert.source)}`;
  if (opts.includeTags) s += `,"tags":[${alert.tags.map((t) => JSON.stringify(t)).join(',')}]`;
  s += `,"time":${JSON.stringify(isoTime(alert.timeNs))}}`;
  return s;
}

/** The line a text-oriented sink (stdout, file, syslog, program) writes for one alert. */
export function formatAlert(alert: Alert, opts: FormatOptions): string {
  return opts.json ? formatJson(alert, opts) : formatText(alert, opts.timeIso8601);
}
