/**
 * How NetworkPolicy verdicts reach the syscall source. The engine does not evaluate policies
 * itself: the host (the CLI, wiring `@falco-ts/netpol` and the cluster's objects) supplies a
 * provider, as it does for container metadata. `evaluate` runs on the event path for new flows
 * only (connect, accept, the first send of a UDP flow), and must answer from memory.
 */

export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A flow as the kernel reports it: client to server, destination port. */
export interface PolicyFlow {
  readonly sourceIp: string;
  readonly destinationIp: string;
  readonly port: number;
  readonly protocol: PolicyProtocol;
}

export interface PolicySide {
  /** allowed, denied or indeterminate. */
  readonly verdict: string;
  readonly reason: string;
  /** Deciding policies as `namespace/name`. */
  readonly policies: readonly string[];
  /** Whether the peer is named by a rule of a policy selecting this side's pod (undefined: none selects it). */
  readonly peerListed?: boolean;
}

export interface PolicyEnd {
  /** pod, service, node, external or loopback. */
  readonly kind: string;
  /** `namespace/name`, the node name, or the address. */
  readonly identity: string;
  readonly namespace?: string;
}

export interface PolicyVerdict {
  readonly verdict: string;
  readonly egress: PolicySide;
  readonly ingress: PolicySide;
  readonly source: PolicyEnd;
  readonly destination: PolicyEnd;
  readonly policies: readonly string[];
}

export interface NetworkPolicyProvider {
  /** The verdict of a flow, or undefined when the provider has no cluster data. Must not block or throw. */
  evaluate(flow: PolicyFlow): PolicyVerdict | undefined;
}
