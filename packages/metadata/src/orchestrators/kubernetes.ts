// Kubernetes through @kubernetes/client-node informers: the pods on this node (field selector on
// the node name), plus namespaces, deployments, replica sets, replication controllers and
// services cluster-wide, for `k8s.*` fields. Container ids map to pods through pod status.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  VersionApi,
  makeInformer,
  type Informer,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
  type V1Deployment,
  type V1Namespace,
  type V1Pod,
  type V1ReplicaSet,
  type V1ReplicationController,
  type V1Service,
} from '@kubernetes/client-node';
import os from 'node:os';
import { configError, responseError, unreachableError } from '../errors';
import { K8sIndex, type ObjectSource } from '../k8s-index';
import type { KubernetesProvider, ProviderHealth, WatchHealth } from '../provider';
import { Reconnector } from '../reconnector';
import type { KubernetesOptions, KubernetesResource } from '../providers/kubernetes';
import type { CriPodIdentity, K8sMetadata } from '../types';

const ALL_RESOURCES: readonly KubernetesResource[] = ['namespaces', 'deployments', 'replicasets', 'replicationcontrollers', 'services'];

type Tracked = Informer<KubernetesObject> & ObjectCache<KubernetesObject> & { latestResourceVersion?(): string };

interface WatchCounters {
  lists: number;
  events: number;
  lastError?: string;
}

export function loadConfig(options: Pick<KubernetesOptions, 'kubeconfig' | 'inCluster' | 'inClusterRoot'>): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else if (options.inCluster) kc.loadFromCluster(options.inClusterRoot);
    else kc.loadFromDefault();
  } catch (err) {
    throw configError('kubernetes.kubeconfig', `cannot load Kubernetes configuration: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!kc.getCurrentCluster()) throw configError('kubernetes.kubeconfig', 'the Kubernetes configuration names no current cluster');
  return kc;
}

export class KubernetesInformers implements KubernetesProvider {
  readonly name = 'kubernetes';
  private readonly kc: KubeConfig;
  private readonly informers = new Map<string, Tracked>();
  private readonly listed = new Set<string>();
  private readonly failing = new Set<string>();
  private readonly counters = new Map<string, WatchCounters>();
  private readonly reconnector: Reconnector;
  private readonly index: K8sIndex;
  private readonly endpoint: string;

  constructor(options: KubernetesOptions) {
    this.kc = loadConfig(options);
    this.endpoint = this.kc.getCurrentCluster()?.server ?? '';
    const node = options.nodeName ?? process.env['FALCO_K8S_NODE_NAME'] ?? process.env['NODE_NAME'] ?? os.hostname();
    const resources = options.resources ?? ALL_RESOURCES;
    for (const r of resources) if (!ALL_RESOURCES.includes(r)) throw configError('kubernetes.resources', `unknown resource "${r}"; known: ${ALL_RESOURCES.join(', ')}`);
    const core = this.kc.makeApiClient(CoreV1Api);
    const apps = this.kc.makeApiClient(AppsV1Api);
    const nodeSelector = `spec.nodeName=${node}`;
    this.track('pods', '/api/v1/pods', () => core.listPodForAllNamespaces(undefined, undefined, nodeSelector), nodeSelector);
    if (resources.includes('namespaces')) this.track('namespaces', '/api/v1/namespaces', () => core.listNamespace());
    if (resources.includes('deployments')) this.track('deployments', '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces());
    if (resources.includes('replicasets')) this.track('replicasets', '/apis/apps/v1/replicasets', () => apps.listReplicaSetForAllNamespaces());
    if (resources.includes('replicationcontrollers')) {
      this.track('replicationcontrollers', '/api/v1/replicationcontrollers', () => core.listReplicationControllerForAllNamespaces());
    }
    if (resources.includes('services')) this.track('services', '/api/v1/services', () => core.listServiceForAllNamespaces());
    const source = <T>(name: string): ObjectSource<T> | undefined => this.informers.get(name) as ObjectSource<T> | undefined;
    this.index = new K8sIndex({
      pods: source<V1Pod>('pods')!,
      ...opt('namespaces', source<V1Namespace>('namespaces')),
      ...opt('deployments', source<V1Deployment>('deployments')),
      ...opt('replicaSets', source<V1ReplicaSet>('replicasets')),
      ...opt('replicationControllers', source<V1ReplicationController>('replicationcontrollers')),
      ...opt('services', source<V1Service>('services')),
    });
    this.reconnector = new Reconnector(this.name, this.endpoint, () => void this.recover(), options.backoff);
  }

  start(): void {
    for (const inf of this.informers.values()) void inf.start();
  }

  forContainer(containerId: string, identity?: CriPodIdentity): K8sMetadata | undefined {
    return this.index.forContainer(containerId, identity);
  }

  synced(): boolean {
    return this.listed.size === this.informers.size;
  }

  health(): ProviderHealth {
    return { ...this.reconnector.health(), watches: [...this.informers.keys()].map((name) => this.watchHealth(name)) };
  }

  private watchHealth(name: string): WatchHealth {
    const c = this.counters.get(name)!;
    const informer = this.informers.get(name)!;
    const rv = informer.latestResourceVersion?.();
    return {
      resource: name,
      state: this.failing.has(name) ? 'failed' : this.listed.has(name) ? 'watching' : 'listing',
      objects: informer.list().length,
      events: c.events,
      relists: Math.max(0, c.lists - 1),
      ...(rv ? { resourceVersion: rv } : {}),
      ...(c.lastError === undefined ? {} : { lastError: c.lastError }),
    };
  }

  async close(): Promise<void> {
    this.reconnector.close();
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  private track(name: string, path: string, list: () => ReturnType<ListPromise<KubernetesObject>>, fieldSelector?: string): void {
    // The informer awaits the list inside a callback nobody catches; a rejected list would be an
    // unhandled rejection. Report it here and leave that attempt pending: recovery restarts it.
    const counters: WatchCounters = { lists: 0, events: 0 };
    this.counters.set(name, counters);
    const guardedList: ListPromise<KubernetesObject> = () =>
      list().then(
        (result) => {
          counters.lists++;
          this.listed.add(name);
          this.failing.delete(name);
          this.index.invalidate();
          this.maybeConnected();
          return result;
        },
        (err: unknown) => {
          this.fail(name, err);
          return new Promise<never>(() => undefined);
        },
      );
    const informer = makeInformer(this.kc, path, guardedList, undefined, fieldSelector) as Tracked;
    const changed = () => {
      counters.events++;
      this.index.invalidate();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (err) => this.fail(name, err));
    this.informers.set(name, informer);
  }

  private fail(name: string, err: unknown): void {
    this.failing.add(name);
    const error = this.classify(err, `the ${name} ${this.listed.has(name) ? 'watch' : 'list'}`);
    this.counters.get(name)!.lastError = error.message;
    this.reconnector.failed(error);
  }

  /** HTTP errors carry a numeric status (response or watch ERROR event); anything else is transport. */
  private classify(err: unknown, what: string): Error {
    const e = err as { statusCode?: unknown; code?: unknown };
    const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
    return status === undefined
      ? unreachableError(this.name, this.endpoint, err)
      : responseError(this.name, this.endpoint, `HTTP ${status} from ${what}`);
  }

  private maybeConnected(): void {
    if (this.failing.size === 0 && this.synced()) this.reconnector.connected();
  }

  /** Probe the API server; when it answers, restart the informers that stopped on errors. */
  private async recover(): Promise<void> {
    try {
      await this.kc.makeApiClient(VersionApi).getCode();
    } catch (err) {
      this.reconnector.failed(this.classify(err, 'the version probe'));
      return;
    }
    const restart = [...this.failing];
    this.failing.clear();
    for (const name of restart) {
      const inf = this.informers.get(name);
      if (!inf) continue;
      await inf.stop();
      void inf.start();
    }
    this.maybeConnected();
  }
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
