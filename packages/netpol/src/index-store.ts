/**
 * `NetpolIndex`: the cluster as policy evaluation needs it (namespaces, pods, policies, nodes,
 * Services, EndpointSlices), kept up to date object by object, and the verdict of a flow,
 * computed once and cached until something changes.
 *
 * Cost per new flow is kept independent of the cluster's size: addresses resolve through maps,
 * and the policies selecting a pod are found through a per-namespace index of their pod
 * selectors (by one key=value pair each), so a pod is tested only against the policies that can
 * select it. Every change bumps a generation; cached verdicts of older generations are recomputed
 * on their next use, and a namespace's selector index is rebuilt on its next use after one of
 * its policies changed.
 */
import { formatIp, ipKey, isLoopback, parseIp, type Ip } from './address';
import { invalidObject, type NetpolError } from './errors';
import { evaluateDirection, peerListed, type Direction, type PeerView, type PodView } from './evaluate';
import { compilePolicy, type CompiledPolicy } from './policy';
import { SelectorIndex, selectorMatches } from './selector';
import type {
  DirectionVerdict,
  EndpointRef,
  EndpointSliceRecord,
  Flow,
  FlowVerdict,
  Labels,
  NamespaceRecord,
  NetworkPolicy,
  NodeRecord,
  PodRecord,
  Protocol,
  ResolvedEndpoint,
  ServiceRecord,
  Verdict,
} from './types';

/** A flow as the kernel reports it: client and server addresses as text, destination port. */
export interface AddressFlow {
  readonly sourceIp: string;
  readonly destinationIp: string;
  readonly port: number;
  readonly protocol: string;
}

export interface NetpolIndexOptions {
  /** Most flows whose verdicts are kept (default 65,536); the oldest half goes when full. */
  readonly cacheSize?: number;
}

export interface IndexStats {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  readonly services: number;
  readonly cachedFlows: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly generation: number;
}

interface PodState {
  readonly key: string;
  readonly record: PodRecord;
  readonly ips: readonly Ip[];
  readonly ipKeys: readonly (number | string)[];
  readonly hostIpKeys: readonly (number | string)[];
  readonly view: PodView;
  /** The policies selecting the pod, as of its namespace's policy generation `selection.generation`. */
  selection?: { generation: number; ingress: CompiledPolicy[]; egress: CompiledPolicy[]; all: CompiledPolicy[] };
}

type Resolved =
  | { readonly kind: 'pod'; readonly pod: PodState; readonly ip: Ip | undefined }
  | { readonly kind: 'service'; readonly service: ServiceRecord; readonly ip: Ip }
  | { readonly kind: 'node'; readonly node: string; readonly ip: Ip }
  | { readonly kind: 'external' | 'loopback'; readonly ip: Ip };

const NO_LABELS: Labels = Object.freeze({});
const NO_POLICIES: readonly string[] = Object.freeze([]);
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function combine(egress: Verdict, ingress: Verdict): Verdict {
  if (egress === 'denied' || ingress === 'denied') return 'denied';
  if (egress === 'indeterminate' || ingress === 'indeterminate') return 'indeterminate';
  return 'allowed';
}

function union(...lists: (readonly string[])[]): readonly string[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return NO_POLICIES;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  return [...new Set(nonEmpty.flat())].sort();
}

export class NetpolIndex {
  private generationCounter = 0;
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly pods = new Map<string, PodState>();
  private readonly podsByIp = new Map<number | string, PodState>();
  private readonly hostNetworkPods = new Map<string, Set<PodState>>();
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly nodeByIp = new Map<number | string, string>();
  /** Node addresses learnt from pods' status.hostIPs, for nodes whose object is not known. */
  private readonly hostIpNodes = new Map<number | string, string>();
  private readonly services = new Map<string, ServiceRecord>();
  private readonly serviceByIp = new Map<number | string, ServiceRecord>();
  private readonly slices = new Map<string, EndpointSliceRecord>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly policies = new Map<string, Map<string, CompiledPolicy>>();
  private readonly selectorIndexes = new Map<string, SelectorIndex<CompiledPolicy>>();
  /** Per namespace, bumped when one of its policies changes: what a pod's selection depends on. */
  private readonly policyGenerations = new Map<string, number>();
  private readonly invalid = new Map<string, NetpolError>();
  private readonly cache = new Map<string, { generation: number; verdict: FlowVerdict }>();
  private readonly cacheSize: number;
  private hits = 0;
  private misses = 0;

  constructor(options: NetpolIndexOptions = {}) {
    this.cacheSize = Math.max(16, options.cacheSize ?? 65536);
  }

  /** Bumped by every change; a cached verdict of an older generation is stale. */
  get generation(): number {
    return this.generationCounter;
  }

  // ---- objects in, one at a time ----

  setNamespace(ns: NamespaceRecord): void {
    this.namespaces.set(ns.name, ns);
    this.reindexNamespacePods(ns.name);
    this.changed();
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name);
    this.reindexNamespacePods(name);
    this.changed();
  }

  setPod(pod: PodRecord): void {
    this.indexPod(pod);
    this.changed();
  }

  deletePod(namespace: string, name: string): void {
    this.unindexPod(key(namespace, name));
    this.changed();
  }

  /** Adds or replaces a policy; returns the problem when it does not compile (it is then not in force). */
  setPolicy(policy: NetworkPolicy): NetpolError | undefined {
    const compiled = compilePolicy(policy);
    const ns = policy.metadata.namespace ?? 'default';
    const name = policy.metadata.name;
    let byName = this.policies.get(ns);
    if (compiled instanceof Error) {
      byName?.delete(name);
      this.invalid.set(key(ns, name), compiled);
    } else {
      if (!byName) this.policies.set(ns, (byName = new Map()));
      byName.set(name, compiled);
      this.invalid.delete(key(ns, name));
    }
    this.policiesChanged(ns);
    return compiled instanceof Error ? compiled : undefined;
  }

  deletePolicy(namespace: string, name: string): void {
    this.policies.get(namespace)?.delete(name);
    this.invalid.delete(key(namespace, name));
    this.policiesChanged(namespace);
  }

  setNode(node: NodeRecord): void {
    this.deleteNodeAddresses(node.name);
    this.nodes.set(node.name, node);
    for (const ip of node.ips) {
      const p = parseIp(ip);
      if (p) this.nodeByIp.set(ipKey(p), node.name);
    }
    this.changed();
  }

  deleteNode(name: string): void {
    this.deleteNodeAddresses(name);
    this.nodes.delete(name);
    this.changed();
  }

  setService(service: ServiceRecord): void {
    this.deleteServiceAddresses(key(service.namespace, service.name));
    this.services.set(key(service.namespace, service.name), service);
    for (const ip of service.clusterIPs) {
      const p = parseIp(ip);
      if (p) this.serviceByIp.set(ipKey(p), service);
    }
    this.changed();
  }

  deleteService(namespace: string, name: string): void {
    this.deleteServiceAddresses(key(namespace, name));
    this.services.delete(key(namespace, name));
    this.changed();
  }

  setEndpointSlice(slice: EndpointSliceRecord): void {
    this.deleteEndpointSlice(slice.namespace, slice.name);
    const k = key(slice.namespace, slice.name);
    this.slices.set(k, slice);
    const svc = key(slice.namespace, slice.service);
    let set = this.slicesByService.get(svc);
    if (!set) this.slicesByService.set(svc, (set = new Set()));
    set.add(k);
    this.changed();
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const k = key(namespace, name);
    const old = this.slices.get(k);
    if (old) {
      this.slicesByService.get(key(namespace, old.service))?.delete(k);
      this.slices.delete(k);
    }
    this.changed();
  }

  /** Policies left out because they do not compile, with why. */
  problems(): readonly NetpolError[] {
    return [...this.invalid.values()];
  }

  stats(): IndexStats {
    let policies = 0;
    for (const m of this.policies.values()) policies += m.size;
    return {
      namespaces: this.namespaces.size,
      pods: this.pods.size,
      policies,
      services: this.services.size,
      cachedFlows: this.cache.size,
      cacheHits: this.hits,
      cacheMisses: this.misses,
      generation: this.generationCounter,
    };
  }

  // ---- verdicts ----

  /** The verdict of a flow, from the cache when nothing changed since it was computed. */
  evaluate(flow: Flow): FlowVerdict {
    const cacheKey = `${refText(flow.source)}>${refText(flow.destination)}:${flow.port}/${flow.protocol}`;
    const hit = this.cache.get(cacheKey);
    if (hit !== undefined && hit.generation === this.generationCounter) {
      this.hits++;
      return hit.verdict;
    }
    this.misses++;
    const verdict = this.compute(flow);
    if (hit === undefined && this.cache.size >= this.cacheSize) this.evictHalf();
    this.cache.set(cacheKey, { generation: this.generationCounter, verdict });
    return verdict;
  }

  /**
   * `evaluate` for a flow the kernel reports (addresses as text), for the detector's event path:
   * never throws; undefined when an address is not one or the protocol is not TCP, UDP or SCTP.
   */
  evaluateAddresses(flow: AddressFlow): FlowVerdict | undefined {
    if (flow.protocol !== 'TCP' && flow.protocol !== 'UDP' && flow.protocol !== 'SCTP') return undefined;
    if (parseIp(flow.sourceIp) === undefined || parseIp(flow.destinationIp) === undefined) return undefined;
    return this.evaluate({ source: { ip: flow.sourceIp }, destination: { ip: flow.destinationIp }, port: flow.port, protocol: flow.protocol });
  }

  /** What an address or pod reference is: pod, Service, node, external or loopback. */
  resolve(ref: EndpointRef): ResolvedEndpoint {
    return this.describe(this.resolveRef(ref));
  }

  /** The policies in force that select a pod for a direction (for tools and tests). */
  selectingPolicies(namespace: string, name: string, direction: Direction): readonly string[] {
    const pod = this.pods.get(key(namespace, name));
    return pod ? this.selecting(pod, direction).map((p) => p.id) : [];
  }

  private compute(flow: Flow): FlowVerdict {
    const src = this.resolveRef(flow.source);
    const dst = this.resolveRef(flow.destination);
    const source = this.describe(src);
    const destination = this.describe(dst);
    if (src.kind === 'loopback' || dst.kind === 'loopback') {
      const side: DirectionVerdict = { verdict: 'allowed', reason: 'loopback', policies: [] };
      return { verdict: 'allowed', egress: side, ingress: side, source, destination, policies: [] };
    }
    if (dst.kind === 'service') return this.computeService(src, dst, flow, source, destination);
    const egress = this.egress(src, dst, flow.port, flow.protocol);
    const ingress = this.ingress(src, dst, flow.port, flow.protocol);
    return { verdict: combine(egress.verdict, ingress.verdict), egress, ingress, source, destination, policies: union(egress.policies, ingress.policies) };
  }

  /**
   * A connect to a ClusterIP is seen before DNAT: the policies apply to the backend kube-proxy
   * picks, so the verdict is that of every backend when they agree, else indeterminate.
   */
  private computeService(
    src: Resolved,
    dst: Extract<Resolved, { kind: 'service' }>,
    flow: Flow,
    source: ResolvedEndpoint,
    destination: ResolvedEndpoint,
  ): FlowVerdict {
    const backends = this.backends(dst.service, flow.port, flow.protocol);
    if (backends.length === 0) {
      const side: DirectionVerdict = { verdict: 'indeterminate', reason: 'service-backends', policies: [] };
      return { verdict: 'indeterminate', egress: side, ingress: side, source, destination, policies: [] };
    }
    const egressSides: DirectionVerdict[] = [];
    const ingressSides: DirectionVerdict[] = [];
    for (const b of backends) {
      egressSides.push(this.egress(src, b.target, b.port, flow.protocol));
      ingressSides.push(this.ingress(src, b.target, b.port, flow.protocol));
    }
    const merge = (sides: DirectionVerdict[]): DirectionVerdict => {
      const first = sides[0]!;
      const policies = union(...sides.map((s) => s.policies));
      const listed = sides.some((s) => s.peerListed === true) ? true : sides.some((s) => s.peerListed === false) ? false : undefined;
      const base = sides.every((s) => s.verdict === first.verdict)
        ? { verdict: first.verdict, reason: sides.every((s) => s.reason === first.reason) ? first.reason : ('service-backends' as const), policies }
        : { verdict: 'indeterminate' as const, reason: 'service-backends' as const, policies };
      return listed === undefined ? base : { ...base, peerListed: listed };
    };
    const egress = merge(egressSides);
    const ingress = merge(ingressSides);
    return { verdict: combine(egress.verdict, ingress.verdict), egress, ingress, source, destination, policies: union(egress.policies, ingress.policies) };
  }

  private backends(service: ServiceRecord, port: number, protocol: Protocol): { target: Resolved; port: number }[] {
    const sp = service.ports.find((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
    if (!sp) return [];
    const out: { target: Resolved; port: number }[] = [];
    const sliceKeys = this.slicesByService.get(key(service.namespace, service.name));
    if (sliceKeys && sliceKeys.size > 0) {
      for (const k of sliceKeys) {
        const slice = this.slices.get(k)!;
        const slicePort = slice.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === protocol);
        if (!slicePort) continue;
        for (const ep of slice.endpoints) {
          if (ep.ready === false) continue;
          for (const addr of ep.addresses) {
            const ip = parseIp(addr);
            if (!ip) continue;
            const target = this.resolveIp(ip);
            // A backend named by its targetRef is that pod even when its address is shared (host network).
            const named = ep.targetPod ? this.pods.get(key(ep.targetPod.namespace, ep.targetPod.name)) : undefined;
            out.push({ target: named ? { kind: 'pod', pod: named, ip } : target, port: slicePort.port });
          }
        }
      }
      return out;
    }
    if (!service.selector || Object.keys(service.selector).length === 0) return [];
    const selector = Object.entries(service.selector);
    for (const pod of this.pods.values()) {
      if (pod.record.namespace !== service.namespace) continue;
      if (!selector.every(([k, v]) => pod.record.labels[k] === v)) continue;
      const target = sp.targetPort ?? sp.port;
      const number =
        typeof target === 'number'
          ? target
          : pod.view.ports.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol)?.port;
      if (number === undefined) continue;
      out.push({ target: { kind: 'pod', pod, ip: pod.ips[0] }, port: number });
    }
    return out;
  }

  /** The source pod's side. */
  private egress(src: Resolved, dst: Resolved, port: number, protocol: Protocol): DirectionVerdict {
    if (src.kind !== 'pod') return { verdict: 'allowed', reason: 'not-a-pod', policies: [] };
    const pod = src.pod;
    const peer = this.peerView(dst);
    const destination = dst.kind === 'pod' ? dst.pod.view : undefined;
    const result = evaluateDirection('egress', this.selecting(pod, 'egress'), peer, port, protocol, destination);
    return this.finish(pod, result, peer);
  }

  /** The destination pod's side. */
  private ingress(src: Resolved, dst: Resolved, port: number, protocol: Protocol): DirectionVerdict {
    if (dst.kind !== 'pod') return { verdict: 'allowed', reason: 'not-a-pod', policies: [] };
    const pod = dst.pod;
    const peer = this.peerView(src);
    if (this.isOwnNode(src, pod)) return this.withListed(pod, { verdict: 'allowed', reason: 'own-node', policies: [] }, peer);
    const result = evaluateDirection('ingress', this.selecting(pod, 'ingress'), peer, port, protocol, pod.view);
    return this.finish(pod, result, peer);
  }

  /**
   * A host-network pod's own policies may or may not apply (plugin-defined): only an "allowed" is
   * certain, since ignoring the policies allows too.
   */
  private finish(pod: PodState, result: Omit<DirectionVerdict, 'peerListed'>, peer: PeerView): DirectionVerdict {
    const r = pod.record.hostNetwork && result.verdict !== 'allowed' ? { verdict: 'indeterminate' as const, reason: 'host-network' as const, policies: result.policies } : result;
    return this.withListed(pod, r, peer);
  }

  private withListed(pod: PodState, result: Omit<DirectionVerdict, 'peerListed'>, peer: PeerView): DirectionVerdict {
    const peerListedValue = peerListed(this.selecting(pod, 'all'), peer);
    if (peerListedValue === undefined) return result;
    return { verdict: result.verdict, reason: result.reason, policies: result.policies, peerListed: peerListedValue };
  }

  /** Traffic from the pod's own node (its address, or a host-network pod on it). */
  private isOwnNode(src: Resolved, pod: PodState): boolean {
    const node = pod.record.nodeName;
    if (src.kind === 'node') return (node !== undefined && src.node === node) || pod.hostIpKeys.includes(ipKey(src.ip));
    if (src.kind === 'pod' && src.pod.record.hostNetwork) {
      return (node !== undefined && src.pod.record.nodeName === node) || (src.ip !== undefined && pod.hostIpKeys.includes(ipKey(src.ip)));
    }
    return false;
  }

  private peerView(r: Resolved): PeerView {
    switch (r.kind) {
      case 'pod':
        return { ip: r.ip, pod: r.pod.view };
      case 'node': {
        const onNode = this.hostNetworkPods.get(r.node);
        return onNode && onNode.size > 0 ? { ip: r.ip, nodePods: [...onNode].map((p) => p.view) } : { ip: r.ip };
      }
      default:
        return { ip: r.ip };
    }
  }

  /** Policies of the pod's namespace that select it and isolate it for `direction`. */
  private selecting(pod: PodState, direction: Direction | 'all'): CompiledPolicy[] {
    let sel = pod.selection;
    const ns = pod.record.namespace;
    const generation = this.policyGenerations.get(ns) ?? 0;
    if (sel === undefined || sel.generation !== generation) {
      const all: CompiledPolicy[] = [];
      const ingress: CompiledPolicy[] = [];
      const egress: CompiledPolicy[] = [];
      const byName = this.policies.get(ns);
      if (byName !== undefined && byName.size > 0) {
        let index = this.selectorIndexes.get(ns);
        if (index === undefined) {
          index = new SelectorIndex<CompiledPolicy>();
          for (const p of byName.values()) index.add(p.podSelector, p);
          this.selectorIndexes.set(ns, index);
        }
        const labels = pod.record.labels;
        index.forCandidates(labels, (p) => {
          if (!selectorMatches(p.podSelector, labels)) return;
          all.push(p);
          if (p.ingress !== undefined) ingress.push(p);
          if (p.egress !== undefined) egress.push(p);
        });
      }
      sel = { generation, ingress, egress, all };
      pod.selection = sel;
    }
    return sel[direction];
  }

  private resolveRef(ref: EndpointRef): Resolved {
    if ('ip' in ref) {
      const ip = parseIp(ref.ip);
      if (!ip) throw invalidObject(ref.ip, 'ip', `"${ref.ip.slice(0, 80)}" is not an IP address`);
      return this.resolveIp(ip);
    }
    const pod = this.pods.get(key(ref.namespace, ref.name));
    if (!pod) throw invalidObject(key(ref.namespace, ref.name), 'pod', 'no such pod');
    return { kind: 'pod', pod, ip: pod.ips[0] };
  }

  private resolveIp(ip: Ip): Resolved {
    if (isLoopback(ip)) return { kind: 'loopback', ip };
    const text = ipKey(ip);
    const pod = this.podsByIp.get(text);
    if (pod) return { kind: 'pod', pod, ip };
    const service = this.serviceByIp.get(text);
    if (service) return { kind: 'service', service, ip };
    const node = this.nodeByIp.get(text) ?? this.hostIpNodes.get(text);
    if (node !== undefined) return { kind: 'node', node, ip };
    return { kind: 'external', ip };
  }

  private describe(r: Resolved): ResolvedEndpoint {
    const ip = r.ip ? formatIp(r.ip) : undefined;
    const withIp = ip === undefined ? {} : { ip };
    switch (r.kind) {
      case 'pod':
        return { kind: 'pod', identity: r.pod.key, namespace: r.pod.record.namespace, ...withIp };
      case 'service':
        return { kind: 'service', identity: key(r.service.namespace, r.service.name), namespace: r.service.namespace, ...withIp };
      case 'node':
        return { kind: 'node', identity: r.node, ...withIp };
      default:
        return { kind: r.kind, identity: ip!, ...withIp };
    }
  }

  private indexPod(pod: PodRecord): void {
    const k = key(pod.namespace, pod.name);
    this.unindexPod(k);
    const ips: Ip[] = [];
    for (const t of pod.ips) {
      const ip = parseIp(t);
      if (ip) ips.push(ip);
    }
    const hostIpKeys = (pod.hostIPs ?? []).map((t) => parseIp(t)).filter((ip): ip is Ip => ip !== undefined).map(ipKey);
    const nsLabels = this.namespaces.get(pod.namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: pod.namespace };
    const state: PodState = {
      key: k,
      record: pod,
      ips,
      ipKeys: ips.map(ipKey),
      hostIpKeys,
      view: {
        namespace: pod.namespace,
        labels: pod.labels ?? NO_LABELS,
        namespaceLabels: nsLabels,
        hostNetwork: pod.hostNetwork === true,
        ports: pod.ports ?? [],
      },
    };
    this.pods.set(k, state);
    if (pod.hostNetwork) {
      if (pod.nodeName !== undefined) {
        let set = this.hostNetworkPods.get(pod.nodeName);
        if (!set) this.hostNetworkPods.set(pod.nodeName, (set = new Set()));
        set.add(state);
        for (const t of state.ipKeys) if (!this.hostIpNodes.has(t)) this.hostIpNodes.set(t, pod.nodeName);
      }
    } else {
      for (const t of state.ipKeys) this.podsByIp.set(t, state);
    }
    if (pod.nodeName !== undefined) for (const t of hostIpKeys) if (!this.hostIpNodes.has(t)) this.hostIpNodes.set(t, pod.nodeName);
  }

  /** Namespace labels are part of every pod view of the namespace. */
  private reindexNamespacePods(namespace: string): void {
    const records = [...this.pods.values()].filter((p) => p.record.namespace === namespace).map((p) => p.record);
    for (const r of records) this.indexPod(r);
  }

  private unindexPod(k: string): void {
    const old = this.pods.get(k);
    if (!old) return;
    this.pods.delete(k);
    for (const t of old.ipKeys) if (this.podsByIp.get(t) === old) this.podsByIp.delete(t);
    if (old.record.nodeName !== undefined) this.hostNetworkPods.get(old.record.nodeName)?.delete(old);
  }

  private deleteNodeAddresses(name: string): void {
    for (const [ip, node] of this.nodeByIp) if (node === name) this.nodeByIp.delete(ip);
  }

  private deleteServiceAddresses(k: string): void {
    for (const [ip, svc] of this.serviceByIp) if (key(svc.namespace, svc.name) === k) this.serviceByIp.delete(ip);
  }

  private policiesChanged(namespace: string): void {
    this.selectorIndexes.delete(namespace);
    this.policyGenerations.set(namespace, (this.policyGenerations.get(namespace) ?? 0) + 1);
    this.changed();
  }

  private changed(): void {
    this.generationCounter++;
  }

  private evictHalf(): void {
    let n = this.cache.size >> 1;
    for (const k of this.cache.keys()) {
      if (n-- <= 0) break;
      this.cache.delete(k);
    }
  }
}

function refText(ref: EndpointRef): string {
  return 'ip' in ref ? ref.ip : `${ref.namespace}/${ref.name}`;
}
