/**
 * A parsed output format bound to a source's fields: renders the text of an alert and the typed
 * `output_fields` of its JSON form. Only called for events that matched a rule, so it favours
 * clarity over avoiding allocations.
 */
import type { FieldValue as OutputFieldValue } from '@falco-ts/alert';
import type { FieldDefinition, FieldValue } from '@falco-ts/filter-lang';
import type { EventSource } from '../source';
import { parseFormat, type FieldSegment, type ParsedFormat } from './format';

const NUMERIC = new Set([
  'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'double', 'abstime', 'reltime',
  'port', 'l4proto', 'errno', 'fd', 'pid', 'uid', 'gid', 'mode', 'flags', 'sigtype', 'syscallid',
]);

interface BoundField {
  segment: FieldSegment;
  def: FieldDefinition<unknown>;
}

export interface CompiledFormat<E> {
  readonly format: string;
  readonly parsed: ParsedFormat;
  /** Tokens in order of appearance, without duplicates. */
  readonly fieldNames: readonly string[];
  render(event: E): string;
  /**
   * The `output_fields` values, keyed by token, in sorted token order (the order alerts list
   * them): numbers as numbers (64-bit ones as bigint), `null` when missing.
   */
  fields(event: E): Record<string, OutputFieldValue>;
}

export function compileFormat<E>(format: string, source: EventSource<E>): CompiledFormat<E> {
  const registry = source.fields;
  // A name is a field even when it needs an argument (`%k8s.pod.label[app]`): the argument is
  // checked below, with the name.
  const known = (name: string): boolean => registry.get(name) !== undefined || (registry.resolve !== undefined && registry.resolve(name, undefined) !== undefined);
  const parsed = parseFormat(format, known);
  const bound = new Map<FieldSegment, BoundField>();
  for (const seg of parsed.segments) {
    if (seg.kind !== 'field') continue;
    // Argument-aware registries check the argument too (`proc.aname[x]` is refused).
    const resolved = registry.resolve ? registry.resolve(seg.field, seg.arg) : registry.get(seg.field);
    if (!resolved || 'error' in resolved) throw new Error(`invalid formatting token ${seg.token}`);
    bound.set(seg, { segment: seg, def: resolved as FieldDefinition<unknown> });
  }
  const fieldNames = [...new Set([...bound.keys()].map((s) => s.token))];
  // One bound field per token (the first occurrence), sorted by token once here rather than per
  // alert.
  const firstByToken = new Map<string, BoundField>();
  for (const b of bound.values()) if (!firstByToken.has(b.segment.token)) firstByToken.set(b.segment.token, b);
  const sortedBound = [...firstByToken.keys()].sort().map((token) => firstByToken.get(token)!);

  const extract = (b: BoundField, event: E): FieldValue => {
    try {
      return b.def.extract(event, b.segment.arg);
    } catch {
      return undefined;
    }
  };

  return {
    format,
    parsed,
    fieldNames,
    render(event: E): string {
      let out = '';
      for (const seg of parsed.segments) {
        if (seg.kind === 'text') {
          out += seg.text;
          continue;
        }
        const b = bound.get(seg)!;
        const raw = extract(b, event);
        let text: string;
        if (raw === undefined) {
          text = '<NA>';
        } else if (seg.transformers.length === 0) {
          text = source.renderField?.(seg.field, raw, event) ?? renderValue(raw);
        } else {
          text = renderValue(applyTransformers(seg.transformers, raw));
        }
        out += seg.width > 0 ? fitWidth(text, seg.width) : text;
      }
      return out;
    },
    fields(event: E): Record<string, OutputFieldValue> {
      const out: Record<string, OutputFieldValue> = {};
      for (const b of sortedBound) {
        const raw = extract(b, event);
        if (raw === undefined) {
          out[b.segment.token] = null;
          continue;
        }
        if (b.segment.transformers.length > 0) {
          const v = applyTransformers(b.segment.transformers, raw);
          out[b.segment.token] = typeof v === 'number' ? v : renderValue(v);
          continue;
        }
        const custom = source.jsonField?.(b.segment.field, raw, event);
        out[b.segment.token] = custom !== undefined ? custom : jsonValue(b.def, raw);
      }
      return out;
    },
  };
}

function fitWidth(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

const decoder = new TextDecoder();

/** Generic text of a field value: decimal numbers, `true`/`false`, lists as `(a,b)`. */
export function renderValue(v: Exclude<FieldValue, undefined> | number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return decoder.decode(v);
  return '(' + (v as readonly Exclude<FieldValue, undefined>[]).map((x) => renderValue(x)).join(',') + ')';
}

function jsonValue(def: FieldDefinition<unknown>, v: Exclude<FieldValue, undefined>): OutputFieldValue {
  // List fields hold scalars, so the elements' values are scalars too.
  if (Array.isArray(v)) return (v as readonly Exclude<FieldValue, undefined>[]).map((x) => jsonValue(def, x)) as OutputFieldValue;
  if (NUMERIC.has(def.type)) {
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    if (typeof v === 'number') return v;
  }
  if (def.type === 'bool' && typeof v === 'boolean') return v;
  return renderValue(v as Exclude<FieldValue, undefined>);
}

function applyTransformers(transformers: readonly string[], v: Exclude<FieldValue, undefined>): Exclude<FieldValue, undefined> | number {
  let value: Exclude<FieldValue, undefined> | number = v;
  for (let i = transformers.length - 1; i >= 0; i--) {
    const t = transformers[i]!;
    const s = renderValue(value);
    switch (t) {
      case 'tolower':
        value = s.toLowerCase();
        break;
      case 'toupper':
        value = s.toUpperCase();
        break;
      case 'b64':
        value = Buffer.from(s, 'base64').toString('utf8');
        break;
      case 'basename': {
        const idx = s.lastIndexOf('/');
        value = idx >= 0 ? s.slice(idx + 1) : s;
        break;
      }
      case 'len':
        value = Array.isArray(value) ? value.length : Buffer.byteLength(s);
        break;
      default:
        break;
    }
  }
  return value;
}
