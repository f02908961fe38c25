/** user.*, group.*, container.*, k8s.*, k8smeta.*, mesos.* and marathon.* extractors. */
import type { FieldValue } from '@falco-ts/filter-lang';
import type { ContainerInfo, ContainerMount, KubernetesObjectInfo, KubernetesPodInfo } from '../../syscall/metadata';
import type { ThreadInfo } from '../../syscall/thread-table';
import type { GroupInfo, UserInfo } from '../../syscall/users';
import type { SyscallEvent } from '../event';
import type { Extract, ExtractorFactory } from './common';

const NO_ID = 0xffffffff;

function known(e: SyscallEvent): ThreadInfo | undefined {
  return e.state.thread;
}

/** The user entry: the container's own table first, then the host's. */
function userOf(e: SyscallEvent, t: ThreadInfo, uid: number): UserInfo | undefined {
  return (t.containerId !== '' ? e.state.users.user(t.containerId, uid) : undefined) ?? e.state.users.user('', uid);
}

function groupOf(e: SyscallEvent, t: ThreadInfo, gid: number): GroupInfo | undefined {
  return (t.containerId !== '' ? e.state.users.group(t.containerId, gid) : undefined) ?? e.state.users.group('', gid);
}

function user(read: (u: UserInfo | undefined, t: ThreadInfo) => FieldValue): Extract {
  return (e) => {
    const t = known(e);
    return t === undefined ? undefined : read(t.uid === NO_ID ? undefined : userOf(e, t, t.uid), t);
  };
}

export const USER_EXTRACTORS: Record<string, ExtractorFactory> = {
  'user.uid': () => user((_u, t) => t.uid),
  // uid 0 is root even where no passwd file could be read.
  'user.name': () => user((u, t) => u?.name ?? (t.uid === 0 ? 'root' : undefined)),
  'user.homedir': () => user((u, t) => u?.homedir ?? (t.uid === 0 ? '/root' : undefined)),
  'user.shell': () => user((u) => u?.shell),
  'user.loginuid': () => (e) => {
    const t = known(e);
    if (t === undefined) return undefined;
    return t.loginuid === NO_ID ? -1 : t.loginuid;
  },
  'user.loginname': () => (e) => {
    const t = known(e);
    if (t === undefined || t.loginuid === NO_ID) return undefined;
    return userOf(e, t, t.loginuid)?.name ?? (t.loginuid === 0 ? 'root' : undefined);
  },
  'group.gid': () => (e) => known(e)?.gid,
  'group.name': () => (e) => {
    const t = known(e);
    if (t === undefined || t.gid === NO_ID) return undefined;
    return groupOf(e, t, t.gid)?.name ?? (t.gid === 0 ? 'root' : undefined);
  },
};

// ---- containers -----------------------------------------------------------------------------

/** The container's metadata; undefined on the host or when the provider does not know it yet. */
function meta(e: SyscallEvent): ContainerInfo | undefined {
  const t = known(e);
  if (t === undefined || t.containerId === '') return undefined;
  return e.state.metadata.lookup(t.containerId);
}

function container(read: (c: ContainerInfo) => FieldValue): Extract {
  return (e) => {
    const c = meta(e);
    return c === undefined ? undefined : read(c);
  };
}

function mountText(m: ContainerMount): string {
  return `${m.source}:${m.dest}:${m.mode}:${m.rdwr ? 'true' : 'false'}:${m.propagation}`;
}

function globMatch(pattern: string, s: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === s;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(s);
}

/** A mount by index, or by path glob (matched on the source, or the destination for `.source`). */
function mountFor(c: ContainerInfo, index: number | undefined, key: string | undefined, byDest: boolean): ContainerMount | undefined {
  const mounts = c.mounts ?? [];
  if (index !== undefined) return mounts[index];
  if (key === undefined) return undefined;
  return mounts.find((m) => globMatch(key, byDest ? m.dest : m.source));
}

function labelsText(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  if (labels === undefined) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => (v === '' ? k : `${k}:${v}`))
    .join(',');
}

function mountField(read: (m: ContainerMount) => string, byDest: boolean, noneWhenMissing: boolean): ExtractorFactory {
  return (ref) =>
    container((c) => {
      const m = mountFor(c, ref.index, ref.key, byDest);
      return m === undefined ? (noneWhenMissing ? 'none' : undefined) : read(m);
    });
}

export const CONTAINER_EXTRACTORS: Record<string, ExtractorFactory> = {
  'container.id': () => (e) => {
    const t = known(e);
    return t === undefined ? undefined : t.containerId === '' ? 'host' : t.containerId;
  },
  'container.full_id': () => (e) => {
    const t = known(e);
    if (t === undefined) return undefined;
    if (t.containerId === '') return 'host';
    return meta(e)?.fullId ?? e.state.containers.get(t.containerId)?.fullId;
  },
  'container.name': () => (e) => {
    const t = known(e);
    if (t === undefined) return undefined;
    return t.containerId === '' ? 'host' : meta(e)?.name;
  },
  'container.image': () => container((c) => c.image),
  'container.image.id': () => container((c) => c.imageId),
  'container.type': () => (e) => {
    const t = known(e);
    if (t === undefined) return undefined;
    if (t.containerId === '') return 'host';
    return meta(e)?.type ?? e.state.containers.get(t.containerId)?.runtime;
  },
  'container.privileged': () => container((c) => c.privileged),
  'container.mounts': () => container((c) => (c.mounts === undefined ? undefined : c.mounts.map(mountText).join(','))),
  'container.mount': mountField(mountText, false, true),
  'container.mount.source': mountField((m) => m.source, true, false),
  'container.mount.dest': mountField((m) => m.dest, false, false),
  'container.mount.mode': mountField((m) => m.mode, false, false),
  'container.mount.rdwr': mountField((m) => (m.rdwr ? 'true' : 'false'), false, false),
  'container.mount.propagation': mountField((m) => m.propagation, false, false),
  'container.image.repository': () => container((c) => c.imageRepository),
  'container.image.tag': () => container((c) => c.imageTag),
  'container.image.digest': () => container((c) => c.imageDigest),
  'container.healthcheck': () => container((c) => c.healthcheck),
  'container.liveness_probe': () => container((c) => c.livenessProbe),
  'container.readiness_probe': () => container((c) => c.readinessProbe),
  'container.start_ts': () => (e) => {
    const t = known(e);
    return t === undefined || t.containerId === '' || t.pidnsInitStartTs === 0n ? undefined : t.pidnsInitStartTs;
  },
  'container.duration': () => (e) => {
    const t = known(e);
    return t === undefined || t.containerId === '' || t.pidnsInitStartTs === 0n ? undefined : e.ts - t.pidnsInitStartTs;
  },
  'container.ip': () => container((c) => c.ip),
  'container.cni.json': () => container((c) => c.cniJson),
  'container.host_pid': () => container((c) => c.hostPid),
  'container.host_network': () => container((c) => c.hostNetwork),
  'container.host_ipc': () => container((c) => c.hostIpc),
  'container.label': (ref) => container((c) => c.labels?.[ref.key!]),
  'container.labels': () => container((c) => labelsText(c.labels)),
  // Health checks and probes are told apart only by the runtime's metadata; without a provider
  // that reports them (the container plugin dropped them too), a process is not one.
  'proc.is_container_healthcheck': () => (e) => (known(e) === undefined ? undefined : false),
  'proc.is_container_liveness_probe': () => (e) => (known(e) === undefined ? undefined : false),
  'proc.is_container_readiness_probe': () => (e) => (known(e) === undefined ? undefined : false),
  'k8s.pod.name': () => container((c) => c.k8s?.podName),
  'k8s.ns.name': () => container((c) => c.k8s?.namespace),
  'k8s.pod.id': () => container((c) => c.k8s?.podUid),
  'k8s.pod.uid': () => container((c) => c.k8s?.podUid),
  'k8s.pod.sandbox_id': () => container((c) => c.k8s?.sandboxId?.slice(0, 12)),
  'k8s.pod.full_sandbox_id': () => container((c) => c.k8s?.sandboxId),
  'k8s.pod.label': (ref) => container((c) => c.k8s?.podLabels?.[ref.key!]),
  'k8s.pod.labels': () => container((c) => labelsText(c.k8s?.podLabels)),
  'k8s.pod.ip': () => container((c) => c.k8s?.podIp),
  'k8s.pod.cni.json': () => container((c) => c.k8s?.cniJson),
};

// ---- Kubernetes objects around the pod ----------------------------------------------------

type PodObject = (k: KubernetesPodInfo) => KubernetesObjectInfo | undefined;

const POD_OBJECTS: Record<string, PodObject> = {
  ns: (k) => k.namespaceInfo,
  deployment: (k) => k.deployment,
  rs: (k) => k.replicaSet,
  rc: (k) => k.replicationController,
};

function pod(read: (k: KubernetesPodInfo) => FieldValue): Extract {
  return container((c) => (c.k8s === undefined ? undefined : read(c.k8s)));
}

function labelPairs(labels: Readonly<Record<string, string>>): string[] | undefined {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}:${v}`);
  return pairs.length === 0 ? undefined : pairs;
}

/** Several services' values: undefined when none has one, as an absent field. */
function nonEmpty(values: string[]): string[] | undefined {
  return values.length === 0 ? undefined : values;
}

// Legacy k8s.* fields (sysdig's names: `id` is the UID; several services' values joined by ", ").
for (const [kind, object] of Object.entries(POD_OBJECTS)) {
  if (kind !== 'ns') CONTAINER_EXTRACTORS[`k8s.${kind}.name`] = () => pod((k) => object(k)?.name);
  CONTAINER_EXTRACTORS[`k8s.${kind}.id`] = () => pod((k) => object(k)?.uid);
  CONTAINER_EXTRACTORS[`k8s.${kind}.label`] = (ref) => pod((k) => object(k)?.labels[ref.key!]);
  CONTAINER_EXTRACTORS[`k8s.${kind}.labels`] = () => pod((k) => labelsText(object(k)?.labels));
}
const services = (k: KubernetesPodInfo): readonly KubernetesObjectInfo[] => k.services ?? [];
const joined = (values: string[]): string | undefined => (values.length === 0 ? undefined : values.join(', '));
CONTAINER_EXTRACTORS['k8s.svc.name'] = () => pod((k) => joined(services(k).map((s) => s.name)));
CONTAINER_EXTRACTORS['k8s.svc.id'] = () => pod((k) => joined(services(k).map((s) => s.uid)));
CONTAINER_EXTRACTORS['k8s.svc.label'] = (ref) =>
  pod((k) => joined(services(k).flatMap((s) => (s.labels[ref.key!] === undefined ? [] : [s.labels[ref.key!]!]))));
CONTAINER_EXTRACTORS['k8s.svc.labels'] = () =>
  pod((k) => {
    const all = services(k).map((s) => labelsText(s.labels)).filter((t) => t !== undefined && t !== '');
    return all.length === 0 ? undefined : all.join(',');
  });

// The k8smeta plugin's fields, from the same records.
export const K8SMETA_EXTRACTORS: Record<string, ExtractorFactory> = {
  'k8smeta.pod.name': () => pod((k) => k.podName),
  'k8smeta.pod.uid': () => pod((k) => k.podUid),
  'k8smeta.pod.label': (ref) => pod((k) => k.podLabels?.[ref.key!]),
  'k8smeta.pod.labels': () => pod((k) => (k.podLabels === undefined ? undefined : labelPairs(k.podLabels))),
  'k8smeta.pod.ip': () => pod((k) => k.podIp),
  'k8smeta.ns.name': () => pod((k) => k.namespaceInfo?.name ?? k.namespace),
  'k8smeta.svc.name': () => pod((k) => nonEmpty(services(k).map((s) => s.name))),
  'k8smeta.svc.uid': () => pod((k) => nonEmpty(services(k).map((s) => s.uid))),
  'k8smeta.svc.label': (ref) => pod((k) => nonEmpty(services(k).flatMap((s) => (s.labels[ref.key!] === undefined ? [] : [s.labels[ref.key!]!])))),
  'k8smeta.svc.labels': () => pod((k) => nonEmpty(services(k).flatMap((s) => labelPairs(s.labels) ?? []))),
};
for (const [kind, object] of Object.entries(POD_OBJECTS)) {
  if (kind !== 'ns') K8SMETA_EXTRACTORS[`k8smeta.${kind}.name`] = () => pod((k) => object(k)?.name);
  K8SMETA_EXTRACTORS[`k8smeta.${kind}.uid`] = () => pod((k) => object(k)?.uid);
  K8SMETA_EXTRACTORS[`k8smeta.${kind}.label`] = (ref) => pod((k) => object(k)?.labels[ref.key!]);
  K8SMETA_EXTRACTORS[`k8smeta.${kind}.labels`] = () => pod((k) => {
    const o = object(k);
    return o === undefined ? undefined : labelPairs(o.labels);
  });
}

// ---- Mesos and Marathon ------------------------------------------------------------------------

function task(read: (m: NonNullable<ContainerInfo['mesos']>) => FieldValue): Extract {
  return container((c) => (c.mesos === undefined ? undefined : read(c.mesos)));
}

export const MESOS_EXTRACTORS: Record<string, ExtractorFactory> = {
  'mesos.task.name': () => task((m) => m.taskName),
  'mesos.task.id': () => task((m) => m.taskId),
  'mesos.task.label': (ref) => task((m) => m.taskLabels?.[ref.key!]),
  'mesos.task.labels': () => task((m) => labelsText(m.taskLabels)),
  'mesos.framework.name': () => task((m) => m.frameworkName),
  'mesos.framework.id': () => task((m) => m.frameworkId),
  'marathon.app.name': () => task((m) => m.appName),
  'marathon.app.id': () => task((m) => m.appId),
  'marathon.app.label': (ref) => task((m) => m.appLabels?.[ref.key!]),
  'marathon.app.labels': () => task((m) => labelsText(m.appLabels)),
  'marathon.group.name': () => task((m) => m.groupId),
  'marathon.group.id': () => task((m) => m.groupId),
};
