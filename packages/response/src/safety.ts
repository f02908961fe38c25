/**
 * What keeps an automated response from doing harm: a protected scope that no action touches
 * (the detector's own process, container and pod, the system namespaces, anything listed), a
 * de-duplication window so one incident reported many times acts once, and a rate limit per action.
 */
import { readFileSync } from 'node:fs';
import type { ActionTarget } from './actionners/types';

export interface ProtectOptions {
  /** Protect the detector itself and the `system_namespaces` (default true). */
  readonly system?: boolean;
  /** Default `kube-system`. */
  readonly systemNamespaces?: readonly string[];
  readonly namespaces?: readonly string[];
  /** `namespace/name`. */
  readonly pods?: readonly string[];
  /** Container ids (full or 12-character) or names. */
  readonly containers?: readonly string[];
  readonly nodes?: readonly string[];
  /** The detector's own pod (`namespace/name`); default from `POD_NAMESPACE`/`POD_NAME` (or `FALCO_POD_*`). */
  readonly ownPod?: string;
}

/** The id of the container this process runs in, from its cgroup path, if any. */
export function ownContainerId(cgroupFile = '/proc/self/cgroup'): string | undefined {
  try {
    const m = /([0-9a-f]{64})/.exec(readFileSync(cgroupFile, 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}

function ancestors(pid: number): Set<number> {
  const out = new Set<number>([1, pid]);
  let current = pid;
  for (let i = 0; i < 64 && current > 1; i++) {
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.add(current);
    } catch {
      break;
    }
  }
  return out;
}

export class ProtectedScope {
  private readonly namespaces: Set<string>;
  private readonly pods: Set<string>;
  private readonly containers: readonly string[];
  private readonly nodes: Set<string>;
  private readonly pids: Set<number>;

  constructor(options: ProtectOptions = {}) {
    const system = options.system !== false;
    this.namespaces = new Set([...(system ? (options.systemNamespaces ?? ['kube-system']) : []), ...(options.namespaces ?? [])]);
    const env = process.env;
    const ownNs = env.POD_NAMESPACE ?? env.FALCO_POD_NAMESPACE;
    const ownName = env.POD_NAME ?? env.FALCO_POD_NAME;
    const ownPod = options.ownPod ?? (ownNs && ownName ? `${ownNs}/${ownName}` : undefined);
    this.pods = new Set([...(options.pods ?? []), ...(system && ownPod ? [ownPod] : [])]);
    const own = system ? ownContainerId() : undefined;
    this.containers = [...(options.containers ?? []), ...(own ? [own] : [])];
    this.nodes = new Set(options.nodes ?? []);
    this.pids = system ? ancestors(process.pid) : new Set();
  }

  /** Why the target is protected, or undefined when an action may touch it. */
  protects(target: ActionTarget): string | undefined {
    if (target.pid !== undefined && this.pids.has(target.pid)) return `the process ${target.pid} is the detector or one of its ancestors`;
    if (target.containerId !== undefined) {
      const id = target.containerId;
      if (this.containers.some((c) => c === id || (id.length >= 12 && c.startsWith(id)) || (c.length >= 12 && id.startsWith(c)))) return `the container ${id} is protected`;
    }
    if (target.namespace !== undefined && this.namespaces.has(target.namespace)) return `the namespace '${target.namespace}' is protected`;
    if (target.pod !== undefined && target.namespace !== undefined && this.pods.has(`${target.namespace}/${target.pod}`)) return `the pod '${target.namespace}/${target.pod}' is protected`;
    if (target.node !== undefined && this.nodes.has(target.node)) return `the node '${target.node}' is protected`;
    return undefined;
  }
}

/** Keys seen within the last `windowMs`. */
export class DedupWindow {
  private readonly seen = new Map<string, number>();
  constructor(readonly windowMs: number) {}

  /** True when `key` was already seen within the window (the window is not extended). */
  repeat(key: string, nowMs: number): boolean {
    if (this.windowMs <= 0) return false;
    const at = this.seen.get(key);
    if (at !== undefined && nowMs - at < this.windowMs) return true;
    this.seen.set(key, nowMs);
    if (this.seen.size > 10000) for (const [k, t] of this.seen) if (nowMs - t >= this.windowMs) this.seen.delete(k);
    return false;
  }
}

/** At most `max` per key within any `perMs`. */
export class RateLimiter {
  private readonly times = new Map<string, number[]>();
  constructor(
    readonly max: number,
    readonly perMs: number,
  ) {}

  allow(key: string, nowMs: number): boolean {
    if (this.max <= 0) return true;
    const recent = (this.times.get(key) ?? []).filter((t) => nowMs - t < this.perMs);
    if (recent.length >= this.max) {
      this.times.set(key, recent);
      return false;
    }
    recent.push(nowMs);
    this.times.set(key, recent);
    return true;
  }
}
