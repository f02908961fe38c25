/**
 * Falco loads `container`, `k8smeta`, `k8saudit` and `json` as shared-library plugins; here they are built
 * in. The `load_plugins`/`plugins:` configuration entries that name them select the built-ins, and
 * `--list-plugins`/`--plugin-info` describe them as Falco describes a loaded plugin.
 */
export interface BuiltinPlugin {
  name: string;
  description: string;
  contact: string;
  version: string;
  capabilities: string[];
  /** The event source the plugin provides, if it is a source plugin. */
  eventSource?: string;
  initConfigSchema?: object;
}

export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  {
    name: 'container',
    description: 'Container metadata (Docker, containerd, CRI-O, Podman) for syscall events, built into this detector',
    contact: 'built into @falco-ts/cli',
    version: '0.3.0',
    capabilities: ['Field Extraction', 'Event Parsing', 'Async Events'],
    initConfigSchema: {
      type: 'object',
      properties: { label_max_len: { type: 'integer' }, with_size: { type: 'boolean' }, engines: { type: 'object' } },
    },
  },
  {
    name: 'k8smeta',
    description:
      'Kubernetes metadata (k8smeta.* and the k8s.* controller, service and namespace fields) for syscall events, from the API server or a k8s-metacollector, built into this detector',
    contact: 'built into @falco-ts/cli',
    version: '0.3.0',
    capabilities: ['Field Extraction', 'Event Parsing', 'Async Events'],
    // The plugin's own schema, with collectorHostname/collectorPort/nodeName optional (without a
    // collector the API server is watched directly) and `kubeconfig` added for that case.
    initConfigSchema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: {
        verbosity: { enum: ['trace', 'debug', 'info', 'warning', 'error', 'critical'] },
        collectorHostname: { type: 'string' },
        collectorPort: { type: 'integer' },
        nodeName: { type: 'string' },
        caPEMBundle: { type: 'string' },
        hostProc: { type: 'string' },
        kubeconfig: { type: 'string' },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'k8saudit',
    description: 'Kubernetes audit events (the k8s_audit source and ka.* fields), built into this detector',
    contact: 'built into @falco-ts/cli',
    // 0.18.0: the field set includes the init and ephemeral container fields.
    version: '0.18.0',
    capabilities: ['Event Sourcing', 'Field Extraction'],
    eventSource: 'k8s_audit',
    initConfigSchema: {
      type: 'object',
      properties: {
        maxEventSize: { type: 'integer' },
        webhookMaxBatchSize: { type: 'integer' },
        sslCertificate: { type: 'string' },
        webhookBearerToken: { type: 'string' },
        webhookBearerTokenFile: { type: 'string' },
      },
    },
  },
  {
    name: 'json',
    description: 'JSON field extraction (json.value[...]) for plugin events, built into this detector',
    contact: 'built into @falco-ts/cli',
    version: '0.7.0',
    capabilities: ['Field Extraction'],
  },
];

export function findPlugin(name: string): BuiltinPlugin | undefined {
  return BUILTIN_PLUGINS.find((p) => p.name === name);
}

export function describePlugin(p: BuiltinPlugin, withSchema: boolean): string {
  const lines = [
    `Name: ${p.name}`,
    `Description: ${p.description}`,
    `Contact: ${p.contact}`,
    `Version: ${p.version}`,
    'Capabilities:',
    ...p.capabilities.map((c) => `  - ${c}`),
  ];
  if (withSchema) {
    if (p.initConfigSchema) lines.push('Init config schema type: JSON', JSON.stringify(p.initConfigSchema, null, 2));
    else lines.push('No init config schema');
  }
  return `${lines.join('\n')}\n`;
}
