/**
 * `--config-schema`: the JSON Schema of falco.yaml as this command reads it. The top-level keys
 * and their checks mirror `config/falco-config.ts` and `config/load.ts`; the output sections are
 * generated from the outputs package's own sink schemas, so a key a sink adds appears here without
 * an edit. Unknown keys are allowed, as the command ignores them (Falco's configuration has many
 * keys this detector has no use for).
 */
import { PRIORITIES } from '@falco-ts/alert';
import { DELIVERY_SCHEMA, FORMAT_SCHEMA, QUEUE_SCHEMA, SINKS, SPOOL_SCHEMA, type ConfigSchema, type FieldSpec } from '@falco-ts/outputs';
import { DEFAULT_LOAD_LIMITS } from '@falco-ts/engine/loader/limits';
import { DEFAULT_RELOAD_TIMEOUT_MS } from '../config/falco-config';
import { boolean, integer, JSON_SCHEMA_DRAFT, number, object, oneOf, stringList, text, type JsonSchema } from './json-schema';

function fieldSchema(spec: FieldSpec): JsonSchema {
  switch (spec.type) {
    case 'boolean':
      return boolean(spec.doc, spec.default as boolean);
    case 'integer':
      return integer(spec.doc, spec.default as number, spec.min);
    case 'number':
      return number(spec.doc, spec.default as number, spec.min);
    case 'string[]':
      return stringList(spec.doc);
    case 'string':
      return spec.oneOf ? oneOf(spec.doc, spec.oneOf, spec.default as string) : text(spec.doc, spec.default as string);
  }
}

function propertiesOf(...schemas: ConfigSchema[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const s of schemas) for (const [k, spec] of Object.entries(s)) out[k] = fieldSchema(spec);
  return out;
}

/** One property per sink section (and per extra section a sink merges in, such as `grpc`). */
function outputSections(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const def of SINKS) {
    const props = propertiesOf(def.configSchema, DELIVERY_SCHEMA, ...(def.spoolable ? [SPOOL_SCHEMA] : []));
    out[def.section] = object(def.summary, props);
    for (const extra of def.extraSections ?? []) {
      out[extra] = object(`Merged into ${def.section}: ${def.summary}`, props);
    }
  }
  return out;
}

const ENGINE_KINDS = ['kmod', 'modern_ebpf', 'replay', 'nodriver'];
const LOG_LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'informational', 'debug'];
const DROP_ACTIONS = ['ignore', 'log', 'alert', 'exit'];
const INTERVAL = '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$';

const selection = {
  type: 'object',
  properties: { rule: text('A rule name; `*` is a wildcard.'), tag: text('A tag: every rule carrying it.') },
  additionalProperties: false,
};

export function configSchema(): JsonSchema {
  const props: Record<string, JsonSchema> = {
    config_files: {
      description: 'Further configuration files or directories (their *.yaml/*.yml members, sorted), merged in order.',
      type: 'array',
      items: {
        anyOf: [
          { type: 'string' },
          {
            type: 'object',
            required: ['path'],
            properties: { path: { type: 'string' }, strategy: oneOf('How the file merges into what came before.', ['append', 'override', 'add-only'], 'append') },
            additionalProperties: false,
          },
        ],
      },
    },
    rules_files: stringList('Rules files and directories, loaded in order (`-r` replaces them).'),
    rules_file: stringList('Older name of rules_files, read when rules_files is absent.'),
    rules: {
      description: 'Enable or disable loaded rules by name or tag, applied in order.',
      type: ['array', 'null'],
      items: { type: 'object', properties: { enable: selection, disable: selection }, additionalProperties: false },
    },
    engine: object('Where syscall events come from.', {
      kind: oneOf('The event source for syscalls.', ENGINE_KINDS, 'modern_ebpf'),
      replay: object('engine.kind=replay', { capture_file: text('The scap capture to replay (gzip or plain).', '') }),
      modern_ebpf: object('engine.kind=modern_ebpf', {
        buf_size_preset: integer('Ring buffer size preset: n gives 2^(n-1) MiB.', 4, 1, 10),
        cpus_for_each_buffer: integer('Accepted for compatibility.'),
        drop_failed_exit: boolean('Accepted for compatibility.'),
      }),
    }),
    priority: oneOf('Minimum priority of the rules loaded.', [...PRIORITIES.map((p) => p.toLowerCase()), 'info'], 'debug', true),
    rule_matching: oneOf('`first`: one alert per event, from the first matching rule; `all`: one per matching rule.', ['first', 'all'], 'first'),
    log_level: oneOf('Lowest level of log message written.', LOG_LEVELS, 'info', true),
    log_stderr: boolean('Write log messages to standard error.', true),
    log_syslog: boolean('Write log messages to syslog.', true),
    ...propertiesOf(FORMAT_SCHEMA),
    outputs_queue: object('Bounds of the sinks’ delivery queues.', propertiesOf(QUEUE_SCHEMA)),
    ...outputSections(),
    syscall_event_drops: object('What to do when the kernel drops events.', {
      threshold: number('Share of dropped events that counts as a drop, from 0 to 1.', 0.1, 0, 1),
      actions: {
        description: 'ignore, or any of log, alert, exit.',
        type: 'array',
        items: oneOf('A drop action.', DROP_ACTIONS, undefined, true),
        // "ignore" means no action, so it cannot be combined with one.
        anyOf: [{ maxItems: 1 }, { not: { contains: oneOf('ignore', ['ignore'], undefined, true) } }],
      },
      rate: number('Actions per second allowed (token bucket).', 0.03333),
      max_burst: number('Actions allowed in one burst.', 1),
      simulate_drops: boolean('Report drops that did not happen (testing).', false),
    }),
    base_syscalls: object('The syscalls enabled in the kernel besides those the rules name.', {
      custom_set: stringList('Syscalls to enable instead of the state set (`!name` removes).', false),
      repair: boolean('Add the state syscalls the custom set needs.', false),
      all: boolean('Enable every supported syscall.', false),
    }),
    webserver: object('The health, versions and metrics web server.', {
      enabled: boolean('Serve the endpoints.', false),
      listen_port: integer('TCP port.', 8765, 0, 65535),
      listen_address: text('Address to bind.', '0.0.0.0'),
      k8s_healthz_endpoint: text('Path of the health endpoint.', '/healthz'),
      prometheus_metrics_enabled: boolean('Serve /metrics.', false),
    }),
    metrics: object('Metrics snapshots.', {
      enabled: boolean('Collect metrics.', false),
      interval: { type: 'string', pattern: INTERVAL, description: 'Snapshot interval, e.g. 1h, 15m, 1m30s.', default: '1h' },
      output_rule: boolean('Emit each snapshot as a Falco internal alert.', true),
      output_file: text('Append each snapshot to this file.', ''),
    }),
    load_plugins: stringList('Plugins to load, by name.', false),
    plugins: {
      description: 'Plugin definitions: name, library_path, init_config, open_params.',
      type: ['array', 'null'],
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, library_path: text('Shared library (built-in plugins ignore it).'), init_config: { description: 'Plugin-specific settings, a map or a string.' }, open_params: text('Plugin open parameters.') },
      },
    },
    watch_config_files: boolean('Reload when a configuration or rules file changes.', true),
    rule_loading: object('Bounds on the cost of loading one rules file and of preparing a reload (docs/reliability.md).', {
      max_document_bytes: integer('Largest rules file, in characters.', DEFAULT_LOAD_LIMITS.maxDocumentBytes, 1),
      max_yaml_depth: integer('Deepest nesting of YAML collections in a rules file.', DEFAULT_LOAD_LIMITS.maxYamlDepth, 1),
      max_condition_depth: integer('Deepest nesting of a condition, as written and once its macros are expanded.', DEFAULT_LOAD_LIMITS.maxConditionDepth, 1),
      max_expansion_nodes: integer('Most nodes one expansion may produce: YAML aliases per document, a list with the lists it names, a condition with its lists and macros.', DEFAULT_LOAD_LIMITS.maxExpansionNodes, 1),
      reload_timeout_ms: integer('How long a reload may take to prepare before it is abandoned, the previous rules still running.', DEFAULT_RELOAD_TIMEOUT_MS, 1),
    }),
    output_timeout: integer('Milliseconds an output may block before it is reported.', 2000, 0),
    append_output: {
      description: 'Text and fields appended to the output of the rules that match.',
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          match: object('Which rules: all of source, tags and rule that are set.', { source: text('Event source.'), tags: stringList('Tags the rule must have.'), rule: text('Rule name.') }, { additionalProperties: false }),
          extra_output: text('Text appended to the output line.'),
          extra_fields: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] }, description: 'Fields added to output_fields: names, or {name: format}.' },
          suggested_output: boolean('Add the plugins’ suggested fields.'),
        },
        additionalProperties: false,
      },
    },
    capture: object('Capture on demand: save the syscalls around an alert to a scap file.', {
      enabled: boolean('Write captures.', false),
      path_prefix: text('File name prefix.', '/tmp/falco'),
      mode: oneOf('`rules`: rules with capture: true; `all_rules`: every rule.', ['rules', 'all_rules'], 'rules'),
      default_duration: integer('Milliseconds captured after the alert when the rule sets none.', 5000, 1),
    }),
  };
  return {
    $schema: JSON_SCHEMA_DRAFT,
    $id: 'https://falco-ts.dev/schemas/falco.yaml.json',
    title: 'falco.yaml',
    description: 'The configuration read by the falco command. Keys not listed are accepted and ignored.',
    type: 'object',
    properties: props,
  };
}
