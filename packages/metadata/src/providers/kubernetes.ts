// Kubernetes through @kubernetes/client-node informers. The implementation, and the client library
// (over a second of startup on a busy machine), load only when this provider is configured.
import type * as KubernetesRuntime from '../orchestrators/kubernetes';
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
}

export const kubernetesProvider = defineProvider({
  name: 'kubernetes',
  kind: 'kubernetes',
  description: 'Kubernetes API informers for pods on this node and cluster-wide namespaces, deployments, replica sets, replication controllers and services.',
  defaultEndpoints: ['in-cluster service account', '$KUBECONFIG or ~/.kube/config'],
  create: (options: KubernetesOptions) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KubernetesInformers } = require('../orchestrators/kubernetes') as typeof KubernetesRuntime;
    return new KubernetesInformers(options);
  },
});
