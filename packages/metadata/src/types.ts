// The records this package hands out. Field names follow what the detector's `container.*`,
// `k8s.*`, `mesos.*` and `marathon.*` fields need; a value the runtime does not know is `undefined`
// here and becomes `null`/`<NA>` in an alert.

/** The container runtime a record came from (Falco's `container.type` values). */
export type ContainerRuntime = 'docker' | 'podman' | 'containerd' | 'cri-o';

export interface ContainerMount {
  readonly source: string;
  readonly destination: string;
  /** The mode string the runtime reports (Docker: `"ro"`, `"z"`, `""`). */
  readonly mode: string;
  readonly rw: boolean;
  /** Mount propagation (`rprivate`, `rshared`, …); empty when the runtime does not say. */
  readonly propagation: string;
}

export interface ContainerHealthcheck {
  readonly test: readonly string[];
  /** Last status the runtime reported (`starting`, `healthy`, `unhealthy`). */
  readonly status?: string;
}

/** Kubernetes identity read from the CRI labels a kubelet puts on every container. */
export interface CriPodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly containerName?: string;
  readonly sandboxId?: string;
}

export interface ContainerInfo {
  /** Full id as the runtime knows it (64 hex digits for Docker, Podman and CRI-O). */
  readonly id: string;
  readonly runtime: ContainerRuntime;
  /** Name without Docker's leading slash. */
  readonly name: string;
  /** The image as the container was created from it (`busybox:1.36`, `repo@sha256:…`). */
  readonly image: string;
  readonly imageId?: string;
  readonly imageRepository?: string;
  readonly imageTag?: string;
  readonly imageDigest?: string;
  readonly privileged: boolean;
  readonly mounts: readonly ContainerMount[];
  readonly labels: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly ip?: string;
  readonly hostNetwork: boolean;
  readonly hostPid: boolean;
  readonly hostIpc: boolean;
  /** CPU limit in CPUs (fractional), from NanoCpus or quota/period. */
  readonly cpuLimit?: number;
  readonly cpuShares?: number;
  /** Memory limit in bytes; `undefined` when unlimited. */
  readonly memoryLimit?: number;
  readonly healthcheck?: ContainerHealthcheck;
  /** Start time in nanoseconds since the epoch (as a bigint: Falco's `container.start_ts`). */
  readonly startTs?: bigint;
  /** Set when the runtime reported the container gone; the record is kept for a grace period. */
  readonly exitedAt?: number;
  readonly pod?: CriPodIdentity;
  /** `MESOS_TASK_ID` from the container's environment, when a Mesos executor started it. */
  readonly mesosTaskId?: string;
}

export interface ObjectRef {
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface K8sPodInfo extends ObjectRef {
  readonly namespace: string;
  readonly ip?: string;
  readonly nodeName?: string;
  /** Full container ids (runtime prefix removed) from the pod status. */
  readonly containerIds: readonly string[];
  /** The controller chain as owner references name it. */
  readonly owner?: { readonly kind: string; readonly name: string; readonly uid: string };
}

/** Everything `k8s.*` fields need for one container, resolved through the caches. */
export interface K8sMetadata {
  readonly pod?: K8sPodInfo;
  /** When only the CRI labels are known (informers not synced, or no API access). */
  readonly podIdentity?: CriPodIdentity;
  readonly namespace?: ObjectRef;
  readonly replicaSet?: ObjectRef;
  readonly deployment?: ObjectRef;
  readonly replicationController?: ObjectRef;
  readonly services: readonly ObjectRef[];
}

export interface MesosMetadata {
  readonly task?: { readonly id: string; readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly framework?: { readonly id: string; readonly name: string };
  readonly marathonApp?: {
    readonly id: string;
    readonly name: string;
    readonly groupName: string;
    readonly labels: Readonly<Record<string, string>>;
  };
}
