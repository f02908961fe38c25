/**
 * How container and Kubernetes metadata reaches the syscall source. The engine does not talk to
 * container runtimes itself: the host (the CLI, wiring `@falco-ts/metadata`) supplies a provider.
 * Lookups happen on the event path, so they must answer from a cache and never block; a provider
 * learns about new containers through `onContainerSeen` and fills its cache asynchronously.
 */
import type { ContainerRuntime } from './cgroups';

export interface ContainerMount {
  readonly source: string;
  readonly dest: string;
  readonly mode: string;
  readonly rdwr: boolean;
  readonly propagation: string;
}

/** A Kubernetes object a pod belongs to or is selected by: what `k8s.*`/`k8smeta.*` fields read. */
export interface KubernetesObjectInfo {
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface KubernetesPodInfo {
  readonly podName?: string;
  readonly namespace?: string;
  readonly podUid?: string;
  readonly sandboxId?: string;
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly podIp?: string;
  readonly cniJson?: string;
  /** The pod's namespace object (uid and labels); absent without an API connection. */
  readonly namespaceInfo?: KubernetesObjectInfo;
  readonly deployment?: KubernetesObjectInfo;
  readonly replicaSet?: KubernetesObjectInfo;
  readonly replicationController?: KubernetesObjectInfo;
  /** Services whose selector matches the pod's labels, by name. */
  readonly services?: readonly KubernetesObjectInfo[];
}

/** The Mesos task a container runs, its framework and (when Marathon started it) its app. */
export interface MesosTaskInfo {
  readonly taskId?: string;
  readonly taskName?: string;
  readonly taskLabels?: Readonly<Record<string, string>>;
  readonly frameworkId?: string;
  readonly frameworkName?: string;
  readonly appId?: string;
  readonly appName?: string;
  readonly appLabels?: Readonly<Record<string, string>>;
  /** The app's group path (`/shop` for `/shop/web`), which Marathon uses as the group's id. */
  readonly groupId?: string;
}

export interface ContainerInfo {
  /** Short id (12 hex digits, or the runtime's name for the container). */
  readonly id: string;
  readonly fullId?: string;
  readonly name?: string;
  /** Runtime kind as `container.type` reports it (docker, containerd, cri-o, podman, …). */
  readonly type?: string;
  readonly image?: string;
  readonly imageId?: string;
  readonly imageRepository?: string;
  readonly imageTag?: string;
  readonly imageDigest?: string;
  readonly privileged?: boolean;
  readonly mounts?: readonly ContainerMount[];
  readonly healthcheck?: string;
  readonly livenessProbe?: string;
  readonly readinessProbe?: string;
  readonly ip?: string;
  readonly cniJson?: string;
  readonly hostPid?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostIpc?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly k8s?: KubernetesPodInfo;
  readonly mesos?: MesosTaskInfo;
}

export interface ContainerMetadataProvider {
  /** The cached metadata of a container, or undefined when not (yet) known. Must not block. */
  lookup(containerId: string): ContainerInfo | undefined;
  /** Called the first time the source sees a container, so the provider can start fetching. */
  onContainerSeen?(container: { id: string; fullId: string; runtime: ContainerRuntime; pid: number }): void;
}

/** A provider that knows nothing: container.* fields other than the id read as missing. */
export const NO_CONTAINER_METADATA: ContainerMetadataProvider = { lookup: () => undefined };
