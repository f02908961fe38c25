/**
 * Falco's two alert renderings: the text line `"<time>: <Priority> <output>"` and the JSON object
 * with alphabetically ordered keys (Falco serialises through a sorted map, and consumers diff
 * alerts textually). Controlled by falco.yaml's `json_output`, `json_include_*_property` and
 * `time_format_iso_8601`.
 */
import { INTERNAL_SOURCE, type Alert, type FieldValue } from './alert';

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
  /** Minutes east of UTC for the local text time; the host's time zone when absent. */
  readonly utcOffsetMinutes?: number;
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

/** Milliseconds (whole seconds only) and the 9-digit nanosecond part; correct before 1970 too. */
function splitNs(ns: bigint): { ms: number; frac: string } {
  let sec = ns / 1_000_000_000n;
  let sub = ns % 1_000_000_000n;
  if (sub < 0n) {
    sub += 1_000_000_000n;
    sec -= 1n;
  }
  return { ms: Number(sec) * 1000, frac: pad(Number(sub), 9) };
}

function isoDateTime(d: Date): string {
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/** `2024-09-13T15:42:12.379598376Z`: the JSON alert's `time`, always UTC with nanoseconds. */
export function isoTime(ns: bigint): string {
  const { ms, frac } = splitNs(ns);
  return `${isoDateTime(new Date(ms))}.${frac}Z`;
}

/**
 * The time prefix of the text line. Falco prints `%evt.time` (local `HH:MM:SS.nnnnnnnnn`) or, with
 * `time_format_iso_8601`, `%evt.time.iso8601`, which libsinsp writes with strftime's `%z` of a
 * UTC time: `+0000`, not the `Z` of the JSON `time`.
 */
export function textTime(ns: bigint, iso8601: boolean, utcOffsetMinutes?: number): string {
  const { ms, frac } = splitNs(ns);
  if (iso8601) return `${isoDateTime(new Date(ms))}.${frac}+0000`;
  const offset = utcOffsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const d = new Date(ms + offset * 60_000);
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}`;
}

/**
 * `"<time>: <Priority> <output>"`, Falco's text alert, as line-oriented sinks (stdout, file,
 * program, syslog, HTTP text) write it: control characters escaped (see escapeControls), so that
 * a field value can neither start a second, forged alert line nor send terminal sequences.
 */
export function formatText(alert: Alert, iso8601: boolean, utcOffsetMinutes?: number): string {
  return escapeControls(unescapedText(alert, iso8601, utcOffsetMinutes));
}

/** The text alert as it is, for carriers with their own escaping (the JSON `output`, gRPC). */
export function unescapedText(alert: Alert, iso8601: boolean, utcOffsetMinutes?: number): string {
  return `${textTime(alert.timeNs, iso8601, utcOffsetMinutes)}: ${alert.priority} ${alert.output}`;
}

// C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with each control character written as an escape: `\n`, `\r`, `\t`, and `\xHH` (or
 * `\uHHHH` above U+00FF) for the others, ESC included. Printable text, backslashes and valid
 * non-ASCII characters are left as they are; a text without controls is returned unchanged.
 */
export function escapeControls(text: string): string {
  CONTROLS.lastIndex = 0;
  if (!CONTROLS.test(text)) return text;
  return text.replace(CONTROLS, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
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

/**
 * The JSON `output_fields`. For rule alerts Falco adds the fields of the time prefix it rendered
 * the text line with: `evt.time` (or `evt.time.iso8601`), whose JSON value is the event time in
 * nanoseconds. So these are never empty, which Falcosidekick requires. Internal alerts carry only
 * their own fields, as Falco's do.
 */
export function outputFieldsJson(alert: Alert, iso8601 = false): string {
  const fields: Record<string, FieldValue> = { ...alert.outputFields };
  if (alert.source !== INTERNAL_SOURCE) fields[iso8601 ? 'evt.time.iso8601' : 'evt.time'] = alert.timeNs;
  const keys = Object.keys(fields).sort();
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) s += ',';
    s += `${JSON.stringify(keys[i])}:${jsonValue(fields[keys[i]!]!)}`;
  }
  return `${s}}`;
}

/** Falco's JSON alert, keys in alphabetical order; options default to falco.yaml's defaults. */
export function formatJson(alert: Alert, options: Partial<FormatOptions> = {}): string {
  const opts = { ...DEFAULT_FORMAT, ...options };
  let s = `{"hostname":${JSON.stringify(alert.hostname)}`;
  if (opts.includeMessage) s += `,"message":${JSON.stringify(alert.output)}`;
  if (opts.includeOutput) s += `,"output":${JSON.stringify(unescapedText(alert, opts.timeIso8601, opts.utcOffsetMinutes))}`;
  if (opts.includeOutputFields) s += `,"output_fields":${outputFieldsJson(alert, opts.timeIso8601)}`;
  s += `,"priority":${JSON.stringify(alert.priority)},"rule":${JSON.stringify(alert.rule)}`;
  s += `,"source":${JSON.stringify(alert.source)}`;
  if (opts.includeTags) s += `,"tags":[${alert.tags.map((t) => JSON.stringify(t)).join(',')}]`;
  s += `,"time":${JSON.stringify(isoTime(alert.timeNs))}}`;
  return s;
}

/** The line a text-oriented sink (stdout, file, syslog, program) writes for one alert. */
export function formatAlert(alert: Alert, opts: FormatOptions): string {
  return opts.json ? formatJson(alert, opts) : formatText(alert, opts.timeIso8601, opts.utcOffsetMinutes);
}
