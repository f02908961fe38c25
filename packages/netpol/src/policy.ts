/**
 * A NetworkPolicy compiled for evaluation, with the API server's defaulting applied:
 * `policyTypes` absent or empty means `Ingress`, plus `Egress` when `spec.egress` has rules; a
 * port's protocol defaults to TCP. A policy whose `policyTypes` names a direction has that
 * direction's rule list even when `ingress`/`egress` is absent (no rules: nothing is allowed).
 * What the API server's validation would refuse is reported as a `NetpolError`.
 */
import { parseCidr, type Cidr } from './address';
import { invalidPolicy, type NetpolError } from './errors';
import { compileSelector, isSelectorError, type CompiledSelector } from './selector';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Protocol } from './types';

export type CompiledPeer =
  | { readonly kind: 'ipBlock'; readonly cidr: Cidr; readonly except: readonly Cidr[] }
  /** `pods` alone: pods of the policy's namespace; `namespaces` alone: every pod there; both: AND. */
  | { readonly kind: 'selector'; readonly pods?: CompiledSelector; readonly namespaces?: CompiledSelector }
  /** A peer with no field set (validation refuses it): matches nothing. */
  | { readonly kind: 'nothing' };

export interface CompiledPort {
  readonly protocol: Protocol;
  /** Absent with `name` absent: every port of the protocol. */
  readonly port?: number;
  readonly endPort?: number;
  /** A named port, resolved on the destination pod. */
  readonly name?: string;
}

export interface CompiledRule {
  /** undefined: `from`/`to` empty or absent, every peer. */
  readonly peers: readonly CompiledPeer[] | undefined;
  /** undefined: `ports` empty or absent, every port and protocol. */
  readonly ports: readonly CompiledPort[] | undefined;
}

export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: CompiledSelector;
  /** Present when the policy isolates for ingress. */
  readonly ingress?: readonly CompiledRule[];
  /** Present when the policy isolates for egress. */
  readonly egress?: readonly CompiledRule[];
}

const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

/** The `policyTypes` in force, after the API server's defaulting. */
export function effectivePolicyTypes(policy: NetworkPolicy): { ingress: boolean; egress: boolean } {
  const types = policy.spec.policyTypes ?? [];
  if (types.length === 0) return { ingress: true, egress: (policy.spec.egress ?? []).length > 0 };
  return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
}

export function policyId(policy: NetworkPolicy): string {
  return `${policy.metadata.namespace ?? 'default'}/${policy.metadata.name}`;
}

/** Compiles a policy, or returns the first problem the API server's validation would report. */
export function compilePolicy(policy: NetworkPolicy): CompiledPolicy | NetpolError {
  const id = policyId(policy);
  const fail = (field: string, message: string): NetpolError => invalidPolicy(id, field, message);
  if (typeof policy.metadata?.name !== 'string' || policy.metadata.name === '') return fail('metadata.name', 'the policy has no name');
  const spec = policy.spec ?? {};
  for (const t of spec.policyTypes ?? []) {
    if (t !== 'Ingress' && t !== 'Egress') return fail('spec.policyTypes', `unknown policy type "${String(t)}" (Ingress, Egress)`);
  }
  const selector = compileSelector(spec.podSelector ?? {}, 'spec.podSelector');
  if (isSelectorError(selector)) return fail(selector.field, selector.error);

  const selectorOf = (s: LabelSelector | null | undefined, field: string): CompiledSelector | NetpolError | undefined => {
    if (s === undefined || s === null) return undefined;
    const c = compileSelector(s, field);
    return isSelectorError(c) ? fail(c.field, c.error) : c;
  };

  const peerOf = (p: NetworkPolicyPeer, field: string): CompiledPeer | NetpolError => {
    if (p.ipBlock) {
      if (p.podSelector || p.namespaceSelector) return fail(field, 'ipBlock may not be combined with podSelector or namespaceSelector');
      const cidr = parseCidr(String(p.ipBlock.cidr));
      if (!cidr) return fail(`${field}.ipBlock.cidr`, `"${String(p.ipBlock.cidr)}" is not a CIDR`);
      const except: Cidr[] = [];
      for (const [i, e] of (p.ipBlock.except ?? []).entries()) {
        const c = parseCidr(String(e));
        if (!c) return fail(`${field}.ipBlock.except[${i}]`, `"${String(e)}" is not a CIDR`);
        except.push(c);
      }
      return { kind: 'ipBlock', cidr, except };
    }
    const pods = selectorOf(p.podSelector, `${field}.podSelector`);
    if (pods instanceof Error) return pods;
    const namespaces = selectorOf(p.namespaceSelector, `${field}.namespaceSelector`);
    if (namespaces instanceof Error) return namespaces;
    if (!pods && !namespaces) return { kind: 'nothing' };
    return { kind: 'selector', ...(pods ? { pods } : {}), ...(namespaces ? { namespaces } : {}) };
  };

  const portOf = (p: NetworkPolicyPort, field: string): CompiledPort | NetpolError => {
    const protocol = p.protocol ?? 'TCP';
    if (!PROTOCOLS.has(protocol)) return fail(`${field}.protocol`, `unsupported protocol "${String(protocol)}" (TCP, UDP, SCTP)`);
    const proto = protocol as Protocol;
    if (p.port === undefined || p.port === null) {
      if (p.endPort !== undefined && p.endPort !== null) return fail(`${field}.endPort`, 'endPort needs a numeric port');
      return { protocol: proto };
    }
    if (typeof p.port === 'string') {
      if (!/[a-z]/i.test(p.port)) return fail(`${field}.port`, `named port "${p.port}" must contain a letter`);
      if (p.endPort !== undefined && p.endPort !== null) return fail(`${field}.endPort`, 'endPort may not be used with a named port');
      return { protocol: proto, name: p.port };
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) return fail(`${field}.port`, `port ${String(p.port)} is not between 1 and 65535`);
    if (p.endPort !== undefined && p.endPort !== null) {
      if (!Number.isInteger(p.endPort) || p.endPort < p.port || p.endPort > 65535) {
        return fail(`${field}.endPort`, `endPort ${String(p.endPort)} must be between port ${p.port} and 65535`);
      }
      return { protocol: proto, port: p.port, endPort: p.endPort };
    }
    return { protocol: proto, port: p.port };
  };

  const rulesOf = (
    rules: readonly { readonly ports?: readonly NetworkPolicyPort[] | null }[],
    peersKey: 'from' | 'to',
    field: string,
  ): CompiledRule[] | NetpolError => {
    const out: CompiledRule[] = [];
    for (const [i, rule] of rules.entries()) {
      const at = `${field}[${i}]`;
      const rawPeers = (rule as { from?: readonly NetworkPolicyPeer[] | null; to?: readonly NetworkPolicyPeer[] | null })[peersKey] ?? [];
      let peers: CompiledPeer[] | undefined;
      if (rawPeers.length > 0) {
        peers = [];
        for (const [j, p] of rawPeers.entries()) {
          const c = peerOf(p ?? {}, `${at}.${peersKey}[${j}]`);
          if (c instanceof Error) return c;
          peers.push(c);
        }
      }
      let ports: CompiledPort[] | undefined;
      if ((rule.ports ?? []).length > 0) {
        ports = [];
        for (const [j, p] of rule.ports!.entries()) {
          const c = portOf(p ?? {}, `${at}.ports[${j}]`);
          if (c instanceof Error) return c;
          ports.push(c);
        }
      }
      out.push({ peers, ports });
    }
    return out;
  };

  const types = effectivePolicyTypes(policy);
  const ingress = types.ingress ? rulesOf(spec.ingress ?? [], 'from', 'spec.ingress') : undefined;
  if (ingress instanceof Error) return ingress;
  const egress = types.egress ? rulesOf(spec.egress ?? [], 'to', 'spec.egress') : undefined;
  if (egress instanceof Error) return egress;
  return {
    id,
    namespace: policy.metadata.namespace ?? 'default',
    name: policy.metadata.name,
    podSelector: selector,
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
  };
}
