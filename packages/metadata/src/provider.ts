// What a provider is: one module per runtime or orchestrator under `src/providers/`, each exporting
// a definition made with `defineProvider`. The service creates the providers the configuration
// enables and talks to them only through these interfaces.
import type { ContainerInfo, ContainerRuntime, K8sMetadata, MesosMetadata } from './types';

export type ProviderKind = 'container' | 'kubernetes' | 'mesos';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface ProviderHealth {
  readonly name: string;
  readonly endpoint: string;
  readonly state: ConnectionState;
  /** Milliseconds since the epoch when `state` last changed. */
  readonly since: number;
  /** Successful connections after the first one. */
  readonly reconnects: number;
  readonly lastError?: string;
  /** One entry per watched resource, for providers that watch (Kubernetes). */
  readonly watches?: readonly WatchHealth[];
}

/** The state of one list-and-watch loop. */
export interface WatchHealth {
  /** The resource as the API names it (`pods`, `namespaces`, `replicasets`, …). */
  readonly resource: string;
  /** `listing` until the first list answers, `watching` after, `failed` from an error until it recovers. */
  readonly state: 'listing' | 'watching' | 'failed';
  /** Objects held for this resource. */
  readonly objects: number;
  /** Watch events applied (added, modified, deleted). */
  readonly events: number;
  /** Lists after the first one (after 410 Gone, an error or an outage). */
  readonly relists: number;
  /** The resourceVersion the watch resumes from, when known. */
  readonly resourceVersion?: string;
  readonly lastError?: string;
}

/** Where container providers deliver what they learn without being asked. */
export interface ContainerSink {
  upsert(info: ContainerInfo): void;
  /** The runtime reported the start (ns since the epoch), before any re-inspect finishes. */
  started(id: string, startTs: bigint): void;
  /** The container stopped; its record stays resolvable for a grace period. */
  exited(id: string, at: number): void;
  /** The container was destroyed; the record goes after the grace period. */
  destroyed(id: string, at: number): void;
}

export interface ContainerProvider {
  readonly name: string;
  readonly runtime: ContainerRuntime;
  start(sink: ContainerSink): void;
  /** Inspect one container; `undefined` when this runtime does not know the id. Rejects when unreachable. */
  fetch(id: string): Promise<ContainerInfo | undefined>;
  health(): ProviderHealth;
  close(): Promise<void>;
}

export interface KubernetesProvider {
  readonly name: string;
  start(): void;
  /** Synchronous, cache-only. */
  forContainer(containerId: string, identity?: ContainerInfo['pod']): K8sMetadata | undefined;
  /** True once every informer has listed at least once. */
  synced(): boolean;
  health(): ProviderHealth;
  close(): Promise<void>;
}

export interface MesosProvider {
  readonly name: string;
  start(): void;
  /** Synchronous, cache-only. `known` is what providers earlier in the list already found. */
  forContainer(containerId: string, info?: ContainerInfo, known?: MesosMetadata): MesosMetadata | undefined;
  /** Bumped whenever a new snapshot is swapped in, so callers can memoise answers. */
  generation(): number;
  health(): ProviderHealth;
  close(): Promise<void>;
}

interface ProviderByKind {
  container: ContainerProvider;
  kubernetes: KubernetesProvider;
  mesos: MesosProvider;
}

export interface ProviderDefinition<K extends ProviderKind = ProviderKind, O = unknown> {
  readonly name: string;
  readonly kind: K;
  /** One sentence for the docs and `--support` output. */
  readonly description: string;
  /** Endpoints tried in order when the configuration names none. */
  readonly defaultEndpoints: readonly string[];
  create(options: O): ProviderByKind[K];
}

export function defineProvider<K extends ProviderKind, O>(definition: ProviderDefinition<K, O>): ProviderDefinition<K, O> {
  return definition;
}
