/**
 * `--rule-schema`: the JSON Schema of a rules file as the engine's loader reads it: a sequence of
 * items, each a `required_engine_version`, `required_plugin_versions`, `list`, `macro` or `rule`
 * with the keys the loader accepts for it, which keys `override` may append or replace, and
 * priorities as the loader parses them (case-insensitive, `info` for Informational). The checks
 * that need the whole file (an append to a rule that does not exist, a condition that does not
 * compile) are the loader's, not the schema's.
 */
import { PRIORITIES } from '@falco-ts/alert';
import { JSON_SCHEMA_DRAFT, boolean, integer, oneOf, text, type JsonSchema } from './json-schema';

const APPEND_REPLACE = ['append', 'replace'];

function overrides(appendable: readonly string[], replaceable: readonly string[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const k of new Set([...appendable, ...replaceable])) {
    const ops = APPEND_REPLACE.filter((op) => (op === 'append' ? appendable : replaceable).includes(k));
    properties[k] = { type: 'string', enum: ops };
  }
  return { type: 'object', description: 'Keys of an earlier definition to append to or replace.', properties, additionalProperties: false, minProperties: 1 };
}

const scalar: JsonSchema = { type: ['string', 'number', 'boolean'] };
const stringOrList: JsonSchema = { anyOf: [scalar, { type: 'array', items: { anyOf: [scalar, { type: 'array', items: scalar }] } }] };

const RULE_APPENDABLE = ['condition', 'output', 'desc', 'tags', 'exceptions'];
const RULE_REPLACEABLE = ['condition', 'output', 'desc', 'priority', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration'];

const definitions: Record<string, JsonSchema> = {
  RequiredEngineVersion: {
    type: 'object',
    required: ['required_engine_version'],
    properties: { required_engine_version: { description: 'Lowest engine version the file needs: semver, or the older single integer.', type: ['string', 'number'] } },
    additionalProperties: false,
  },
  RequiredPluginVersions: {
    type: 'object',
    required: ['required_plugin_versions'],
    properties: {
      required_plugin_versions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'version'],
          properties: {
            name: { type: 'string' },
            version: { type: 'string' },
            alternatives: { type: 'array', items: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'string' } }, additionalProperties: false } },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  List: {
    type: 'object',
    required: ['list'],
    properties: {
      list: { type: 'string', pattern: '^[^()"\'\\s=,]+$', description: 'List name.' },
      items: { type: ['array', 'null'], items: { anyOf: [scalar, { type: 'null' }] }, description: 'Values; a list name among them is expanded.' },
      append: boolean('Append the items to an earlier list of the same name.'),
      override: overrides(['items'], ['items']),
    },
    additionalProperties: false,
  },
  Macro: {
    type: 'object',
    required: ['macro'],
    properties: {
      macro: { type: 'string', pattern: '^[a-zA-Z]+[a-zA-Z0-9_]*$', description: 'Macro name.' },
      condition: text('Filter expression the macro stands for.'),
      append: boolean('Append the condition to an earlier macro of the same name.'),
      override: overrides(['condition'], ['condition']),
    },
    additionalProperties: false,
  },
  Exception: {
    type: 'object',
    required: ['name'],
    properties: {
      name: text('Exception name, unique within the rule.'),
      fields: { ...stringOrList, description: 'A field, or a list of fields compared together.' },
      comps: { ...stringOrList, description: 'The comparison operator(s), one per field (default =).' },
      values: { type: ['array', 'null'], description: 'Values (or tuples of values, one per field) that make the rule not match.', items: {} },
    },
    additionalProperties: false,
  },
  Rule: {
    type: 'object',
    required: ['rule'],
    properties: {
      rule: { type: 'string', minLength: 1, description: 'Rule name.' },
      desc: text('What the rule detects.'),
      condition: text('Filter expression.'),
      output: text('Alert text, with %field references.'),
      priority: oneOf('Alert priority.', [...PRIORITIES.map((p) => p.toLowerCase()), 'info'], undefined, true),
      source: text('Event source (default syscall).'),
      enabled: boolean('Whether the rule is loaded enabled (default true).'),
      tags: { type: ['array', 'null'], items: scalar, description: 'Tags (MITRE ATT&CK, maturity, ...).' },
      exceptions: { type: ['array', 'null'], items: { $ref: '#/definitions/Exception' } },
      append: boolean('Append condition, output, desc, tags or exceptions to an earlier rule of the same name.'),
      override: overrides(RULE_APPENDABLE, RULE_REPLACEABLE),
      warn_evttypes: boolean('Warn when the condition matches every event type (default true).'),
      'skip-if-unknown-filter': boolean('Skip the rule, not the file, when a field is unknown.'),
      capture: boolean('Start a capture file when the rule fires (capture.enabled).'),
      capture_duration: integer('Milliseconds captured after the alert.', undefined, 0),
    },
    additionalProperties: false,
  },
};

export function ruleSchema(): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DRAFT,
    $id: 'https://falco-ts.dev/schemas/rules.json',
    title: 'Falco rules file',
    description: 'A YAML sequence of rules, macros, lists and version requirements, as the engine loads them.',
    type: ['array', 'null'],
    items: {
      anyOf: ['RequiredEngineVersion', 'RequiredPluginVersions', 'List', 'Macro', 'Rule'].map((d) => ({ $ref: `#/definitions/${d}` })),
    },
    definitions,
  };
}
