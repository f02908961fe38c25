/**
 * Validation of rules content against Falco's rules JSON schema (`rules-schema.json`, the schema
 * Falco ships). Scalars are validated with weak typing, as Falco's validator does: a YAML scalar
 * is acceptable as a string, and as a number or boolean when its text reads as one. The status is
 * informational: a failure is reported in the load result, not as a load error.
 */
import type * as AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import rulesSchema from './rules-schema.json';
import { toPlain, type YamlNode } from './yaml-nodes';

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const { $schema: _ignored, ...schema } = rulesSchema as Record<string, unknown>;
    // Loaded on first use: validation is computed only when its status is read, and loading the
    // validator library is start-up time a detector run would otherwise always pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv } = require('ajv') as typeof AjvModule;
    const ajv = new Ajv({ coerceTypes: true, allErrors: false, strict: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** `ok`, or `failed for <path>: <reason>` for the first document that does not validate. */
export function validateRulesDocuments(documents: readonly (YamlNode | null)[]): string {
  const validate = getValidator();
  for (const doc of documents) {
    const data = toPlain(doc);
    if (!validate(data)) {
      const err = validate.errors?.[0];
      if (!err) return 'failed';
      return `failed for ${err.instancePath === '' ? '<root>' : err.instancePath}: ${err.message ?? 'invalid'}`;
    }
  }
  return 'ok';
}
