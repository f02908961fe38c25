/**
 * Which container a thread runs in, read from its cgroup paths. Covers Docker, containerd (plain
 * and through Kubernetes CRI), CRI-O, Podman (rootful and rootless), rkt, LXC and libvirt-LXC, on
 * cgroup v1 and v2, with the systemd and the cgroupfs cgroup drivers.
 *
 * The short id (`container.id`) is the first 12 characters of a 64-hex-digit id; runtimes that
 * name containers otherwise (rkt, LXC) use the name as the id.
 */

export type ContainerRuntime = 'docker' | 'containerd' | 'cri' | 'cri-o' | 'podman' | 'rkt' | 'lxc' | 'libvirt-lxc';

export interface CgroupContainer {
  /** `container.id`: 12 hex digits, or the runtime's name for the container. */
  readonly id: string;
  /** `container.full_id`. */
  readonly fullId: string;
  readonly runtime: ContainerRuntime;
}

const HEX64 = '([0-9a-f]{64})';

interface Matcher {
  readonly re: RegExp;
  readonly runtime: ContainerRuntime | ((m: RegExpExecArray) => ContainerRuntime);
  /** Builds the id from the match (default: group 1). */
  readonly id?: (m: RegExpExecArray) => string;
}

const SCOPE_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  crio: 'cri-o',
  libpod: 'podman',
};

const MATCHERS: readonly Matcher[] = [
  // systemd driver (v1 and v2): .../docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope,
  // libpod-<id>.scope (also rootless podman under user@UID.service, possibly followed by /container).
  { re: new RegExp(`/(docker|cri-containerd|crio|libpod)-${HEX64}\\.scope(?:/|$)`), runtime: (m) => SCOPE_RUNTIME[m[1]!]!, id: (m) => m[2]! },
  // CRI-O conmon/cgroupfs style: .../crio-<id>
  { re: new RegExp(`/crio-${HEX64}(?:/|$)`), runtime: 'cri-o' },
  // Kubernetes with the cgroupfs driver: /kubepods[/<qos>]/pod<uid>/<id>
  { re: new RegExp(`/kubepods(?:/[^/]+)?/pod[0-9a-f_-]+/${HEX64}(?:/|$)`), runtime: 'cri' },
  // Docker with the cgroupfs driver: /docker/<id> (also nested, e.g. docker-in-docker)
  { re: new RegExp(`/docker/${HEX64}(?:/|$)`), runtime: 'docker' },
  // Podman with the cgroupfs driver.
  { re: new RegExp(`/libpod_parent/libpod-${HEX64}(?:/|$)`), runtime: 'podman' },
  // rkt: /machine.slice/machine-rkt\x2d<uuid>.scope/system.slice/<app>.service → "<uuid>:<app>"
  {
    re: /machine-rkt\\x2d([0-9a-f\\x]+?)\.scope\/(?:system\.slice\/)?([^/]+)\.service/,
    runtime: 'rkt',
    id: (m) => `${m[1]!.replace(/\\x2d/g, '-')}:${m[2]!}`,
  },
  // libvirt-LXC: machine-lxc\x2d<pid>\x2d<name>.scope, or /machine/<name>.libvirt-lxc
  { re: /machine-lxc\\x2d\d+\\x2d(.+?)\.scope/, runtime: 'libvirt-lxc' },
  { re: /\/machine\/([^/]+)\.libvirt-lxc(?:\/|$)/, runtime: 'libvirt-lxc' },
  // LXC: /lxc/<name>, /lxc.payload/<name>, /lxc.payload.<name>
  { re: /^\/lxc(?:\.payload)?[./]([^/]+)/, runtime: 'lxc' },
  // Plain containerd (ctr, nerdctl): /<namespace>/<id>
  { re: new RegExp(`^/[A-Za-z0-9_.-]+/${HEX64}$`), runtime: 'containerd' },
];

/** The container of one cgroup path, or undefined for host cgroups. */
export function containerFromCgroupPath(path: string): CgroupContainer | undefined {
  for (const m of MATCHERS) {
    const r = m.re.exec(path);
    if (r === null) continue;
    const fullId = m.id !== undefined ? m.id(r) : r[1]!;
    const runtime = typeof m.runtime === 'function' ? m.runtime(r) : m.runtime;
    const id = /^[0-9a-f]{64}$/.test(fullId) ? fullId.slice(0, 12) : fullId;
    return { id, fullId, runtime };
  }
  return undefined;
}

/**
 * The container of a thread from its cgroup entries (`subsys=path` as in clone/execve events and
 * capture process blocks, or `hierarchy:subsys:path` lines of /proc/PID/cgroup). The first entry
 * that names a container wins.
 */
export function containerFromCgroups(entries: readonly string[]): CgroupContainer | undefined {
  for (const e of entries) {
    const path = cgroupPathOf(e);
    if (path === '' || path === '/') continue;
    const c = containerFromCgroupPath(path);
    if (c !== undefined) return c;
  }
  return undefined;
}

/** The path part of a cgroup entry in either form. */
export function cgroupPathOf(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq >= 0 && !entry.slice(0, eq).includes('/')) return entry.slice(eq + 1);
  const m = /^\d+:[^:]*:(.*)$/.exec(entry);
  return m !== null ? m[1]! : entry;
}

/** Subsystem name of a cgroup entry (`cpuset=/x` → `cpuset`; v2 lines have none). */
export function cgroupSubsysOf(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq >= 0 && !entry.slice(0, eq).includes('/')) return entry.slice(0, eq);
  const m = /^\d+:([^:]*):/.exec(entry);
  return m !== null ? m[1]! : '';
}
