/**
 * Container metadata for the syscall source in live runs: the metadata package's service (Docker,
 * Podman, containerd, CRI-O, Kubernetes) behind the engine's `ContainerMetadataProvider`. Records
 * are converted once per container record, not per event.
 */
import type { ContainerInfo as EngineContainerInfo, ContainerMetadataProvider } from '@falco-ts/engine';
import { MetadataService, optionsFromContainerPluginConfig } from '@falco-ts/metadata';

type MetaInfo = NonNullable<ReturnType<MetadataService['lookupContainer']>>;
type MetaRuntime = Parameters<MetadataService['lookupContainer']>[1];

const RUNTIMES: ReadonlySet<string> = new Set(['docker', 'podman', 'containerd', 'cri-o']);

function convert(info: MetaInfo, service: MetadataService): EngineContainerInfo {
  const k8s = service.k8sForContainer(info.id);
  const pod = k8s?.pod;
  const identity = k8s?.podIdentity ?? info.pod;
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
    k8s:
      pod || identity
        ? { podName: pod?.name ?? identity?.name, namespace: pod?.namespace ?? identity?.namespace, podUid: pod?.uid ?? identity?.uid, podLabels: pod?.labels, podIp: pod?.ip }
        : undefined,
  };
}

export interface ContainerMetadata {
  readonly provider: ContainerMetadataProvider;
  readonly service: MetadataService;
  /**
   * For an event of container `id`: a promise to await before evaluating it when this is the
   * first event seen of a container whose record has not arrived yet (bounded by the service's
   * `waitMs`), else undefined. Each container is waited for once: a container no runtime knows
   * costs one short wait, not one per event.
   */
  awaitFirstSight(id: string): Promise<void> | undefined;
}

/**
 * Builds the service from the container plugin's `init_config`, as Falco's plugin reads it; the
 * runtime sockets are looked for under `hostRoot` (HOST_ROOT).
 */
export function containerMetadata(initConfig: unknown, hostRoot: string): ContainerMetadata {
  const service = new MetadataService(optionsFromContainerPluginConfig(initConfig, hostRoot));
  const converted = new Map<string, { from: MetaInfo; to: EngineContainerInfo }>();
  const provider: ContainerMetadataProvider = {
    lookup(id) {
      const info = service.lookupContainer(id);
      if (!info) return undefined;
      const cached = converted.get(id);
      if (cached && cached.from === info) return cached.to;
      const to = convert(info, service);
      converted.set(id, { from: info, to });
      return to;
    },
    onContainerSeen(c) {
      service.lookupContainer(c.fullId || c.id, RUNTIMES.has(c.runtime) ? (c.runtime as MetaRuntime) : undefined);
    },
  };
  const sighted = new Set<string>();
  const awaitFirstSight = (id: string): Promise<void> | undefined => {
    if (sighted.has(id)) return undefined;
    sighted.add(id);
    if (provider.lookup(id) !== undefined) return undefined;
    return service.waitForContainer(id).then(() => undefined);
  };
  return { provider, service, awaitFirstSight };
}
