// The cluster-wide objects NetworkPolicy evaluation needs, through @kubernetes/client-node
// informers: NetworkPolicies, every pod (policies select peers on any node), namespaces, nodes,
// Services and EndpointSlices. Each change goes to the listener as the API object; what to make
// of it is the listener's business (the detector feeds @falco-ts/netpol). Failures are retried
// with backoff, as the metadata provider does.
import {
  CoreV1Api,
  DiscoveryV1Api,
  NetworkingV1Api,
  VersionApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
} from '@kubernetes/client-node';
import { responseError, unreachableError } from '../errors';
import type { ProviderHealth } from '../provider';
import { Reconnector, type BackoffOptions } from '../reconnector';
import { loadConfig } from './kubernetes';

export type ClusterResource = 'networkpolicies' | 'pods' | 'namespaces' | 'nodes' | 'services' | 'endpointslices';

export const CLUSTER_RESOURCES: readonly ClusterResource[] = ['networkpolicies', 'pods', 'namespaces', 'nodes', 'services', 'endpointslices'];

export interface ClusterChange {
  readonly resource: ClusterResource;
  readonly type: 'add' | 'update' | 'delete';
  readonly object: KubernetesObject;
}

export interface ClusterWatchOptions {
  readonly kubeconfig?: string;
  readonly inCluster?: boolean;
  readonly inClusterRoot?: string;
  readonly backoff?: BackoffOptions;
}

type Tracked = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

const PATHS: Record<ClusterResource, string> = {
  networkpolicies: '/apis/networking.k8s.io/v1/networkpolicies',
  pods: '/api/v1/pods',
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  services: '/api/v1/services',
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
};

export class ClusterWatch {
  readonly name = 'kubernetes-cluster';
  private readonly kc: KubeConfig;
  private readonly endpoint: string;
  private readonly informers = new Map<ClusterResource, Tracked>();
  private readonly listed = new Set<ClusterResource>();
  private readonly failing = new Set<ClusterResource>();
  private readonly reconnector: Reconnector;

  constructor(
    options: ClusterWatchOptions,
    private readonly onChange: (change: ClusterChange) => void,
  ) {
    this.kc = loadConfig(options);
    this.endpoint = this.kc.getCurrentCluster()?.server ?? '';
    const core = this.kc.makeApiClient(CoreV1Api);
    const networking = this.kc.makeApiClient(NetworkingV1Api);
    const discovery = this.kc.makeApiClient(DiscoveryV1Api);
    const lists: Record<ClusterResource, () => ReturnType<ListPromise<KubernetesObject>>> = {
      networkpolicies: () => networking.listNetworkPolicyForAllNamespaces(),
      pods: () => core.listPodForAllNamespaces(),
      namespaces: () => core.listNamespace(),
      nodes: () => core.listNode(),
      services: () => core.listServiceForAllNamespaces(),
      endpointslices: () => discovery.listEndpointSliceForAllNamespaces(),
    };
    for (const r of CLUSTER_RESOURCES) this.track(r, lists[r]);
    this.reconnector = new Reconnector(this.name, this.endpoint, () => void this.recover(), options.backoff);
  }

  start(): void {
    for (const inf of this.informers.values()) void inf.start();
  }

  /** Every resource has been listed once: the model is complete enough for verdicts. */
  synced(): boolean {
    return this.listed.size === this.informers.size;
  }

  health(): ProviderHealth {
    return this.reconnector.health();
  }

  async close(): Promise<void> {
    this.reconnector.close();
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  private track(resource: ClusterResource, list: () => ReturnType<ListPromise<KubernetesObject>>): void {
    // As in the metadata provider: a rejected list is reported here and that attempt left pending
    // (the informer would otherwise leave it unhandled); recovery restarts the informer.
    const guardedList: ListPromise<KubernetesObject> = () =>
      list().then(
        (result) => {
          this.listed.add(resource);
          this.failing.delete(resource);
          if (this.failing.size === 0 && this.synced()) this.reconnector.connected();
          return result;
        },
        (err: unknown) => {
          this.fail(resource, err);
          return new Promise<never>(() => undefined);
        },
      );
    const informer = makeInformer(this.kc, PATHS[resource], guardedList) as Tracked;
    for (const type of ['add', 'update', 'delete'] as const) {
      informer.on(type, (object: KubernetesObject) => {
        try {
          this.onChange({ resource, type, object });
        } catch {
          // A listener failure must not stop the watch; the listener reports its own problems.
        }
      });
    }
    informer.on('error', (err) => this.fail(resource, err));
    this.informers.set(resource, informer);
  }

  private fail(resource: ClusterResource, err: unknown): void {
    this.failing.add(resource);
    const e = err as { statusCode?: unknown; code?: unknown };
    const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
    const what = `the ${resource} ${this.listed.has(resource) ? 'watch' : 'list'}`;
    this.reconnector.failed(status === undefined ? unreachableError(this.name, this.endpoint, err) : responseError(this.name, this.endpoint, `HTTP ${status} from ${what}`));
  }

  private async recover(): Promise<void> {
    try {
      await this.kc.makeApiClient(VersionApi).getCode();
    } catch (err) {
      this.reconnector.failed(unreachableError(this.name, this.endpoint, err));
      return;
    }
    const restart = [...this.failing];
    this.failing.clear();
    for (const r of restart) {
      const inf = this.informers.get(r);
      if (!inf) continue;
      await inf.stop();
      void inf.start();
    }
    if (this.failing.size === 0 && this.synced()) this.reconnector.connected();
  }
}
