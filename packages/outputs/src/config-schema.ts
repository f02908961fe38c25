/**
 * A small declarative schema for each sink's section of falco.yaml. It validates types (with a
 * typed error naming the key), fills defaults, and is the single source the docs meta-test checks
 * against, so every key a sink reads is documented.
 */
import { configError } from './errors';

export type FieldType = 'boolean' | 'string' | 'integer' | 'number' | 'string[]';

export interface FieldSpec {
  readonly type: FieldType;
  readonly default: unknown;
  readonly doc: string;
  /** Allowed values for a string field. */
  readonly oneOf?: readonly string[];
  /** Minimum for numeric fields. */
  readonly min?: number;
}

export type ConfigSchema = Readonly<Record<string, FieldSpec>>;

type ValueOf<F extends FieldSpec> = F['type'] extends 'boolean'
  ? boolean
  : F['type'] extends 'integer' | 'number'
    ? number
    : F['type'] extends 'string[]'
      ? readonly string[]
      : string;

export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** YAML and `-o key=value` overrides can deliver scalars as strings; accept their obvious forms. */
function coerce(spec: FieldSpec, raw: unknown, key: string): unknown {
  switch (spec.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw configError(key, `expected true or false, got ${JSON.stringify(raw)}`, raw);
    case 'integer':
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) {
        throw configError(key, `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`, raw);
      }
      if (spec.min !== undefined && n < spec.min) throw configError(key, `must be at least ${spec.min}, got ${n}`, raw);
      return n;
    }
    case 'string[]':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw;
      if (typeof raw === 'string') return raw === '' ? [] : raw.split(',').map((s) => s.trim());
      throw configError(key, `expected a list of strings, got ${JSON.stringify(raw)}`, raw);
    case 'string': {
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        throw configError(key, `expected a string, got ${JSON.stringify(raw)}`, raw);
      }
      const s = String(raw);
      if (spec.oneOf !== undefined && !spec.oneOf.includes(s)) {
        throw configError(key, `expected one of ${spec.oneOf.join(', ')}, got ${JSON.stringify(s)}`, raw);
      }
      return s;
    }
  }
}

/**
 * Validates `raw` (one falco.yaml section) against `schema`. Keys the schema does not know are
 * ignored, as Falco ignores them, so configs written for newer versions still load.
 */
export function parseSection<S extends ConfigSchema>(schema: S, raw: unknown, section: string): ConfigOf<S> {
  if (raw !== undefined && raw !== null && !isRecord(raw)) {
    throw configError(section, `expected a mapping, got ${JSON.stringify(raw)}`, raw);
  }
  const src = (raw ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const v = src[name];
    out[name] = v === undefined || v === null ? spec.default : coerce(spec, v, `${section}.${name}`);
  }
  return out as ConfigOf<S>;
}
