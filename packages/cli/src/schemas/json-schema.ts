/**
 * Small builders for the JSON Schema (draft-07) documents `--config-schema` and `--rule-schema`
 * print. Scalars are described as the configuration and rules readers accept them: YAML booleans
 * and numbers, and also their text forms, because `${VAR}` expansion and quoted values deliver
 * strings that the readers convert.
 */

export type JsonSchema = { [key: string]: unknown };

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

const NUMERIC_TEXT = '^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?\\s*$';
const INTEGER_TEXT = '^\\s*[-+]?\\d+\\s*$';

function described(schema: JsonSchema, description: string, dflt?: unknown): JsonSchema {
  const out: JsonSchema = { ...schema, description };
  if (dflt !== undefined) out['default'] = dflt;
  return out;
}

export function boolean(description: string, dflt?: boolean): JsonSchema {
  return described({ anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }] }, description, dflt);
}

export function number(description: string, dflt?: number, minimum?: number, maximum?: number): JsonSchema {
  const n: JsonSchema = { type: 'number' };
  if (minimum !== undefined) n['minimum'] = minimum;
  if (maximum !== undefined) n['maximum'] = maximum;
  return described({ anyOf: [n, { type: 'string', pattern: NUMERIC_TEXT }] }, description, dflt);
}

export function integer(description: string, dflt?: number, minimum?: number, maximum?: number): JsonSchema {
  const n: JsonSchema = { type: 'integer' };
  if (minimum !== undefined) n['minimum'] = minimum;
  if (maximum !== undefined) n['maximum'] = maximum;
  return described({ anyOf: [n, { type: 'string', pattern: INTEGER_TEXT }] }, description, dflt);
}

/** A scalar read as text: numbers and booleans are accepted and used as their text. */
export function text(description: string, dflt?: string): JsonSchema {
  return described({ type: ['string', 'number', 'boolean'] }, description, dflt);
}

/** A string from a fixed set, compared as the reader compares it (case-insensitively when asked). */
export function oneOf(description: string, values: readonly string[], dflt?: string, caseInsensitive = false): JsonSchema {
  if (!caseInsensitive) return described({ type: 'string', enum: [...values] }, description, dflt);
  const pattern = `^(?:${values.map((v) => [...v].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')).join('|')})$`;
  return described({ type: 'string', pattern }, description, dflt);
}

/** A list of scalars; a single scalar is accepted as a one-item list where the reader allows it. */
export function stringList(description: string, singleAllowed = true): JsonSchema {
  const list: JsonSchema = { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } };
  return described(singleAllowed ? { anyOf: [list, { type: 'string' }] } : list, description);
}

export function object(description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return described({ type: 'object', properties, ...extra }, description);
}
