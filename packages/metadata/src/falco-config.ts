// Falco configures container metadata through the `container` plugin's init_config:
//   engines: { docker: {enabled, sockets: [...]}, podman: ..., containerd: ..., cri: ..., lxc, ... }
//   label_max_len: 100
// This turns that object into MetadataService options, so users' falco.yaml files work as-is.
// Engines Falco knows but this package has no provider for (lxc, libvirt_lxc, bpm) identify
// containers from cgroup paths alone; they need no metadata service and are accepted silently.
import { configError } from './errors';
import type { MetadataServiceOptions } from './service';

const ENGINE_PROVIDERS: Readonly<Record<string, string>> = { docker: 'docker', podman: 'podman', containerd: 'containerd', cri: 'cri' };
const ID_ONLY_ENGINES = new Set(['lxc', 'libvirt_lxc', 'bpm', 'static']);
const KEY = 'plugins[container].init_config';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Options for `new MetadataService` from the container plugin's init_config (an object, or the
 * JSON string form Falco also accepts). Without `engines`, every runtime is enabled with its
 * default sockets, as Falco does. `hostRoot` (Falco's `HOST_ROOT`) is where every socket, configured
 * or default, is looked for.
 */
export function optionsFromContainerPluginConfig(initConfig: unknown, hostRoot = ''): MetadataServiceOptions {
  const config = parseInitConfig(initConfig, KEY);
  const providers: Record<string, object> = {};
  const engines = config['engines'] ?? {};
  if (!isObject(engines)) throw configError(`${KEY}.engines`, 'engines must be a map of engine name to {enabled, sockets}');
  for (const name of Object.keys(ENGINE_PROVIDERS)) {
    const engine = engines[name] ?? {};
    const key = `${KEY}.engines.${name}`;
    if (!isObject(engine)) throw configError(key, `${name} must be a map with "enabled" and "sockets"`);
    const enabled = engine['enabled'] ?? true;
    if (typeof enabled !== 'boolean') throw configError(`${key}.enabled`, `enabled must be true or false, got ${JSON.stringify(enabled)}`);
    if (!enabled) continue;
    const sockets = engine['sockets'];
    if (sockets !== undefined && (!Array.isArray(sockets) || sockets.some((s) => typeof s !== 'string'))) {
      throw configError(`${key}.sockets`, 'sockets must be a list of socket paths');
    }
    providers[ENGINE_PROVIDERS[name]!] = {
      ...(sockets ? { sockets: expandUidSockets(sockets as string[]) } : {}),
      ...(hostRoot === '' || hostRoot === '/' ? {} : { hostRoot }),
    };
  }
  for (const name of Object.keys(engines)) {
    if (!(name in ENGINE_PROVIDERS) && !ID_ONLY_ENGINES.has(name)) {
      throw configError(`${KEY}.engines.${name}`, `unknown container engine "${name}"; known: ${[...Object.keys(ENGINE_PROVIDERS), ...ID_ONLY_ENGINES].join(', ')}`);
    }
  }
  const labelMaxLen = config['label_max_len'];
  if (labelMaxLen !== undefined && (typeof labelMaxLen !== 'number' || !Number.isInteger(labelMaxLen) || labelMaxLen < 0)) {
    throw configError(`${KEY}.label_max_len`, `label_max_len must be a non-negative integer, got ${JSON.stringify(labelMaxLen)}`);
  }
  return { providers, ...(labelMaxLen === undefined ? {} : { labelMaxLen }) };
}

/** Falco's `%d` in a socket path means "for this uid": expand it for the current user. */
function expandUidSockets(sockets: readonly string[]): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return sockets.map((s) => s.replace('%d', String(uid)));
}

const K8SMETA_KEY = 'plugins[k8smeta].init_config';
const VERBOSITIES = ['trace', 'debug', 'info', 'warning', 'error', 'critical'];

/** What the `k8smeta` plugin entry configures, read as the plugin's schema reads it. */
export interface K8smetaPluginConfig {
  /** The node whose pods are watched (`${VAR}` is read from the environment, as the plugin does). */
  readonly nodeName?: string;
  /** A k8s-metacollector to ask instead of the API server. */
  readonly collector?: { readonly hostname: string; readonly port: number; readonly caPEMBundle?: string };
  /** A kubeconfig path for watching the API server directly (this detector's addition). */
  readonly kubeconfig?: string;
  readonly verbosity: string;
  /** The host's /proc root as the plugin names it (default `/host`); the detector's own /proc scan is used. */
  readonly hostProc: string;
}

const K8SMETA_PROPERTIES: Readonly<Record<string, 'string' | 'integer'>> = {
  verbosity: 'string',
  collectorHostname: 'string',
  collectorPort: 'integer',
  nodeName: 'string',
  caPEMBundle: 'string',
  hostProc: 'string',
  kubeconfig: 'string',
};

/**
 * The `k8smeta` plugin's init_config (an object or its JSON text). Unknown keys are refused as the
 * plugin's schema (`additionalProperties: false`) refuses them. Without a collector address the
 * API server is watched directly: through `kubeconfig`, else the in-cluster service account,
 * else `$KUBECONFIG` or `~/.kube/config`.
 */
export function k8smetaPluginConfig(initConfig: unknown, env: NodeJS.ProcessEnv = process.env): K8smetaPluginConfig {
  const config = parseInitConfig(initConfig, K8SMETA_KEY);
  for (const [key, value] of Object.entries(config)) {
    const type = K8SMETA_PROPERTIES[key];
    if (type === undefined) {
      throw configError(`${K8SMETA_KEY}.${key}`, `unknown property "${key}"; known: ${Object.keys(K8SMETA_PROPERTIES).join(', ')}`);
    }
    const ok = type === 'string' ? typeof value === 'string' : typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
    if (!ok) throw configError(`${K8SMETA_KEY}.${key}`, `${key} must be ${type === 'string' ? 'a string' : 'a port number'}, got ${JSON.stringify(value)}`);
  }
  const verbosity = (config['verbosity'] as string | undefined) ?? 'info';
  if (!VERBOSITIES.includes(verbosity)) {
    throw configError(`${K8SMETA_KEY}.verbosity`, `verbosity must be one of ${VERBOSITIES.join(', ')}, got ${JSON.stringify(verbosity)}`);
  }
  const hostname = config['collectorHostname'] as string | undefined;
  const port = config['collectorPort'] as number | undefined;
  if ((hostname === undefined) !== (port === undefined)) {
    throw configError(`${K8SMETA_KEY}.${hostname === undefined ? 'collectorHostname' : 'collectorPort'}`, 'collectorHostname and collectorPort go together');
  }
  const nodeName = expandEnv(config['nodeName'] as string | undefined, env);
  if (nodeName === '') throw configError(`${K8SMETA_KEY}.nodeName`, `nodeName ${JSON.stringify(config['nodeName'])} is empty once the environment is read`);
  const ca = config['caPEMBundle'] as string | undefined;
  const kubeconfig = config['kubeconfig'] as string | undefined;
  return {
    ...(nodeName === undefined ? {} : { nodeName }),
    ...(hostname !== undefined && port !== undefined ? { collector: { hostname, port, ...(ca ? { caPEMBundle: ca } : {}) } } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    verbosity,
    hostProc: (config['hostProc'] as string | undefined) ?? '/host',
  };
}

/** `${NAME}` anywhere in the value is replaced by that environment variable ('' when unset). */
function expandEnv(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return value?.replace(/\$\{([^}]+)\}/g, (_m, name: string) => env[name] ?? '');
}

function parseInitConfig(initConfig: unknown, key: string): Record<string, unknown> {
  let config: unknown = initConfig ?? {};
  if (typeof config === 'string') {
    if (config.trim() === '') config = {};
    else {
      try {
        config = JSON.parse(config) as unknown;
      } catch (err) {
        throw configError(key, `init_config is a string but not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (!isObject(config)) throw configError(key, 'init_config must be a map');
  return config;
}

const MESOS_KEY = 'mesos';
const MESOS_KEYS = ['master_url', 'marathon_url', 'user', 'password', 'poll_interval_ms', 'timeout_ms'];

/**
 * Provider options from falco.yaml's `mesos` section (this detector's; Falco dropped Mesos):
 *   mesos: { master_url, marathon_url, user, password, poll_interval_ms (10000), timeout_ms (5000) }
 * `master_url` runs the mesos provider, `marathon_url` the marathon one; credentials go to both.
 */
export function optionsFromMesosConfig(section: unknown): Record<string, object> {
  if (section === undefined || section === null) return {};
  if (!isObject(section)) throw configError(MESOS_KEY, 'mesos must be a map');
  for (const key of Object.keys(section)) {
    if (!MESOS_KEYS.includes(key)) throw configError(`${MESOS_KEY}.${key}`, `unknown key "${key}"; known: ${MESOS_KEYS.join(', ')}`);
  }
  const text = (key: string): string | undefined => {
    const v = section[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw configError(`${MESOS_KEY}.${key}`, `${key} must be a string, got ${JSON.stringify(v)}`);
    if (key.endsWith('_url') && !/^https?:\/\/[^/]/.test(v)) throw configError(`${MESOS_KEY}.${key}`, `${key} must be an http(s) URL, got ${JSON.stringify(v)}`);
    return v;
  };
  const ms = (key: string): number | undefined => {
    const v = section[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw configError(`${MESOS_KEY}.${key}`, `${key} must be a positive number of milliseconds, got ${JSON.stringify(v)}`);
    return v;
  };
  const user = text('user');
  const password = text('password') ?? '';
  const common = {
    ...(ms('poll_interval_ms') === undefined ? {} : { intervalMs: ms('poll_interval_ms') }),
    ...(ms('timeout_ms') === undefined ? {} : { timeoutMs: ms('timeout_ms') }),
    ...(user === undefined ? {} : { credentials: { user, password } }),
  };
  const master = text('master_url');
  const marathon = text('marathon_url');
  return {
    ...(master ? { mesos: { url: master, ...common } } : {}),
    ...(marathon ? { marathon: { url: marathon, ...common } } : {}),
  };
}
