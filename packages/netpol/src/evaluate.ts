/**
 * NetworkPolicy v1 semantics for one direction of one flow, given the policies that select the
 * pod on that side. Policies are additive: the direction is allowed when any rule of any of them
 * matches; a rule matches when its ports match the destination port and its peers (`from` for
 * ingress, `to` for egress) match the other end. Matching is three-valued: a host-network pod,
 * or a node address that host-network pods share, may or may not be seen as a pod by the network
 * plugin (the documented behaviour is "one of the two"), so a selector that would match it only
 * if it were seen as a pod gives "unknown", and so does the verdict that depends on it.
 */
import { cidrContains, type Ip } from './address';
import { selectorMatches } from './selector';
import type { CompiledPeer, CompiledPolicy, CompiledPort, CompiledRule } from './policy';
import type { ContainerPort, DirectionVerdict, Labels, Protocol } from './types';

/** What a selector or an ipBlock can see of a pod. */
export interface PodView {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  readonly hostNetwork: boolean;
  readonly ports: readonly ContainerPort[];
}

/** The other end of the flow, as the policies of one side see it. */
export interface PeerView {
  /** The address the packets carry (after DNAT for a destination). */
  readonly ip: Ip | undefined;
  /** The pod at that address, when it is one. */
  readonly pod?: PodView;
  /** For a node address: the host-network pods on it, which a plugin may attribute it to. */
  readonly nodePods?: readonly PodView[];
}

/** true, false, or unknown (depends on how the network plugin treats host-network pods). */
export type Tri = boolean | 'unknown';

function orTri(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : false;
}

function selectsPod(peer: Extract<CompiledPeer, { kind: 'selector' }>, policyNamespace: string, pod: PodView): boolean {
  if (peer.namespaces === undefined) return pod.namespace === policyNamespace && selectorMatches(peer.pods!, pod.labels);
  if (!selectorMatches(peer.namespaces, pod.namespaceLabels)) return false;
  return peer.pods === undefined || selectorMatches(peer.pods, pod.labels);
}

export function peerMatches(peer: CompiledPeer, policyNamespace: string, view: PeerView): Tri {
  switch (peer.kind) {
    case 'nothing':
      return false;
    case 'ipBlock': {
      const ip = view.ip;
      if (ip === undefined || !cidrContains(peer.cidr, ip)) return false;
      for (const e of peer.except) if (cidrContains(e, ip)) return false;
      return true;
    }
    case 'selector': {
      const pod = view.pod;
      if (pod !== undefined) {
        if (!selectsPod(peer, policyNamespace, pod)) return false;
        return pod.hostNetwork ? 'unknown' : true;
      }
      if (view.nodePods) for (const p of view.nodePods) if (selectsPod(peer, policyNamespace, p)) return 'unknown';
      return false;
    }
  }
}

/** Ports of a rule against the destination port; named ports are looked up on `destination`. */
export function portsMatch(ports: readonly CompiledPort[] | undefined, port: number, protocol: Protocol, destination: PodView | undefined): boolean {
  if (ports === undefined) return true;
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (p.name !== undefined) {
      if (destination === undefined) continue;
      for (const cp of destination.ports) {
        if (cp.name === p.name && cp.port === port && (cp.protocol ?? 'TCP') === protocol) return true;
      }
      continue;
    }
    if (p.port === undefined) return true;
    if (port === p.port || (p.endPort !== undefined && port > p.port && port <= p.endPort)) return true;
  }
  return false;
}

export function ruleMatches(
  rule: CompiledRule,
  policyNamespace: string,
  peer: PeerView,
  port: number,
  protocol: Protocol,
  destination: PodView | undefined,
): Tri {
  if (!portsMatch(rule.ports, port, protocol, destination)) return false;
  if (rule.peers === undefined) return true;
  let result: Tri = false;
  for (const p of rule.peers) {
    result = orTri(result, peerMatches(p, policyNamespace, peer));
    if (result === true) return true;
  }
  return result;
}

export type Direction = 'ingress' | 'egress';

/**
 * The verdict of one direction. `selecting` holds the policies that select the pod on this side
 * and isolate it for `direction`; `destination` is the flow's destination pod (named ports).
 */
export function evaluateDirection(
  direction: Direction,
  selecting: readonly CompiledPolicy[],
  peer: PeerView,
  port: number,
  protocol: Protocol,
  destination: PodView | undefined,
): Omit<DirectionVerdict, 'peerListed'> {
  if (selecting.length === 0) return NOT_ISOLATED;
  let allowing: string[] | undefined;
  let unknown: string[] | undefined;
  for (const policy of selecting) {
    let result: Tri = false;
    for (const rule of policy[direction]!) {
      result = orTri(result, ruleMatches(rule, policy.namespace, peer, port, protocol, destination));
      if (result === true) break;
    }
    if (result === true) (allowing ??= []).push(policy.id);
    else if (result === 'unknown') (unknown ??= []).push(policy.id);
  }
  if (allowing !== undefined) return { verdict: 'allowed', reason: 'allowed-by-policy', policies: allowing.length > 1 ? allowing.sort() : allowing };
  if (unknown !== undefined) return { verdict: 'indeterminate', reason: 'host-network', policies: unknown.sort() };
  return { verdict: 'denied', reason: 'no-rule-matches', policies: selecting.map((p) => p.id).sort() };
}

const NOT_ISOLATED: Omit<DirectionVerdict, 'peerListed'> = Object.freeze({ verdict: 'allowed', reason: 'not-isolated', policies: Object.freeze([]) as readonly string[] });

/**
 * Whether `peer` is named by a peer list of any rule (ports aside, either direction) of the
 * policies that select the pod; undefined when none selects it.
 */
export function peerListed(policies: readonly CompiledPolicy[], peer: PeerView): boolean | undefined {
  if (policies.length === 0) return undefined;
  for (const policy of policies) {
    if (policy.ingress !== undefined && listsPeer(policy.ingress, policy.namespace, peer)) return true;
    if (policy.egress !== undefined && listsPeer(policy.egress, policy.namespace, peer)) return true;
  }
  return false;
}

function listsPeer(rules: readonly CompiledRule[], policyNamespace: string, peer: PeerView): boolean {
  for (const rule of rules) {
    if (rule.peers === undefined) return true;
    for (const p of rule.peers) if (peerMatches(p, policyNamespace, peer) !== false) return true;
  }
  return false;
}
