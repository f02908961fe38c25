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
  let config: unknown = initConfig ?? {};
  if (typeof config === 'string') {
    if (config.trim() === '') config = {};
    else {
      try {
        config = JSON.parse(config) as unknown;
      } catch (err) {
        throw configError(KEY, `init_config is a string but not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (!isObject(config)) throw configError(KEY, 'init_config must be a map');
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
