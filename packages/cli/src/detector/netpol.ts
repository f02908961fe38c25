/**
 * NetworkPolicy verdicts in the detector: a cluster-wide watch (through `@falco-ts/metadata`'s
 * Kubernetes connection) feeds a `NetpolIndex`, and the syscall source asks it about each new
 * flow. Until every resource has been listed once the provider answers nothing, so the netpol.*
 * fields read as missing rather than as verdicts over half a cluster. Started only when a loaded
 * rule reads a netpol.* field: the watch covers every pod of the cluster.
 */
import type { CompiledRule, NetworkPolicyProvider } from '@falco-ts/engine';
import { watchCluster, type ClusterWatch, type ClusterWatchOptions } from '@falco-ts/metadata';
import { NetpolIndex, applyObject } from '@falco-ts/netpol';

export interface NetworkPolicies {
  readonly index: NetpolIndex;
  readonly watch: ClusterWatch;
  readonly provider: NetworkPolicyProvider;
  close(): Promise<void>;
}

/** Whether any of the rules reads a netpol.* field, in its (expanded) condition or its output. */
export function rulesUseNetpol(rules: readonly CompiledRule[]): boolean {
  return rules.some((r) => r.enabled && (r.output.includes('%netpol.') || JSON.stringify(r.ast).includes('"netpol.')));
}

export function networkPolicies(options: ClusterWatchOptions, log: (message: string) => void = () => undefined): NetworkPolicies {
  const index = new NetpolIndex();
  const watch = watchCluster(options, (change) => {
    try {
      const problem = applyObject(index, change.resource, change.type, change.object);
      if (problem) log(`NetworkPolicy not in force: ${problem.message}`);
    } catch (err) {
      log(`ignored a ${change.resource} object: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  watch.start();
  return {
    index,
    watch,
    provider: { evaluate: (flow) => (watch.synced() ? index.evaluateAddresses(flow) : undefined) },
    close: () => watch.close(),
  };
}
