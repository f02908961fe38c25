// The cluster-wide watch for NetworkPolicy evaluation. The client library (over a second of
// start-up on a busy machine) loads only when a watch is created.
import type * as ClusterRuntime from './orchestrators/cluster-watch';
import type { ClusterChange, ClusterWatch, ClusterWatchOptions } from './orchestrators/cluster-watch';

export type { ClusterChange, ClusterResource, ClusterWatch, ClusterWatchOptions } from './orchestrators/cluster-watch';

/** Creates (not yet started) a watch of NetworkPolicies, pods, namespaces, nodes, Services and EndpointSlices. */
export function watchCluster(options: ClusterWatchOptions, onChange: (change: ClusterChange) => void): ClusterWatch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ClusterWatch: Watch } = require('./orchestrators/cluster-watch') as typeof ClusterRuntime;
  return new Watch(options, onChange);
}
