// Indexes over what the Kubernetes informers hold: container id → pod, pod → controller chain and
// services. Rebuilt lazily: informer callbacks only bump a generation counter, and a lookup
// recomputes one container's answer at most once per generation.
import type { V1Namespace, V1ObjectMeta, V1Pod, V1ReplicaSet, V1ReplicationController, V1Service, V1Deployment } from '@kubernetes/client-node';
import type { CriPodIdentity, K8sMetadata, K8sPodInfo, ObjectRef } from './types';

export interface ObjectSource<T> {
  list(namespace?: string): T[];
  get(name: string, namespace?: string): T | undefined;
}

export interface K8sSources {
  readonly pods: ObjectSource<V1Pod>;
  readonly namespaces?: ObjectSource<V1Namespace>;
  readonly replicaSets?: ObjectSource<V1ReplicaSet>;
  readonly deployments?: ObjectSource<V1Deployment>;
  readonly replicationControllers?: ObjectSource<V1ReplicationController>;
  readonly services?: ObjectSource<V1Service>;
}

/** `docker://abc…`, `containerd://abc…`, `cri-o://abc…` → `abc…`. */
export function stripRuntimePrefix(containerId: string): string {
  const i = containerId.indexOf('://');
  return i >= 0 ? containerId.slice(i + 3) : containerId;
}

function ref(meta: V1ObjectMeta | undefined): ObjectRef | undefined {
  if (!meta?.name) return undefined;
  return { name: meta.name, uid: meta.uid ?? '', labels: meta.labels ?? {} };
}

function controllerOf(meta: V1ObjectMeta | undefined): { kind: string; name: string; uid: string } | undefined {
  const owner = meta?.ownerReferences?.find((o) => o.controller) ?? meta?.ownerReferences?.[0];
  return owner ? { kind: owner.kind, name: owner.name, uid: owner.uid } : undefined;
}

export function podInfo(pod: V1Pod): K8sPodInfo {
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const owner = controllerOf(pod.metadata);
  return {
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    namespace: pod.metadata?.namespace ?? '',
    labels: pod.metadata?.labels ?? {},
    ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    containerIds: statuses.map((s) => s.containerID).filter((id): id is string => !!id).map(stripRuntimePrefix),
    ...(owner ? { owner } : {}),
  };
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

export class K8sIndex {
  private generation = 0;
  private indexedGeneration = -1;
  private readonly byContainer = new Map<string, V1Pod>();
  private readonly byUid = new Map<string, V1Pod>();
  private readonly answers = new Map<string, { generation: number; identity: CriPodIdentity | undefined; meta: K8sMetadata | undefined }>();

  constructor(private readonly sources: K8sSources) {}

  /** Called from informer callbacks: cheap, the work happens on the next lookup. */
  invalidate(): void {
    this.generation++;
  }

  forContainer(containerId: string, identity?: CriPodIdentity): K8sMetadata | undefined {
    // Keyed by container id alone (no string building per lookup); the identity is compared.
    const cached = this.answers.get(containerId);
    if (cached && cached.generation === this.generation && cached.identity === identity) return cached.meta;
    this.reindex();
    const pod = this.byContainer.get(containerId) ?? (identity ? this.byUid.get(identity.uid) : undefined);
    const meta = pod ? this.resolve(pod, identity) : identity ? { podIdentity: identity, services: [] } : undefined;
    if (this.answers.size > 10000) this.answers.clear();
    this.answers.set(containerId, { generation: this.generation, identity, meta });
    return meta;
  }

  private reindex(): void {
    if (this.indexedGeneration === this.generation) return;
    this.byContainer.clear();
    this.byUid.clear();
    for (const pod of this.sources.pods.list()) {
      if (pod.metadata?.uid) this.byUid.set(pod.metadata.uid, pod);
      for (const id of podInfo(pod).containerIds) {
        this.byContainer.set(id, pod);
        // Cgroup parsers and Falco both use 12-character ids for Docker-style runtimes.
        if (id.length === 64) this.byContainer.set(id.slice(0, 12), pod);
      }
    }
    this.indexedGeneration = this.generation;
  }

  private resolve(pod: V1Pod, identity: CriPodIdentity | undefined): K8sMetadata {
    const info = podInfo(pod);
    const ns = info.namespace;
    const namespace = ref(this.sources.namespaces?.get(ns)?.metadata);
    let replicaSet: ObjectRef | undefined;
    let deployment: ObjectRef | undefined;
    let replicationController: ObjectRef | undefined;
    if (info.owner?.kind === 'ReplicaSet') {
      const rs = this.sources.replicaSets?.get(info.owner.name, ns);
      replicaSet = ref(rs?.metadata) ?? { name: info.owner.name, uid: info.owner.uid, labels: {} };
      const rsOwner = controllerOf(rs?.metadata);
      if (rsOwner?.kind === 'Deployment') {
        deployment = ref(this.sources.deployments?.get(rsOwner.name, ns)?.metadata) ?? { name: rsOwner.name, uid: rsOwner.uid, labels: {} };
      }
    } else if (info.owner?.kind === 'ReplicationController') {
      replicationController =
        ref(this.sources.replicationControllers?.get(info.owner.name, ns)?.metadata) ?? { name: info.owner.name, uid: info.owner.uid, labels: {} };
    }
    const services = (this.sources.services?.list(ns) ?? [])
      .filter((svc) => selects(svc.spec?.selector, info.labels as Record<string, string>))
      .map((svc) => ref(svc.metadata))
      .filter((r): r is ObjectRef => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      pod: info,
      ...(identity ? { podIdentity: identity } : {}),
      ...(namespace ? { namespace } : {}),
      ...(replicaSet ? { replicaSet } : {}),
      ...(deployment ? { deployment } : {}),
      ...(replicationController ? { replicationController } : {}),
      services,
    };
  }
}
