// Kubernetes through @kubernetes/client-node informers. The implementation, and the client library
// (over a second of startup on a busy machine), load only when this provider is configured.
import type * as KubernetesRuntime from '../orchestrators/kubernetes';
import type * as CollectorRuntime from '../orchestrators/metacollector';
import { defineProvider } from '../provider';
import type { BackoffOptions } from '../reconnector';

export type KubernetesResource = 'namespaces' | 'deployments' | 'replicasets' | 'replicationcontrollers' | 'services';

export interface KubernetesOptions {
  /** Path of a kubeconfig file. Without it: in-cluster config when running in a pod, else ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Force the in-cluster service-account config. */
  readonly inCluster?: boolean;
  /** Root under which the service-account files are read (default `/`; tests point it elsewhere). */
  readonly inClusterRoot?: string;
  /** Node whose pods are watched; default `$FALCO_K8S_NODE_NAME`, `$NODE_NAME`, then the host name. */
  readonly nodeName?: string;
  /** Which cluster-wide resources to watch besides pods; default all. */
  readonly resources?: readonly KubernetesResource[];
  readonly backoff?: BackoffOptions;
  /**
   * A k8s-metacollector to watch instead of the API server (the k8smeta plugin's
   * `collectorHostname`, `collectorPort`, `caPEMBundle`).
   */
  readonly collector?: { readonly hostname: string; readonly port: number; readonly caPEMBundle?: string };
}

export const kubernetesProvider = defineProvider({
  name: 'kubernetes',
  kind: 'kubernetes',
  description: 'Kubernetes API informers for pods on this node and cluster-wide namespaces, deployments, replica sets, replication controllers and services, or a k8s-metacollector\'s Watch stream for the same.',
  defaultEndpoints: ['in-cluster service account', '$KUBECONFIG or ~/.kube/config'],
  create: (options: KubernetesOptions) => {
    if (options.collector) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { MetacollectorClient } = require('../orchestrators/metacollector') as typeof CollectorRuntime;
      return new MetacollectorClient({
        ...options.collector,
        ...(options.nodeName === undefined ? {} : { nodeName: options.nodeName }),
        ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KubernetesInformers } = require('../orchestrators/kubernetes') as typeof KubernetesRuntime;
    return new KubernetesInformers(options);
  },
});
