// Reading container facts out of an OCI runtime spec (config.json), for runtimes that hand us
// the spec rather than a Docker-style inspect: containerd (the container's `spec`) and CRI-O
// (`runtimeSpec` in verbose status).
import type { ContainerMount } from './types';

export interface OciSpec {
  process?: {
    user?: { uid?: number; gid?: number; username?: string };
    capabilities?: { bounding?: string[] };
    env?: string[];
  };
  mounts?: { destination: string; source?: string; type?: string; options?: string[] }[];
  linux?: {
    namespaces?: { type: string; path?: string }[];
    maskedPaths?: string[];
    resources?: {
      memory?: { limit?: number };
      cpu?: { shares?: number; quota?: number; period?: number };
    };
  };
}

const PROPAGATION = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable']);

const HOST_NETNS = /\/netns\/default$|^\/proc\/1\/ns\/net$/;

export interface OciFacts {
  readonly privileged: boolean;
  readonly mounts: readonly ContainerMount[];
  readonly user?: string;
  readonly hostNetwork: boolean;
  readonly hostPid: boolean;
  readonly hostIpc: boolean;
  readonly memoryLimit?: number;
  readonly cpuLimit?: number;
  readonly cpuShares?: number;
  readonly env: readonly string[];
}

export function factsFromOciSpec(spec: OciSpec): OciFacts {
  const joined = new Set((spec.linux?.namespaces ?? []).map((n) => n.type));
  const network = spec.linux?.namespaces?.find((n) => n.type === 'network');
  // A privileged container gets CAP_SYS_ADMIN and none of the masked paths every runtime applies
  // by default; the spec has no explicit "privileged" flag.
  const caps = spec.process?.capabilities?.bounding ?? [];
  const privileged = caps.includes('CAP_SYS_ADMIN') && (spec.linux?.maskedPaths ?? []).length === 0;
  // Only bind mounts come from the host; proc, tmpfs, mqueue and friends are the runtime's own.
  const mounts = (spec.mounts ?? [])
    .filter((m) => m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind'))
    .map((m) => {
      const options = m.options ?? [];
      return {
        source: m.source ?? '',
        destination: m.destination,
        mode: options.includes('ro') ? 'ro' : '',
        rw: !options.includes('ro'),
        propagation: options.find((o) => PROPAGATION.has(o)) ?? '',
      };
    });
  const u = spec.process?.user;
  const resources = spec.linux?.resources;
  const cpu = resources?.cpu;
  return {
    privileged,
    mounts,
    ...(u ? { user: u.username || `${u.uid ?? 0}${u.gid !== undefined ? `:${u.gid}` : ''}` } : {}),
    // A namespace type missing from the list is shared with the host. Docker's host networking
    // instead joins its handle on the host's namespace (`<exec-root>/netns/default`).
    hostNetwork: !network || (network.path !== undefined && HOST_NETNS.test(network.path)),
    hostPid: !joined.has('pid'),
    hostIpc: !joined.has('ipc'),
    ...(resources?.memory?.limit && resources.memory.limit > 0 ? { memoryLimit: resources.memory.limit } : {}),
    ...(cpu?.quota && cpu.quota > 0 && cpu.period ? { cpuLimit: cpu.quota / cpu.period } : {}),
    ...(cpu?.shares ? { cpuShares: cpu.shares } : {}),
    env: spec.process?.env ?? [],
  };
}
