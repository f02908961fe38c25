/**
 * netpol: the cost of a NetworkPolicy verdict for a new flow with 1,000 policies and 10,000 pods
 * (50 namespaces of 200 pods, 20 policies each: a default deny, per-app ingress from other tiers
 * and namespaces with numeric, named and ranged ports, egress to DNS, to other apps and to CIDRs
 * with exceptions). Flows are pod to pod, pod to external address and external to pod, each one
 * distinct, so every evaluation is a cache miss.
 *
 * Peer: the naive evaluation of the same flows with the same semantics functions and the same
 * address maps, but every policy of the cluster tested against the pod for each flow (no
 * selector index, no cache). Both must give identical verdicts; the bench fails otherwise.
 */
import {
  compilePolicy,
  evaluateDirection,
  formatIp,
  NetpolIndex,
  parseIp,
  selectorMatches,
  type CompiledPolicy,
  type Direction,
  type Flow,
  type NetworkPolicy,
  type PeerView,
  type PodRecord,
  type PodView,
  type Protocol,
  type Verdict,
} from '@falco-ts/netpol';
import type { Bench, BenchRow } from '../bench';

const NAMESPACES = 50;
const PODS_PER_NAMESPACE = 200;
const POLICIES_PER_NAMESPACE = 20;
const APPS = 20;
const TIERS = ['front', 'back', 'db', 'cache'];
const FLOWS = 20000;

/** Deterministic generator (mulberry32), so every run measures the same cluster and flows. */
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

interface Cluster {
  namespaces: { name: string; labels: Record<string, string> }[];
  pods: PodRecord[];
  policies: NetworkPolicy[];
  flows: Flow[];
}

function makeCluster(): Cluster {
  const r = rng(18);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const namespaces = Array.from({ length: NAMESPACES }, (_, n) => ({
    name: `ns${n}`,
    labels: { 'kubernetes.io/metadata.name': `ns${n}`, env: n % 3 === 0 ? 'prod' : 'dev', team: `t${n % 7}` },
  }));
  const pods: PodRecord[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    for (let p = 0; p < PODS_PER_NAMESPACE; p++) {
      pods.push({
        namespace: `ns${n}`,
        name: `pod${p}`,
        labels: { app: `app${p % APPS}`, tier: TIERS[p % TIERS.length]!, version: `v${p % 3}`, 'pod-template-hash': `h${p}` },
        ips: [`10.${n}.${p >> 8}.${p & 255}`],
        nodeName: `node${p % 20}`,
        ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }, { name: 'dns', port: 53, protocol: 'UDP' }],
      });
    }
  }
  const policies: NetworkPolicy[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns${n}`;
    policies.push({ metadata: { namespace: ns, name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    for (let i = 1; i < POLICIES_PER_NAMESPACE; i++) {
      const app = `app${(i * 7 + n) % APPS}`;
      const kind = i % 4;
      const podSelector = i % 5 === 0 ? { matchExpressions: [{ key: 'tier', operator: 'In', values: [pick(TIERS), pick(TIERS)] }] } : { matchLabels: { app } };
      if (kind === 0) {
        policies.push({
          metadata: { namespace: ns, name: `egress-${i}` },
          spec: {
            podSelector,
            policyTypes: ['Egress'],
            egress: [
              { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns0' } }, podSelector: { matchLabels: { app: 'app0' } } }], ports: [{ port: 53, protocol: 'UDP' }] },
              { to: [{ podSelector: { matchLabels: { app: `app${(i + 1) % APPS}` } } }], ports: [{ port: 'http' }] },
              { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } }], ports: [{ port: 443 }] },
            ],
          },
        });
      } else {
        policies.push({
          metadata: { namespace: ns, name: `ingress-${i}` },
          spec: {
            podSelector,
            ingress: [
              {
                from: [
                  { podSelector: { matchLabels: { tier: pick(TIERS) } } },
                  { namespaceSelector: { matchLabels: { team: `t${i % 7}` } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] } },
                  { ipBlock: { cidr: `192.0.${i}.0/24`, except: [`192.0.${i}.128/25`] } },
                ],
                ports: kind === 1 ? [{ port: 8080 }] : kind === 2 ? [{ port: 'http' }, { port: 'metrics' }] : [{ port: 8000, endPort: 8100 }],
              },
            ],
          },
        });
      }
    }
  }
  const seen = new Set<string>();
  const flows: Flow[] = [];
  const ports = [8080, 9100, 443, 53, 8050, 22];
  while (flows.length < FLOWS) {
    const kind = r();
    const src = kind < 0.15 ? `192.0.${Math.floor(r() * 20)}.${Math.floor(r() * 256)}` : pick(pods).ips[0]!;
    const dst = kind > 0.9 ? `198.51.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}` : pick(pods).ips[0]!;
    const port = pick(ports);
    const protocol: Protocol = port === 53 ? 'UDP' : 'TCP';
    const k = `${src}>${dst}:${port}/${protocol}`;
    if (src === dst || seen.has(k)) continue;
    seen.add(k);
    flows.push({ source: { ip: src }, destination: { ip: dst }, port, protocol });
  }
  return { namespaces, pods, policies, flows };
}

function buildIndex(c: Cluster): NetpolIndex {
  const index = new NetpolIndex({ cacheSize: FLOWS * 2 });
  for (const ns of c.namespaces) index.setNamespace(ns);
  for (const p of c.pods) index.setPod(p);
  for (const p of c.policies) {
    const err = index.setPolicy(p);
    if (err) throw err;
  }
  return index;
}

/** The peer: same semantics functions, every policy tested for every flow. */
class NaiveEvaluator {
  private readonly byIp = new Map<string, PodView>();
  private readonly policies: CompiledPolicy[];

  constructor(c: Cluster) {
    const nsLabels = new Map(c.namespaces.map((n) => [n.name, n.labels]));
    for (const p of c.pods) {
      this.byIp.set(formatIp(parseIp(p.ips[0]!)!), { namespace: p.namespace, labels: p.labels, namespaceLabels: nsLabels.get(p.namespace)!, hostNetwork: false, ports: p.ports ?? [] });
    }
    this.policies = c.policies.map((p) => compilePolicy(p) as CompiledPolicy);
  }

  verdict(flow: Flow): Verdict {
    const srcIp = parseIp((flow.source as { ip: string }).ip)!;
    const dstIp = parseIp((flow.destination as { ip: string }).ip)!;
    const src = this.byIp.get(formatIp(srcIp));
    const dst = this.byIp.get(formatIp(dstIp));
    const side = (pod: PodView | undefined, direction: Direction, peer: PeerView): Verdict => {
      if (!pod) return 'allowed';
      const selecting = this.policies.filter((p) => p.namespace === pod.namespace && p[direction] !== undefined && selectorMatches(p.podSelector, pod.labels));
      return evaluateDirection(direction, selecting, peer, flow.port, flow.protocol, dst).verdict;
    };
    const egress = side(src, 'egress', dst ? { ip: dstIp, pod: dst } : { ip: dstIp });
    const ingress = side(dst, 'ingress', src ? { ip: srcIp, pod: src } : { ip: srcIp });
    if (egress === 'denied' || ingress === 'denied') return 'denied';
    return egress === 'indeterminate' || ingress === 'indeterminate' ? 'indeterminate' : 'allowed';
  }
}

/**
 * CPU time (user + system) per flow, not wall time: on a shared machine the wall clock also
 * counts the time the process waits for a core.
 */
function perFlowMicros(fn: (flow: Flow) => unknown, flows: readonly Flow[]): number {
  const start = process.cpuUsage();
  for (const f of flows) fn(f);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / flows.length;
}

export const bench: Bench = {
  name: 'netpol',
  async run(): Promise<BenchRow[]> {
    const cluster = makeCluster();
    const naive = new NaiveEvaluator(cluster);
    // Warm both paths up on flows not measured afterwards (JIT), then measure fresh flows.
    const warm = cluster.flows.slice(0, 2000);
    const measured = cluster.flows.slice(2000);
    const index = buildIndex(cluster);
    for (const f of warm) index.evaluate(f);
    for (const f of warm) naive.verdict(f);
    let mismatches = 0;
    for (const f of measured.slice(0, 2000)) {
      const a = index.evaluate(f).verdict;
      if (a !== naive.verdict(f)) mismatches++;
    }
    if (mismatches > 0) throw new Error(`netpol bench: the index and the naive evaluation disagree on ${mismatches} flows`);

    const fresh = buildIndex(cluster);
    for (const f of warm) fresh.evaluate(f);
    const newFlow = perFlowMicros((f) => fresh.evaluate(f), measured);
    const cached = perFlowMicros((f) => fresh.evaluate(f), measured);
    // After a change every verdict is stale and the namespace's selector index is rebuilt on use.
    fresh.setPolicy({ ...cluster.policies[1]!, spec: { ...cluster.policies[1]!.spec } });
    const afterChange = perFlowMicros((f) => fresh.evaluate(f), measured.slice(0, 2000));
    const naiveMicros = perFlowMicros((f) => naive.verdict(f), measured.slice(0, 3000));
    const stats = fresh.stats();
    const shape = `${stats.pods.toLocaleString('en-US')} pods, ${stats.policies.toLocaleString('en-US')} policies`;
    return [
      {
        bench: 'netpol',
        metric: `verdict of a new flow (${shape})`,
        value: newFlow,
        unit: 'µs CPU/flow',
        peer: { name: 'naive scan of every policy', value: naiveMicros },
        ratio: naiveMicros / newFlow,
        note: 'target < 20 µs',
      },
      { bench: 'netpol', metric: 'verdict of a new flow right after a policy change', value: afterChange, unit: 'µs CPU/flow' },
      { bench: 'netpol', metric: 'verdict of a cached flow', value: cached, unit: 'µs CPU/flow' },
    ];
  },
};
