/**
 * The shapes the evaluator works on. Policies are `networking.k8s.io/v1` NetworkPolicy objects as
 * the API serves them (or as a test writes them, before API-server defaulting). Pods, namespaces,
 * nodes, Services and EndpointSlices are reduced to the few facts policy evaluation needs;
 * `objects.ts` builds these records from the API objects.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type Labels = Readonly<Record<string, string>>;

// ---- networking.k8s.io/v1 NetworkPolicy (the fields evaluation reads) ----

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator | string;
  readonly values?: readonly string[] | null;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[] | null;
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector | null;
  readonly namespaceSelector?: LabelSelector | null;
  readonly ipBlock?: IPBlock | null;
}

export interface NetworkPolicyPort {
  /** Defaults to TCP. */
  readonly protocol?: Protocol | string | null;
  /** A number, or the name of a container port of the destination pod. Absent: every port. */
  readonly port?: number | string | null;
  /** With a numeric `port`: the last port of the range `port..endPort`. */
  readonly endPort?: number | null;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[] | null;
  readonly ports?: readonly NetworkPolicyPort[] | null;
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[] | null;
  readonly ports?: readonly NetworkPolicyPort[] | null;
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector | null;
  readonly policyTypes?: readonly (PolicyType | string)[] | null;
  readonly ingress?: readonly NetworkPolicyIngressRule[] | null;
  readonly egress?: readonly NetworkPolicyEgressRule[] | null;
}

export interface NetworkPolicy {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly uid?: string };
  readonly spec: NetworkPolicySpec;
}

// ---- the cluster as evaluation sees it ----

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  /** Defaults to TCP. */
  readonly protocol?: Protocol | string;
}

export interface PodRecord {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** status.podIPs (the first is status.podIP). For a host-network pod these are its node's. */
  readonly ips: readonly string[];
  readonly nodeName?: string;
  /** status.hostIPs: the node's addresses, known even before the Node object is. */
  readonly hostIPs?: readonly string[];
  readonly hostNetwork?: boolean;
  readonly ports?: readonly ContainerPort[];
}

export interface NamespaceRecord {
  readonly name: string;
  readonly labels: Labels;
}

export interface NodeRecord {
  readonly name: string;
  readonly ips: readonly string[];
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: Protocol | string;
  /** A number, or the name of a container port; defaults to `port`. */
  readonly targetPort?: number | string;
}

export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  /** spec.clusterIPs (and external IPs, if wanted); connects to these are seen before DNAT. */
  readonly clusterIPs: readonly string[];
  readonly ports: readonly ServicePort[];
  /** spec.selector; used for the backends when no EndpointSlice of the Service is known. */
  readonly selector?: Labels;
}

export interface EndpointSliceRecord {
  readonly namespace: string;
  readonly name: string;
  /** The `kubernetes.io/service-name` label. */
  readonly service: string;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol?: Protocol | string }[];
  readonly endpoints: readonly {
    readonly addresses: readonly string[];
    /** conditions.ready; an endpoint that is explicitly not ready gets no traffic. */
    readonly ready?: boolean;
    readonly targetPod?: { readonly namespace: string; readonly name: string };
  }[];
}

// ---- flows and verdicts ----

/** An end of a flow: an address, or a pod by name (the conformance model names pods). */
export type EndpointRef = { readonly ip: string } | { readonly namespace: string; readonly name: string };

export interface Flow {
  readonly source: EndpointRef;
  readonly destination: EndpointRef;
  /** Destination port. NetworkPolicy ports always mean the destination port. */
  readonly port: number;
  readonly protocol: Protocol;
}

export type Verdict = 'allowed' | 'denied' | 'indeterminate';

export type PeerKind = 'pod' | 'service' | 'node' | 'external' | 'loopback';

/** Why a direction got its verdict. */
export type VerdictReason =
  /** The end is not a pod (node, external address), so no policy applies on this side. */
  | 'not-a-pod'
  /** No policy of this direction selects the pod: everything is allowed. */
  | 'not-isolated'
  /** A rule of at least one selecting policy matches. */
  | 'allowed-by-policy'
  /** Policies select the pod for this direction and none of their rules matches. */
  | 'no-rule-matches'
  /** Ingress from the pod's own node is always allowed. */
  | 'own-node'
  /** Traffic that stays on the loopback interface is not subject to policy. */
  | 'loopback'
  /** A host-network pod is involved: whether policies see it as a pod depends on the network plugin. */
  | 'host-network'
  /** A Service whose backends disagree, or which has no backends. */
  | 'service-backends';

export interface DirectionVerdict {
  readonly verdict: Verdict;
  readonly reason: VerdictReason;
  /**
   * The deciding policies, as `namespace/name`, sorted: for an allowed flow the policies with a
   * matching rule; for a denied one every policy that isolates the pod in this direction.
   */
  readonly policies: readonly string[];
  /**
   * Whether the peer appears in some rule's peer list (ports aside) of a policy that selects this
   * side's pod, in either direction; undefined when no policy selects it (or it is not a pod).
   */
  readonly peerListed?: boolean;
}

export interface ResolvedEndpoint {
  readonly kind: PeerKind;
  /** `namespace/name` for pods and Services, the node name for nodes, else the address. */
  readonly identity: string;
  readonly namespace?: string;
  readonly ip?: string;
}

export interface FlowVerdict {
  /** Denied when a direction is denied; indeterminate when one is; allowed when both are. */
  readonly verdict: Verdict;
  /** The source pod's egress side. */
  readonly egress: DirectionVerdict;
  /** The destination pod's ingress side. */
  readonly ingress: DirectionVerdict;
  readonly source: ResolvedEndpoint;
  readonly destination: ResolvedEndpoint;
  /** Every deciding policy of both directions, sorted. */
  readonly policies: readonly string[];
}
