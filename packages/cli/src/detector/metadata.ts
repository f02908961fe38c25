/**
 * Container metadata for the syscall source in live runs: the metadata package's service (Docker,
 * Podman, containerd, CRI-O, and Kubernetes when the `k8smeta` entry is loaded) behind the
 * engine's `ContainerMetadataProvider`. Records are converted once per container record and
 * Kubernetes answer, not per event.
 */
import type { ContainerInfo as EngineContainerInfo, ContainerMetadataProvider, KubernetesObjectInfo, KubernetesPodInfo, MesosTaskInfo } from '@falco-ts/engine';
import { MetadataService, k8smetaPluginConfig, optionsFromContainerPluginConfig, optionsFromMesosConfig, type K8sMetadata, type MesosMetadata, type MetadataServiceOptions, type ObjectRef } from '@falco-ts/metadata';

type MetaInfo = NonNullable<ReturnType<MetadataService['lookupContainer']>>;
type MetaRuntime = Parameters<MetadataService['lookupContainer']>[1];

const RUNTIMES: ReadonlySet<string> = new Set(['docker', 'podman', 'containerd', 'cri-o']);

/** How long the first event of a pod's container waits for the pod's API metadata (ms). */
const POD_WAIT_MS = 2000;
/** How long after a container's first event its runtime record may still arrive and start that wait (ms). */
const RECORD_WINDOW_MS = 10000;

function object(ref: ObjectRef | undefined): KubernetesObjectInfo | undefined {
  return ref === undefined ? undefined : { name: ref.name, uid: ref.uid, labels: ref.labels };
}

function podInfo(info: MetaInfo, k8s: K8sMetadata | undefined): KubernetesPodInfo | undefined {
  const pod = k8s?.pod;
  const identity = k8s?.podIdentity ?? info.pod;
  if (!pod && !identity) return undefined;
  return {
    podName: pod?.name ?? identity?.name,
    namespace: pod?.namespace ?? identity?.namespace,
    podUid: pod?.uid ?? identity?.uid,
    podLabels: pod?.labels,
    podIp: pod?.ip,
    namespaceInfo: object(k8s?.namespace),
    deployment: object(k8s?.deployment),
    replicaSet: object(k8s?.replicaSet),
    replicationController: object(k8s?.replicationController),
    services: k8s?.services.map((s) => object(s)!),
  };
}

function taskInfo(m: MesosMetadata | undefined): MesosTaskInfo | undefined {
  if (m === undefined || (!m.task && !m.framework && !m.marathonApp)) return undefined;
  return {
    taskId: m.task?.id,
    taskName: m.task?.name,
    taskLabels: m.task?.labels,
    frameworkId: m.framework?.id,
    frameworkName: m.framework?.name,
    appId: m.marathonApp?.id,
    appName: m.marathonApp?.name,
    appLabels: m.marathonApp?.labels,
    groupId: m.marathonApp?.groupName,
  };
}

function convert(info: MetaInfo, k8s: K8sMetadata | undefined, mesos: MesosMetadata | undefined): EngineContainerInfo {
  return {
    id: info.id.slice(0, 12),
    fullId: info.id,
    name: info.name,
    type: info.runtime,
    image: info.image,
    imageId: info.imageId,
    imageRepository: info.imageRepository,
    imageTag: info.imageTag,
    imageDigest: info.imageDigest,
    privileged: info.privileged,
    mounts: info.mounts.map((m) => ({ source: m.source, dest: m.destination, mode: m.mode, rdwr: m.rw, propagation: m.propagation })),
    ip: info.ip,
    hostPid: info.hostPid,
    hostNetwork: info.hostNetwork,
    hostIpc: info.hostIpc,
    labels: info.labels,
    k8s: podInfo(info, k8s),
    mesos: taskInfo(mesos),
  };
}

export interface ContainerMetadata {
  readonly provider: ContainerMetadataProvider;
  readonly service: MetadataService;
  /**
   * For an event of container `id`: a promise to await before evaluating it when this is the
   * first event seen of a container whose record has not arrived yet (bounded by the service's
   * `waitMs`), or of a pod container whose pod the API server has not described yet (bounded by
   * `POD_WAIT_MS`); else undefined. Each container is waited for once: a container no runtime
   * knows costs one short wait, not one per event.
   */
  awaitFirstSight(id: string): Promise<void> | undefined;
}

/** The `plugins:` entries the metadata service reads, as `falco.yaml` gives them. */
export interface MetadataPluginEntries {
  /** The `container` entry's init_config, when `container` is loaded. */
  readonly container?: { readonly initConfig: unknown };
  /** The `k8smeta` entry's init_config, when `k8smeta` is loaded. */
  readonly k8smeta?: { readonly initConfig: unknown };
  /** falco.yaml's `mesos` section (master and Marathon URLs, credentials, poll interval). */
  readonly mesos?: unknown;
}

/**
 * Service options from the loaded entries, as Falco's container and k8smeta plugins read them; the
 * runtime sockets are looked for under `hostRoot` (HOST_ROOT).
 */
export function metadataOptions(entries: MetadataPluginEntries, hostRoot = ''): MetadataServiceOptions {
  const base: MetadataServiceOptions = entries.container ? optionsFromContainerPluginConfig(entries.container.initConfig, hostRoot) : { providers: {} };
  const withMesos: MetadataServiceOptions = { ...base, providers: { ...base.providers, ...optionsFromMesosConfig(entries.mesos) } };
  if (!entries.k8smeta) return withMesos;
  const k8s = k8smetaPluginConfig(entries.k8smeta.initConfig);
  const kubernetes = {
    ...(k8s.nodeName === undefined ? {} : { nodeName: k8s.nodeName }),
    ...(k8s.kubeconfig === undefined ? {} : { kubeconfig: k8s.kubeconfig }),
    ...(k8s.collector === undefined ? {} : { collector: k8s.collector }),
  };
  return { ...withMesos, providers: { ...withMesos.providers, kubernetes } };
}

/** Builds the service from the loaded plugin entries; runtime sockets are looked for under `hostRoot`. */
export function containerMetadata(entries: MetadataPluginEntries, hostRoot: string): ContainerMetadata {
  const service = new MetadataService(metadataOptions(entries, hostRoot));
  const k8sEnabled = entries.k8smeta !== undefined;
  const mesosEnabled = entries.mesos !== undefined && entries.mesos !== null;
  const converted = new Map<string, { from: MetaInfo; k8s: K8sMetadata | undefined; mesos: MesosMetadata | undefined; to: EngineContainerInfo }>();
  const provider: ContainerMetadataProvider = {
    lookup(id) {
      const info = service.lookupContainer(id);
      if (!info) return undefined;
      const k8s = service.k8sForContainer(info.id);
      const mesos = mesosEnabled ? service.mesosForContainer(info.id) : undefined;
      const cached = converted.get(id);
      if (cached && cached.from === info && cached.k8s === k8s && cached.mesos === mesos) return cached.to;
      const to = convert(info, k8s, mesos);
      converted.set(id, { from: info, k8s, mesos, to });
      return to;
    },
    onContainerSeen(c) {
      service.lookupContainer(c.fullId || c.id, RUNTIMES.has(c.runtime) ? (c.runtime as MetaRuntime) : undefined);
    },
  };
  // A pod container whose pod the API has not described yet (the kubelet labels are there, the
  // pod's watch event is not): its first alert waits for the pod, as for the container record.
  const podPending = (id: string): boolean => {
    if (!k8sEnabled) return false;
    const info = service.lookupContainer(id);
    return info?.pod !== undefined && service.k8sForContainer(info.id)?.pod === undefined;
  };
  const waitForPod = async (id: string): Promise<void> => {
    const deadline = Date.now() + POD_WAIT_MS;
    while (podPending(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  // Per container: when it was first seen, until nothing more is worth waiting for. A runtime's
  // record can land after the first event's wait (the first events are runc's, during the start);
  // the pod's wait then happens on the first event after the record, within RECORD_WINDOW_MS of sight.
  const firstSeen = new Map<string, number>();
  const settled = new Set<string>();
  const podWait = (id: string): Promise<void> | undefined => {
    if (!k8sEnabled || Date.now() - firstSeen.get(id)! > RECORD_WINDOW_MS) return settle(id);
    if (service.lookupContainer(id) === undefined) return undefined;
    const pending = podPending(id);
    settle(id);
    return pending ? waitForPod(id) : undefined;
  };
  const settle = (id: string): undefined => {
    settled.add(id);
    firstSeen.delete(id);
    return undefined;
  };
  const awaitFirstSight = (id: string): Promise<void> | undefined => {
    if (settled.has(id)) return undefined;
    if (firstSeen.has(id)) return podWait(id);
    firstSeen.set(id, Date.now());
    if (provider.lookup(id) !== undefined) return podWait(id);
    return service.waitForContainer(id).then(() => podWait(id));
  };
  return { provider, service, awaitFirstSight };
}
