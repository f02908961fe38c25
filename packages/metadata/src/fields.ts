// Field values as the detector's `container.*`, `k8s.*`, `mesos.*` and `marathon.*` fields report
// them, computed from the records this package keeps. `null` means "not available" and prints as
// `<NA>`. The engine owns the field registry; the CLI binds these extractors to it.
import type { ContainerInfo, ContainerMount, K8sMetadata, MesosMetadata, ObjectRef } from './types';

export type FieldValue = string | number | bigint | boolean | null;

export const CONTAINER_FIELDS: readonly string[] = [
  'container.id', 'container.full_id', 'container.name', 'container.image', 'container.image.id',
  'container.image.repository', 'container.image.tag', 'container.image.digest', 'container.type',
  'container.privileged', 'container.mounts', 'container.mount', 'container.mount.source',
  'container.mount.dest', 'container.mount.mode', 'container.mount.rdwr', 'container.mount.propagation',
  'container.healthcheck', 'container.start_ts', 'container.ip', 'container.user', 'container.label',
  'container.labels', 'container.host_pid', 'container.host_network', 'container.host_ipc',
  'container.cpu_limit', 'container.memory_limit',
];

export const K8S_FIELDS: readonly string[] = [
  'k8s.pod.name', 'k8s.pod.id', 'k8s.pod.uid', 'k8s.pod.label', 'k8s.pod.labels', 'k8s.pod.ip',
  'k8s.pod.sandbox_id', 'k8s.pod.full_sandbox_id',
  'k8s.ns.name', 'k8s.ns.id', 'k8s.ns.label', 'k8s.ns.labels',
  'k8s.rs.name', 'k8s.rs.id', 'k8s.rs.label', 'k8s.rs.labels',
  'k8s.deployment.name', 'k8s.deployment.id', 'k8s.deployment.label', 'k8s.deployment.labels',
  'k8s.rc.name', 'k8s.rc.id', 'k8s.rc.label', 'k8s.rc.labels',
  'k8s.svc.name', 'k8s.svc.id', 'k8s.svc.label', 'k8s.svc.labels',
];

export const MESOS_FIELDS: readonly string[] = [
  'mesos.task.name', 'mesos.task.id', 'mesos.task.label', 'mesos.task.labels',
  'mesos.framework.name', 'mesos.framework.id',
  'marathon.app.name', 'marathon.app.id', 'marathon.app.group.name', 'marathon.app.label', 'marathon.app.labels',
];

/** `key:value` pairs joined by `, `, in key order so output is stable. */
export function formatLabels(labels: Readonly<Record<string, string>>): string | null {
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}:${labels[k]}`).join(', ') : null;
}

function formatMount(m: ContainerMount): string {
  return `${m.source}:${m.destination}:${m.mode}:${m.rw ? 'true' : 'false'}:${m.propagation}`;
}

const globs = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    globs.set(pattern, re);
  }
  return re;
}

/**
 * The mount a `container.mount*[arg]` field means: a number is an index; otherwise a glob matched
 * against the source (for `.dest`) or the destination (for every other mount field).
 */
function findMount(info: ContainerInfo, arg: string | undefined, matchSource: boolean): ContainerMount | undefined {
  if (arg === undefined) return undefined;
  if (/^\d+$/.test(arg)) return info.mounts[Number(arg)];
  const re = glob(arg);
  return info.mounts.find((m) => re.test(matchSource ? m.source : m.destination));
}

export function containerField(info: ContainerInfo | undefined, field: string, arg?: string): FieldValue {
  if (!info) return null;
  switch (field) {
    case 'container.id':
      // Falco shortens 64-hex ids to 12 characters; other ids (ctr, nerdctl names) stay whole.
      return /^[0-9a-f]{64}$/.test(info.id) ? info.id.slice(0, 12) : info.id;
    case 'container.full_id':
      return info.id;
    case 'container.name':
      return info.name || null;
    case 'container.image':
      return info.image || null;
    case 'container.image.id':
      return info.imageId ?? null;
    case 'container.image.repository':
      return info.imageRepository ?? null;
    case 'container.image.tag':
      return info.imageTag ?? null;
    case 'container.image.digest':
      return info.imageDigest ?? null;
    case 'container.type':
      return info.runtime;
    case 'container.privileged':
      return info.privileged;
    case 'container.mounts':
      return info.mounts.length ? info.mounts.map(formatMount).join(',') : null;
    case 'container.mount': {
      const m = findMount(info, arg, false);
      return m ? formatMount(m) : null;
    }
    case 'container.mount.source':
      return findMount(info, arg, false)?.source ?? null;
    case 'container.mount.dest':
      return findMount(info, arg, true)?.destination ?? null;
    case 'container.mount.mode':
      return findMount(info, arg, false)?.mode ?? null;
    case 'container.mount.rdwr': {
      const m = findMount(info, arg, false);
      return m ? (m.rw ? 'true' : 'false') : null;
    }
    case 'container.mount.propagation':
      return findMount(info, arg, false)?.propagation ?? null;
    case 'container.healthcheck':
      return info.healthcheck ? info.healthcheck.test.join(' ') : null;
    case 'container.start_ts':
      return info.startTs ?? null;
    case 'container.ip':
      return info.ip ?? null;
    case 'container.user':
      return info.user ?? null;
    case 'container.label':
      return arg === undefined ? null : (info.labels[arg] ?? null);
    case 'container.labels':
      return formatLabels(info.labels);
    case 'container.host_pid':
      return info.hostPid;
    case 'container.host_network':
      return info.hostNetwork;
    case 'container.host_ipc':
      return info.hostIpc;
    case 'container.cpu_limit':
      return info.cpuLimit ?? null;
    case 'container.memory_limit':
      return info.memoryLimit ?? null;
    default:
      return null;
  }
}

function refField(ref: ObjectRef | undefined, part: string, arg: string | undefined): FieldValue {
  if (!ref) return null;
  switch (part) {
    case 'name':
      return ref.name;
    case 'id':
    case 'uid':
      return ref.uid;
    case 'label':
      return arg === undefined ? null : (ref.labels[arg] ?? null);
    case 'labels':
      return formatLabels(ref.labels);
    default:
      return null;
  }
}

export function k8sField(meta: K8sMetadata | undefined, field: string, arg?: string): FieldValue {
  if (!meta) return null;
  const [, kind, part = ''] = field.split('.');
  switch (kind) {
    case 'pod': {
      const pod = meta.pod;
      const identity = meta.podIdentity;
      if (part === 'name') return pod?.name ?? identity?.name ?? null;
      if (part === 'id' || part === 'uid') return pod?.uid ?? identity?.uid ?? null;
      if (part === 'ip') return pod?.ip ?? null;
      if (part === 'sandbox_id') return identity?.sandboxId?.slice(0, 12) ?? null;
      if (part === 'full_sandbox_id') return identity?.sandboxId ?? null;
      return refField(pod, part, arg);
    }
    case 'ns':
      if (part === 'name') return meta.namespace?.name ?? meta.pod?.namespace ?? meta.podIdentity?.namespace ?? null;
      return refField(meta.namespace, part, arg);
    case 'rs':
      return refField(meta.replicaSet, part, arg);
    case 'deployment':
      return refField(meta.deployment, part, arg);
    case 'rc':
      return refField(meta.replicationController, part, arg);
    case 'svc': {
      // A pod may back several services; like sysdig, report them comma-separated.
      if (meta.services.length === 0) return null;
      const values = meta.services.map((s) => refField(s, part, arg)).filter((v): v is string => typeof v === 'string');
      return values.length ? values.join(', ') : null;
    }
    default:
      return null;
  }
}

export function mesosField(meta: MesosMetadata | undefined, field: string, arg?: string): FieldValue {
  if (!meta) return null;
  switch (field) {
    case 'mesos.task.name':
      return meta.task?.name ?? null;
    case 'mesos.task.id':
      return meta.task?.id ?? null;
    case 'mesos.task.label':
      return arg === undefined ? null : (meta.task?.labels[arg] ?? null);
    case 'mesos.task.labels':
      return meta.task ? formatLabels(meta.task.labels) : null;
    case 'mesos.framework.name':
      return meta.framework?.name ?? null;
    case 'mesos.framework.id':
      return meta.framework?.id ?? null;
    case 'marathon.app.name':
      return meta.marathonApp?.name ?? null;
    case 'marathon.app.id':
      return meta.marathonApp?.id ?? null;
    case 'marathon.app.group.name':
      return meta.marathonApp?.groupName ?? null;
    case 'marathon.app.label':
      return arg === undefined ? null : (meta.marathonApp?.labels[arg] ?? null);
    case 'marathon.app.labels':
      return meta.marathonApp ? formatLabels(meta.marathonApp.labels) : null;
    default:
      return null;
  }
}
