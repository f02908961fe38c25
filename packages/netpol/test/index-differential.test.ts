/**
 * The index against a scan of every policy with the same semantics functions, on random clusters:
 * the selector index and the per-pod selection cache must never change a verdict, including
 * across label, namespace and policy changes.
 */
import {
  compilePolicy,
  evaluateDirection,
  NetpolIndex,
  parseIp,
  selectorMatches,
  type CompiledPolicy,
  type Direction,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type PeerView,
  type PodRecord,
  type PodView,
  type Protocol,
  type Verdict,
} from '@falco-ts/netpol';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NS = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db'];

function generate(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const selector = (): LabelSelector => {
    const k = r();
    if (k < 0.2) return {};
    if (k < 0.5) return { matchLabels: { app: pick(APPS) } };
    if (k < 0.7) return { matchExpressions: [{ key: 'app', operator: pick(['In', 'NotIn']), values: [pick(APPS), pick(APPS)] }] };
    if (k < 0.85) return { matchExpressions: [{ key: 'canary', operator: pick(['Exists', 'DoesNotExist']) }] };
    return { matchLabels: { app: pick(APPS) }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['1'] }] };
  };
  const nsSelector = (): LabelSelector => (r() < 0.3 ? {} : { matchLabels: { env: pick(['prod', 'dev']) } });
  const peer = (): NetworkPolicyPeer => {
    const k = r();
    if (k < 0.3) return { podSelector: selector() };
    if (k < 0.5) return { namespaceSelector: nsSelector() };
    if (k < 0.8) return { podSelector: selector(), namespaceSelector: nsSelector() };
    return { ipBlock: { cidr: pick(['10.0.0.0/8', '10.1.0.0/16', '203.0.113.0/24']), except: r() < 0.5 ? ['10.1.0.0/24'] : [] } };
  };
  const rule = () => ({
    ...(r() < 0.8 ? { peers: Array.from({ length: 1 + Math.floor(r() * 2) }, peer) } : {}),
    ...(r() < 0.6 ? { ports: [pick([{ port: 80 }, { port: 'http' }, { port: 8000, endPort: 8100 }, { protocol: 'UDP' }, { port: 53, protocol: 'UDP' }])] } : {}),
  });
  const policies: NetworkPolicy[] = Array.from({ length: 12 }, (_, i) => {
    const types = pick([[], ['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    const ingress = Array.from({ length: Math.floor(r() * 3) }, () => {
      const x = rule();
      return { ...(x.peers ? { from: x.peers } : {}), ...(x.ports ? { ports: x.ports } : {}) };
    });
    const egress = Array.from({ length: Math.floor(r() * 3) }, () => {
      const x = rule();
      return { ...(x.peers ? { to: x.peers } : {}), ...(x.ports ? { ports: x.ports } : {}) };
    });
    return { metadata: { namespace: pick(NS), name: `p${i}` }, spec: { podSelector: selector(), policyTypes: types, ingress, egress } };
  });
  const pods: PodRecord[] = Array.from({ length: 15 }, (_, i) => ({
    namespace: NS[i % 3]!,
    name: `pod${i}`,
    labels: { app: pick(APPS), ...(r() < 0.3 ? { canary: 'true' } : {}), ...(r() < 0.5 ? { tier: '1' } : {}) },
    ips: [`10.${i % 3}.0.${i + 1}`],
    ports: [{ name: 'http', port: pick([80, 8080, 8050]) }],
  }));
  const namespaces = NS.map((n) => ({ name: n, labels: { 'kubernetes.io/metadata.name': n, env: pick(['prod', 'dev']) } }));
  return { r, pick, policies, pods, namespaces };
}

function scanVerdict(
  namespaces: { name: string; labels: Record<string, string> }[],
  pods: PodRecord[],
  policies: NetworkPolicy[],
  src: string,
  dst: string,
  port: number,
  protocol: Protocol,
): Verdict {
  const views = new Map<string, PodView>();
  for (const p of pods) {
    const nsLabels = namespaces.find((n) => n.name === p.namespace)!.labels;
    views.set(p.ips[0]!, { namespace: p.namespace, labels: p.labels, namespaceLabels: nsLabels, hostNetwork: false, ports: p.ports ?? [] });
  }
  const compiled = policies.map((p) => compilePolicy(p) as CompiledPolicy);
  const s = views.get(src);
  const d = views.get(dst);
  const side = (pod: PodView | undefined, direction: Direction, peer: PeerView): Verdict => {
    if (!pod) return 'allowed';
    const selecting = compiled.filter((p) => p.namespace === pod.namespace && p[direction] !== undefined && selectorMatches(p.podSelector, pod.labels));
    return evaluateDirection(direction, selecting, peer, port, protocol, d).verdict;
  };
  const e = side(s, 'egress', { ip: parseIp(dst), ...(d ? { pod: d } : {}) });
  const i = side(d, 'ingress', { ip: parseIp(src), ...(s ? { pod: s } : {}) });
  return e === 'denied' || i === 'denied' ? 'denied' : 'allowed';
}

describe('the index agrees with a scan of every policy', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('on random cluster %i, before and after changes', (seed) => {
    const { r, pick, policies, pods, namespaces } = generate(seed);
    const index = new NetpolIndex();
    for (const n of namespaces) index.setNamespace(n);
    for (const p of pods) index.setPod(p);
    for (const p of policies) expect(index.setPolicy(p)).toBeUndefined();
    const addresses = [...pods.map((p) => p.ips[0]!), '203.0.113.9', '10.1.0.200'];
    const check = () => {
      for (let n = 0; n < 150; n++) {
        const src = pick(addresses);
        const dst = pick(addresses);
        const port = pick([80, 8080, 8050, 53]);
        const protocol: Protocol = pick(['TCP', 'UDP']);
        const got = index.evaluate({ source: { ip: src }, destination: { ip: dst }, port, protocol }).verdict;
        expect([src, dst, port, protocol, got]).toEqual([src, dst, port, protocol, scanVerdict(namespaces, pods, policies, src, dst, port, protocol)]);
      }
    };
    check();
    // Relabel a pod, a namespace, and replace a policy.
    const i = Math.floor(r() * pods.length);
    pods[i] = { ...pods[i]!, labels: { app: pick(APPS), canary: 'true' } };
    index.setPod(pods[i]!);
    namespaces[1] = { ...namespaces[1]!, labels: { ...namespaces[1]!.labels, env: namespaces[1]!.labels['env'] === 'prod' ? 'dev' : 'prod' } };
    index.setNamespace(namespaces[1]!);
    policies[0] = { ...policies[0]!, spec: { ...policies[0]!.spec, podSelector: {} } };
    index.setPolicy(policies[0]!);
    check();
  });
});
